package io.tracklane.deploy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints the Lambda artifacts' sizes from {@code artifacts/manifest.json}: {@code
 * bin/lambda-sizes}, or {@code mvn -q -pl deploy process-classes exec:java@lambda-sizes}. A unit
 * zip over {@link #UNIT_LIMIT_BYTES} is flagged (the layer holds the shared dependencies).
 */
public final class ArtifactSizes {
  public static final long UNIT_LIMIT_BYTES = 10L * 1024 * 1024;

  /** Lambda's limit for a function's code plus its layers, unzipped. */
  public static final long UNZIPPED_LIMIT_BYTES = 250L * 1024 * 1024;

  private ArtifactSizes() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "deploy/target/artifacts");
    System.out.println(
        table(
            new JsonObject(
                Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8))));
  }

  public static String table(JsonObject manifest) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(Locale.ROOT, "%-40s %10s %5s  %s%n", "artifact", "size", "jars", "note"));
    JsonObject layer = manifest.getJsonObject("layer");
    b.append(
        row(
            layer.getString("file"),
            layer.getLong("bytes"),
            layer.getJsonArray("jars").size(),
            "layer: java/lib (shared by every function)"));
    manifest
        .getJsonObject("units")
        .forEach(
            e -> {
              JsonObject u = (JsonObject) e.getValue();
              if (!"built".equals(u.getString("status"))) {
                b.append(
                    String.format(
                        Locale.ROOT,
                        "%-40s %10s %5s  %s%n",
                        "lambda/" + u.getString("zip"),
                        "-",
                        "-",
                        e.getKey() + ": " + u.getString("status")));
                return;
              }
              long bytes = u.getLong("bytes");
              String note =
                  e.getKey() + (bytes > UNIT_LIMIT_BYTES ? "  OVER the 10 MB target" : "");
              if (u.containsKey("imageLib"))
                note +=
                    "  (also a container image: " + u.getJsonArray("imageLib").size() + " jars)";
              b.append(row(u.getString("file"), bytes, u.getJsonArray("jars").size(), note));
            });
    return b.toString();
  }

  private static String row(String file, long bytes, int jars, String note) {
    return String.format(Locale.ROOT, "%-40s %10s %5d  %s%n", file, mb(bytes), jars, note);
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.2f MB", bytes / 1024.0 / 1024.0);
  }
}
