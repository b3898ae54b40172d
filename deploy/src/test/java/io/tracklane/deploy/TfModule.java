package io.tracklane.deploy;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Terraform module folder: every .tf parsed with hcl4j (block structure: variables, locals,
 * outputs, module calls, resources) plus its text without comments for reference scanning.
 */
final class TfModule {
  final Path dir;
  final Map<Path, Map<String, Object>> parsed = new LinkedHashMap<>();
  final Map<Path, String> code = new LinkedHashMap<>();
  final Set<String> variables = new LinkedHashSet<>();
  final Map<String, Object> locals = new LinkedHashMap<>();
  final Set<String> outputs = new LinkedHashSet<>();
  final Map<String, Map<String, Object>> moduleCalls = new LinkedHashMap<>();

  /** type → name → attributes. */
  final Map<String, Map<String, Map<String, Object>>> resources = new LinkedHashMap<>();

  @SuppressWarnings("unchecked")
  TfModule(Path dir) throws Exception {
    this.dir = dir;
    for (Path tf : Repo.files(dir, ".tf")) {
      if (!tf.getParent().equals(dir)) continue;
      String text = Repo.read(tf);
      Map<String, Object> doc = new HCLParser().parse(text);
      parsed.put(tf, doc);
      code.put(tf, withoutComments(text));
      variables.addAll(((Map<String, Object>) doc.getOrDefault("variable", Map.of())).keySet());
      outputs.addAll(((Map<String, Object>) doc.getOrDefault("output", Map.of())).keySet());
      locals.putAll((Map<String, Object>) doc.getOrDefault("locals", Map.of()));
      ((Map<String, Object>) doc.getOrDefault("module", Map.of()))
          .forEach((k, v) -> moduleCalls.put(k, (Map<String, Object>) v));
      ((Map<String, Object>) doc.getOrDefault("resource", Map.of()))
          .forEach(
              (type, byName) ->
                  resources
                      .computeIfAbsent(type, t -> new LinkedHashMap<>())
                      .putAll((Map<String, Map<String, Object>>) byName));
    }
  }

  static List<Path> moduleDirs() {
    return Repo.files(Repo.INFRA, ".tf").stream().map(Path::getParent).distinct().sorted().toList();
  }

  String allCode() {
    return String.join("\n", code.values());
  }

  Map<String, Map<String, Object>> resources(String type) {
    return resources.getOrDefault(type, Map.of());
  }

  Path source(String moduleCall) {
    return dir.resolve(String.valueOf(moduleCalls.get(moduleCall).get("source"))).normalize();
  }

  boolean hasTf() {
    try (var s = Files.list(dir)) {
      return s.anyMatch(p -> p.toString().endsWith(".tf"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Drops # and // line comments and block comments outside string literals. */
  static String withoutComments(String text) {
    StringBuilder out = new StringBuilder();
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < text.length()) out.append(text.charAt(++i));
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
        out.append(c);
      } else if (c == '#' || (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/')) {
        while (i < text.length() && text.charAt(i) != '\n') i++;
        out.append('\n');
      } else if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? text.length() : end + 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
