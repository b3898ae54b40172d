package io.tracklane.deploy;

import io.tracklane.backoffice.localapi.LocalBackoffice;
import io.tracklane.backoffice.localapi.OpenApiMerger;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Builds the deployable artifacts from the deploy module's resolved dependencies (run by Maven in
 * {@code process-classes}, before the tests that check them):
 *
 * <pre>
 * artifacts/lambda/&lt;layer zip&gt;          java/lib/*.jar: common and everything it needs (the Lambda layer)
 * artifacts/lambda/&lt;unit zip&gt;           lib/*.jar: the unit and what it needs beyond the layer
 * artifacts/openapi/backoffice.yaml    the merged OpenAPI document (same merger and fragments as local-api)
 * artifacts/docker/gateway/lib/        the gateway's runtime classpath and the web jar (docker/gateway/Dockerfile)
 * artifacts/docker/local-api/lib/      local-api and its launcher (docker/local-api/Dockerfile)
 * artifacts/docker/receipts-ocr/lib/   layer + receipts jars for the OCR container image
 * artifacts/manifest.json              what was built, with sizes and the jars of each artifact
 * </pre>
 *
 * Unit and layer zips leave out the artifacts listed under {@code exclude} in lambda-units.json
 * (the SDK's Apache and Netty HTTP clients, which the SDK lists as runtime defaults but our clients
 * never use). Container classpaths are the modules' own, unchanged.
 */
public final class Packager {
  /** Fixed entry times: the same inputs give byte-identical zips (stable Lambda code hashes). */
  private static final long ENTRY_TIME = 315532800000L; // 1980-01-01, the zip epoch

  public static final String GATEWAY = "io.tracklane:tracklane-gateway";
  public static final String GATEWAY_MAIN = "io.tracklane.gateway.Main";

  /** The web pages (webroot/ in the jar), which the gateway serves from its classpath. */
  public static final String WEB = "io.tracklane:tracklane-web";

  public static final String LOCAL_API = "io.tracklane:tracklane-backoffice-local-api";
  public static final String LOCAL_API_MAIN = "io.tracklane.deploy.compose.LocalApiServer";

  private final LambdaUnits units;
  private final DependencyGraph graph;
  private final Path classes;
  private final String version;
  private final Path out;

