package io.tracklane.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's modules table names every Maven module of the build (and the top-level folders that
 * ship).
 */
class ReadmeModulesTest {
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  @Test
  void everyMavenModuleIsInTheReadmeTable() {
    String readme = Repo.read(Repo.ROOT.resolve("README.md"));
    int start = readme.indexOf("## Modules");
    assertTrue(start >= 0, "README has a Modules section");
    int end = readme.indexOf("\n## ", start + 1);
    String table = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> missing = new ArrayList<>();
    List<String> modules = modules(Path.of(""));
    assertTrue(modules.size() >= 15, "the build's modules were found: " + modules);
    for (String module : modules) {
      if (!table.contains("| `" + module + "/` |")) missing.add(module);
    }
    for (String folder : List.of("docker", "infra-terraform")) {
      if (!table.contains("| `" + folder + "/` |")) missing.add(folder);
    }
    assertTrue(missing.isEmpty(), "README.md's Modules table lacks " + missing);
  }

  /** Module folders, relative to the repository root, from the root pom down. */
  private static List<String> modules(Path dir) {
    List<String> out = new ArrayList<>();
    Matcher m = MODULE.matcher(Repo.read(Repo.ROOT.resolve(dir).resolve("pom.xml")));
    while (m.find()) {
      Path module = dir.resolve(m.group(1).trim());
      out.add(module.toString().replace('\\', '/'));
      out.addAll(modules(module));
    }
    return out;
  }
}
