package io.tracklane.backoffice.localapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads and writes OpenAPI documents as plain maps. YAML 1.1's surprises are switched off: only
 * {@code true}/{@code false} are booleans (an enum value {@code no} or {@code on} stays a string)
 * and dates stay strings; keys are always strings (a response code {@code 200:} becomes "200");
 * duplicate keys are an error.
 */
public final class OpenApiYaml {
  private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

  private OpenApiYaml() {}

  /** A resolver without timestamps and without the YAML 1.1 yes/no/on/off booleans. */
  private static final class OpenApiResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(Tag.BOOL, BOOL, "tTfF", 10);
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
      addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
      addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
  }

  private static Yaml yaml() {
    LoaderOptions loader = new LoaderOptions();
    loader.setAllowDuplicateKeys(false);
    DumperOptions dumper = new DumperOptions();
    dumper.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    dumper.setIndent(2);
    dumper.setIndicatorIndent(0);
    dumper.setWidth(Integer.MAX_VALUE);
    dumper.setSplitLines(false);
    dumper.setLineBreak(DumperOptions.LineBreak.UNIX);
    return new Yaml(
        new SafeConstructor(loader),
        new Representer(dumper),
        dumper,
        loader,
        new OpenApiResolver());
  }

  /** Parses one YAML (or JSON) document into a map with string keys. */
  public static Map<String, Object> parse(String text, String source) {
    Object root;
    try {
      root = yaml().load(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          source + ": the document must be a mapping (an OpenAPI object)");
    }
    return normalizeMap(map);
  }

  public static Map<String, Object> parse(InputStream in, String source) {
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[8192];
      for (int n; (n = reader.read(buf)) > 0; ) sb.append(buf, 0, n);
      return parse(sb.toString(), source);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": cannot read", e);
    }
  }

  /** Block-style YAML; the maps' own order is kept (the merger sorts what must be sorted). */
  public static String dump(Map<String, Object> document) {
    // A fresh copy: shared instances (one List.of() used twice) would otherwise become YAML
    // anchors.
    return yaml().dump(normalizeMap(document));
  }

  /** The document as Vert.x JSON (for OpenAPIContract). */
  public static JsonObject toJson(Map<String, Object> document) {
    return (JsonObject) toJsonValue(document);
  }

  private static Object toJsonValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      JsonObject o = new JsonObject();
      map.forEach((k, v) -> o.put(String.valueOf(k), toJsonValue(v)));
      return o;
    }
    if (value instanceof List<?> list) {
      JsonArray a = new JsonArray();
      list.forEach(v -> a.add(toJsonValue(v)));
      return a;
    }
    if (value instanceof JsonObject o) return toJsonValue(o.getMap());
    if (value instanceof JsonArray a) return toJsonValue(a.getList());
    return value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> normalizeMap(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
    return out;
  }

  /** Deep copy with string keys, lists and maps only (JsonObject/JsonArray are unwrapped). */
  static Object normalize(Object value) {
    if (value instanceof JsonObject o) return normalizeMap(o.getMap());
    if (value instanceof JsonArray a) return normalize(a.getList());
    if (value instanceof Map<?, ?> m) return normalizeMap(m);
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(normalize(v)));
      return out;
    }
    return value;
  }
}