  Packager(LambdaUnits units, DependencyGraph graph, Path classes, String version, Path out) {
    this.units = units;
    this.graph = graph;
    this.classes = classes;
    this.version = version;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0)
        throw new IllegalArgumentException("usage: --name=value, got " + arg);
      a.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    Packager p =
        new Packager(
            LambdaUnits.read(Path.of(a.get("units"))),
            DependencyGraph.read(Path.of(a.get("tree")), Path.of(a.get("files"))),
            Path.of(a.get("classes")),
            a.get("version"),
            Path.of(a.get("out")));
    JsonObject manifest = p.run();
    System.out.println(ArtifactSizes.table(manifest));
  }

  JsonObject run() throws IOException {
    deleteRecursively(out);
    Files.createDirectories(out.resolve("lambda"));
    JsonObject manifest = new JsonObject().put("version", version);

    // the layer: common and its closure, in java/lib/ (Lambda puts /opt/java/lib/*.jar on the
    // classpath)
    Set<String> layer = new LinkedHashSet<>(graph.closure(units.layer().artifact(), this::follow));
    for (String shared : units.layer().shared()) {
      if (graph.resolved(shared)) layer.addAll(graph.closure(shared, this::follow));
    }
    manifest.put(
        "layer",
        zip(out.resolve("lambda").resolve(units.layer().zip()), "java/lib/", layer, "layer"));

    JsonObject unitsJson = new JsonObject();
    for (LambdaUnits.Unit unit : units.units().values()) {
      JsonObject u = new JsonObject().put("zip", unit.zip()).put("artifact", unit.artifact());
      if (!graph.resolved(unit.artifact())) {
        u.put("status", unit.planned() ? "planned" : "missing");
        if (!unit.planned()) {
          System.out.println(
              "[deploy] WARNING: unit "
                  + unit.name()
                  + " ("
                  + unit.artifact()
                  + ") is not a dependency of this build: no "
                  + unit.zip());
        }
        unitsJson.put(unit.name(), u);
        continue;
      }
      Set<String> own = new LinkedHashSet<>(graph.closure(unit.artifact(), this::follow));
      own.removeAll(layer);
      u.mergeIn(zip(out.resolve("lambda").resolve(unit.zip()), "lib/", own, unit.name()));
      u.put("status", "built");
      if (unit.image() != null) {
        // the container image (e.g. OCR with Tesseract): layer + unit in /var/task/lib
        Set<String> all = new LinkedHashSet<>(layer);
        all.addAll(own);
        u.put(
            "imageLib",
            copy(out.resolve("docker").resolve(unit.image()).resolve("lib"), all, null, true));
      }
      unitsJson.put(unit.name(), u);
    }
    manifest.put("units", unitsJson);

    JsonObject containers = new JsonObject();
    // the gateway image carries the web jar: it serves the pages (ALB, docker compose) from it
    Set<String> gatewayLib = new LinkedHashSet<>(graph.closure(GATEWAY, (p, c) -> true));
    gatewayLib.addAll(graph.closure(WEB, (p, c) -> true));
    containers.put(
        "gateway",
        new JsonObject()
            .put("main", GATEWAY_MAIN)
            .put("lib", copy(out.resolve("docker/gateway/lib"), gatewayLib, null, false)));
    containers.put(
        "local-api",
        new JsonObject()
            .put("main", LOCAL_API_MAIN)
            .put(
                "lib",
                copy(
                    out.resolve("docker/local-api/lib"),
                    graph.closure(LOCAL_API, (p, c) -> true),
                    "tracklane-deploy-launchers-" + version + ".jar",
                    false)));
    manifest.put("containers", containers);

    // the document API Gateway imports: the same merger, fragments and unit list as local-api's
    // build
    List<String> mergeArgs = new ArrayList<>();
    mergeArgs.add("--version=" + version);
    mergeArgs.add(out.resolve("openapi/backoffice.yaml").toString());
    for (String unit : LocalBackoffice.UNITS) mergeArgs.add("classpath:openapi/" + unit + ".yaml");
    OpenApiMerger.run(mergeArgs.toArray(String[]::new), Packager.class.getClassLoader());
    manifest
        .put("openapi", "openapi/backoffice.yaml")
        .put("openapiUnits", new JsonArray(List.copyOf(LocalBackoffice.UNITS)));

    Files.writeString(
        out.resolve("manifest.json"), manifest.encodePrettily(), StandardCharsets.UTF_8);
    return manifest;
  }

  /**
   * Whether an edge is packaged: excluded artifacts are cut, unless the parent declared it and may
   * keep it.
   */
  private boolean follow(String parent, String child) {
    for (LambdaUnits.Exclusion e : units.exclusions()) {
      if (!e.artifact().equals(child)) continue;
      if (!e.unlessDirect()) return false;
      return isUnitArtifact(parent);
    }
    return true;
  }

  private boolean isUnitArtifact(String ga) {
    return units.units().values().stream().anyMatch(u -> u.artifact().equals(ga));
  }

  private JsonObject zip(Path file, String prefix, Set<String> artifacts, String name)
      throws IOException {
    JsonArray jars = new JsonArray();
    Set<String> names = new LinkedHashSet<>();
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      // a zip never empty (the migrations function's unit is all in the layer) and self-describing
      put(
          zip,
          "META-INF/tracklane-artifact.properties",
          ("artifact=" + name + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
      for (String ga : artifacts) {
        String jarName = jarName(ga);
        if (!names.add(jarName))
          throw new IllegalStateException("two jars named " + jarName + " in " + file);
        put(zip, prefix + jarName, stripped(ga, jarBytes(graph.file(ga))));
        jars.add(jarName);
      }
    }
    return new JsonObject()
        .put("file", out.relativize(file).toString())
        .put("bytes", Files.size(file))
        .put("jars", jars);
  }

  /**
   * Copies jars into a container's lib folder ({@code strip}: apply the strip rules, for Lambda
   * images).
   */
  private JsonArray copy(Path dir, Set<String> artifacts, String launchersJar, boolean strip)
      throws IOException {
    Files.createDirectories(dir);
    JsonArray jars = new JsonArray();
    for (String ga : artifacts) {
      String jarName = jarName(ga);
      Path src = graph.file(ga);
      if (Files.isDirectory(src) || (strip && units.strip(ga) != null)) {
        Files.write(dir.resolve(jarName), strip ? stripped(ga, jarBytes(src)) : jarBytes(src));
      } else {
        Files.copy(src, dir.resolve(jarName), StandardCopyOption.REPLACE_EXISTING);
      }
      jars.add(jarName);
    }
    if (launchersJar != null) {
      Files.write(dir.resolve(launchersJar), jarBytes(classes));
      jars.add(launchersJar);
    }
    return jars;
  }

  private String jarName(String ga) {
    return ga.substring(ga.indexOf(':') + 1) + "-" + graph.version(ga) + ".jar";
  }

  /**
   * The jar without the entries its strip rule drops (other operating systems' natives, bundled
   * models).
   */
  private byte[] stripped(String ga, byte[] jar) throws IOException {
    LambdaUnits.Strip rule = units.strip(ga);
    if (rule == null) return jar;
    var buffer = new ByteArrayOutputStream();
    try (var in = new ZipInputStream(new ByteArrayInputStream(jar));
        ZipOutputStream outJar = new ZipOutputStream(buffer)) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (rule.drops(e.getName())) continue;
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTime(e.getTime());
        outJar.putNextEntry(copy);
        in.transferTo(outJar);
        outJar.closeEntry();
      }
    }
    return buffer.toByteArray();
  }

  /** A jar's bytes; a reactor module's classes folder (before it is packaged) is jarred here. */
  private static byte[] jarBytes(Path file) throws IOException {
    if (!Files.isDirectory(file)) return Files.readAllBytes(file);
    var buffer = new ByteArrayOutputStream();
    try (ZipOutputStream jar = new ZipOutputStream(buffer);
        Stream<Path> walk = Files.walk(file)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        put(jar, file.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return buffer.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTime(ENTRY_TIME);
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
