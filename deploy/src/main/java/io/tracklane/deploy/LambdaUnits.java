package io.tracklane.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lambda-units.json}: the back-office units (one zip each), the layer, the packaging
 * exclusions and the functions. Read by the packager, the tests, and Terraform ({@code
 * modules/backoffice} decodes the same file).
 */
public record LambdaUnits(
    Layer layer,
    List<Exclusion> exclusions,
    List<Strip> strips,
    Map<String, Unit> units,
    Map<String, Function> functions) {

  public static final String RESOURCE = "lambda-units.json";

  /**
   * {@code shared}: libraries several units use, put in the layer with their closure (when
   * resolved).
   */
  public record Layer(String artifact, String zip, List<String> shared) {}

  /**
   * Entries left out of a library's jar when it is packaged: a {@code drop} ending in "/" is a
   * folder, one starting with "*" a file suffix; {@code keep} prefixes win over {@code drop}.
   */
  public record Strip(String artifact, List<String> drop, List<String> keep, String why) {
    public boolean drops(String entry) {
      for (String k : keep) if (entry.startsWith(k)) return false;
      for (String d : drop) {
        if (d.startsWith("*") ? entry.endsWith(d.substring(1)) : entry.startsWith(d)) return true;
      }
      return false;
    }
  }

  /** {@code unlessDirect}: still packaged for a unit that declares the artifact itself. */
  public record Exclusion(String artifact, String why, boolean unlessDirect) {}

  /**
   * {@code status}: active (must be built) or planned (packaged and deployed once its module
   * exists).
   */
  public record Unit(String name, String artifact, String zip, String status, String image) {
    public boolean planned() {
      return "planned".equals(status);
    }

    public String artifactId() {
      return artifact.substring(artifact.indexOf(':') + 1);
    }
  }

  /**
   * {@code api}: invoked by API Gateway through the merged OpenAPI; {@code timeoutSeconds}: the
   * Lambda timeout Terraform sets.
   */
  public record Function(
      String name,
      String unit,
      String handler,
      boolean api,
      int timeoutSeconds,
      List<String> access) {}

  public static LambdaUnits read(Path file) {
    try {
      return parse(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LambdaUnits fromClasspath() {
    try (InputStream in = LambdaUnits.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is not on the classpath");
      return parse(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LambdaUnits parse(JsonObject json) {
    JsonObject l = json.getJsonObject("layer");
    List<Exclusion> exclusions = new ArrayList<>();
    for (Object o : json.getJsonArray("exclude")) {
      JsonObject e = (JsonObject) o;
      exclusions.add(
          new Exclusion(
              e.getString("artifact"), e.getString("why"), e.getBoolean("unlessDirect", false)));
    }
    List<Strip> strips = new ArrayList<>();
    for (Object o : json.getJsonArray("strip", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      strips.add(
          new Strip(
              e.getString("artifact"), strings(e, "drop"), strings(e, "keep"), e.getString("why")));
    }
    Map<String, Unit> units = new LinkedHashMap<>();
    json.getJsonObject("units")
        .forEach(
            en -> {
              JsonObject u = (JsonObject) en.getValue();
              units.put(
                  en.getKey(),
                  new Unit(
                      en.getKey(),
                      u.getString("artifact"),
                      u.getString("zip"),
                      u.getString("status", "active"),
                      u.getString("image")));
            });
    Map<String, Function> functions = new LinkedHashMap<>();
    json.getJsonObject("functions")
        .forEach(
            en -> {
              JsonObject f = (JsonObject) en.getValue();
              List<String> access = new ArrayList<>();
              f.getJsonArray("access").forEach(a -> access.add((String) a));
              functions.put(
                  en.getKey(),
                  new Function(
                      en.getKey(),
                      f.getString("unit"),
                      f.getString("handler"),
                      f.getBoolean("api", false),
                      f.getInteger("timeout"),
                      List.copyOf(access)));
            });
    return new LambdaUnits(
        new Layer(l.getString("artifact"), l.getString("zip"), strings(l, "shared")),
        List.copyOf(exclusions),
        List.copyOf(strips),
        units,
        functions);
  }

  private static List<String> strings(JsonObject o, String key) {
    List<String> out = new ArrayList<>();
    o.getJsonArray(key, new JsonArray()).forEach(v -> out.add((String) v));
    return List.copyOf(out);
  }

  public Strip strip(String artifact) {
    return strips.stream().filter(s -> s.artifact().equals(artifact)).findFirst().orElse(null);
  }
}
