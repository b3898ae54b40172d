package io.tracklane.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.auth.AuthSettings;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.receipts.ReceiptSettings;
import io.tracklane.backoffice.reports.ReportSettings;
import io.tracklane.backoffice.tasks.TaskSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.gateway.config.GatewaySettings;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/*, docker-compose.yml and buildspec.yml against what the build produces (no Docker engine
 * needed).
 */
class ContainersTest {
  private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(.*)$");
  private static final Pattern MAIN =
      Pattern.compile("\"(io\\.tracklane\\.[\\w.]+)(::handleRequest)?\"\\]");

  @Test
  void dockerfilesCopyWhatTheBuildProducesAndRunExistingClasses() throws Exception {
    List<Path> dockerfiles = Repo.files(Repo.ROOT.resolve("docker"), "Dockerfile");
    assertEquals(3, dockerfiles.size(), "gateway, local-api, receipts-ocr: " + dockerfiles);
    for (Path dockerfile : dockerfiles) {
      String text = Repo.read(dockerfile);
      String name = Repo.ROOT.relativize(dockerfile).toString();
      Path lib = null;
      for (Matcher m = COPY.matcher(text); m.find(); ) {
        List<String> args =
            Stream.of(m.group(1).trim().split("\\s+")).filter(a -> !a.startsWith("--")).toList();
        if (m.group(1).contains("--from=")) continue; // from a builder stage
        for (String source : args.subList(0, args.size() - 1)) {
          Path src = Repo.ROOT.resolve(source).normalize();
          assertTrue(
              Files.exists(src), name + " copies " + source + ", which the build did not produce");
          if (source.endsWith("/lib/")) lib = src;
        }
      }
      assertTrue(lib != null, name + " copies a lib/ folder from deploy/target/artifacts");
      assertTrue(text.contains("eclipse-temurin:17-jre"), name + ": Java 17 runtime");
      assertTrue(Pattern.compile("(?m)^USER 10001").matcher(text).find(), name + ": not root");
      // every class the image starts exists in the jars it copies
      List<URL> jars = new ArrayList<>();
      try (var s = Files.list(lib)) {
        for (Path jar : s.toList()) jars.add(jar.toUri().toURL());
      }
      try (URLClassLoader loader =
          new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
        Matcher main = MAIN.matcher(text);
        assertTrue(main.find(), name + " names its main class or handler");
        do {
          String cls = main.group(1);
          Class.forName(cls, false, loader);
        } while (main.find());
      }
    }
  }

  @Test
  void gatewayImageFollowsTheGatewaysSettings() {
    String text = Repo.read(Repo.ROOT.resolve("docker/gateway/Dockerfile"));
    assertTrue(
        text.contains(
            "EXPOSE "
                + GatewaySettings.MQTT_PORT.defaultValue()
                + " "
                + GatewaySettings.HTTP_PORT.defaultValue()
                + " "
                + GatewaySettings.ADMIN_PORT.defaultValue()),
        "EXPOSE the default ports");
    assertTrue(
        text.contains("TRACKLANE_ADMIN_PORT=" + GatewaySettings.ADMIN_PORT.defaultValue()),
        "the admin port's default");
    assertTrue(
        text.contains("-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"),
        "container JVM flags");
    assertTrue(text.contains("HEALTHCHECK"), "health check");
    String probe = Repo.read(Repo.ROOT.resolve("docker/gateway/healthcheck"));
    assertTrue(probe.contains("/health/ready"), "readiness probe");
    assertTrue(
        probe.contains(
            "${TRACKLANE_ADMIN_PORT:-" + GatewaySettings.ADMIN_PORT.defaultValue() + "}"),
        "the probe asks the admin port (health is not on the public HTTP port)");
    assertTrue(text.contains("io.tracklane.gateway.Main"), "the gateway's main class");
    JsonObject manifest = new JsonObject(Repo.read(Repo.ARTIFACTS.resolve("manifest.json")));
    assertEquals(
        "io.tracklane.gateway.Main",
        manifest.getJsonObject("containers").getJsonObject("gateway").getString("main"));
  }

  @Test
  void gatewayImageCarriesTheWebPages() throws Exception {
    JsonObject manifest = new JsonObject(Repo.read(Repo.ARTIFACTS.resolve("manifest.json")));
    String web =
        manifest.getJsonObject("containers").getJsonObject("gateway").getJsonArray("lib").stream()
            .map(String::valueOf)
            .filter(j -> j.startsWith("tracklane-web-"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no web jar in the gateway image: " + manifest));
    try (ZipFile jar =
        new ZipFile(Repo.ARTIFACTS.resolve("docker/gateway/lib").resolve(web).toFile())) {
      for (String page :
          List.of(
              "webroot/dashboard/index.html",
              "webroot/shared/dom.js",
              "webroot/shared/api.js",
              "webroot/shared/gcj02.js")) {
        assertNotNull(jar.getEntry(page), web + " holds " + page);
      }
    }
  }

  @Test
  void ocrImageHasTesseractWithEnglishAndSimplifiedChinese() {
    String text = Repo.read(Repo.ROOT.resolve("docker/receipts-ocr/Dockerfile"));
    for (String pkg : List.of("tesseract-ocr ", "tesseract-ocr-eng", "tesseract-ocr-chi-sim")) {
      assertTrue(text.contains(pkg), pkg);
    }
    assertTrue(
        text.contains("aws-lambda-java-runtime-interface-client"),
        "the Lambda runtime interface client");
    LambdaUnits units = LambdaUnits.fromClasspath();
    String handler =
        units.functions().values().stream()
            .filter(f -> f.name().equals("receipt_ocr"))
            .findFirst()
            .orElseThrow()
            .handler();
    assertTrue(
        text.contains("CMD [\"" + handler + "::handleRequest\"]"),
        "the OCR handler of lambda-units.json");
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeNamesExistingBuildsAndTheRealSettings() {
    Map<String, Object> compose =
        new Yaml().load(Repo.read(Repo.ROOT.resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) compose.get("services");
    assertTrue(
        services
            .keySet()
            .containsAll(Set.of("postgres", "dynamodb", "minio", "gateway", "local-api")),
        services.keySet().toString());
    assertEquals("postgres:15", services.get("postgres").get("image"));
    for (var e : services.entrySet()) {
      Map<String, Object> build = (Map<String, Object>) e.getValue().get("build");
      if (build == null) {
        assertTrue(e.getValue().get("image") != null, e.getKey() + " has an image or a build");
        continue;
      }
      Path context = Repo.ROOT.resolve(String.valueOf(build.get("context"))).normalize();
      assertTrue(Files.isDirectory(context), e.getKey() + ": build context " + context);
      assertTrue(
          Files.isRegularFile(context.resolve(String.valueOf(build.get("dockerfile")))),
          e.getKey() + ": dockerfile");
      if (!"minio-buckets".equals(e.getKey())) {
        assertTrue(
            e.getValue().containsKey("healthcheck") || e.getKey().equals("gateway"),
            e.getKey() + ": healthcheck");
      }
    }
    services.forEach(
        (name, s) -> {
          if (!name.equals("minio-buckets")) {
            assertTrue(
                s.containsKey("healthcheck") || name.equals("gateway"),
                name + ": healthcheck (gateway: the image's)");
          }
        });
    // the gateway and local-api get exactly the settings the code reads
    Set<String> gatewaySettings =
        GatewaySettings.ALL.stream().map(Setting::env).collect(Collectors.toSet());
    for (String key : ((Map<String, Object>) services.get("gateway").get("environment")).keySet()) {
      assertTrue(
          gatewaySettings.contains(key) || key.startsWith("AWS_"),
          "gateway: " + key + " is not a gateway setting");
    }
    Set<String> backoffice =
        Stream.of(
                BackofficeSettings.ALL,
                AuthSettings.OWN,
                TaskSettings.OWN,
                ReceiptSettings.OWN,
                ReportSettings.OWN)
            .flatMap(List::stream)
            .map(Setting::env)
            .collect(Collectors.toSet());
    backoffice.addAll(Set.of("TRACKLANE_API_PORT", "TRACKLANE_BOOTSTRAP_ADMIN_PASSWORD"));
    for (String key :
        ((Map<String, Object>) services.get("local-api").get("environment")).keySet()) {
      assertTrue(
          backoffice.contains(key) || key.startsWith("AWS_"),
          "local-api: " + key + " is not a back-office setting");
    }
    Map<String, Object> dependsOn = (Map<String, Object>) services.get("gateway").get("depends_on");
    assertEquals(Map.of("condition", "service_healthy"), dependsOn.get("local-api"));
  }

  @Test
  void dockerComposeConfigPasses() {
    Repo.requireTool(
        "docker-compose",
        "docker-compose config -q checks docker-compose.yml (apt-get install docker-compose)");
    Repo.Run run =
        Repo.run(Repo.ROOT, "docker-compose", "-f", "docker-compose.yml", "config", "-q");
    assertEquals(0, run.exit(), run.output());
  }

  @Test
  @SuppressWarnings("unchecked")
  void buildspecBuildsTestsPackagesAndPlans() {
    Map<String, Object> spec = new Yaml().load(Repo.read(Repo.ROOT.resolve("buildspec.yml")));
    assertEquals(0.2, ((Number) spec.get("version")).doubleValue());
    Map<String, Map<String, Object>> phases = (Map<String, Map<String, Object>>) spec.get("phases");
    assertTrue(
        phases.keySet().containsAll(Set.of("install", "build", "post_build")),
        phases.keySet().toString());
    String commands =
        phases.values().stream()
            .flatMap(p -> ((List<String>) p.get("commands")).stream())
            .collect(Collectors.joining("\n"));
    assertTrue(commands.contains("mvn -B -ntp verify"), "build and test");
    assertTrue(
        commands.contains("terraform plan") && commands.contains("-var-file="),
        "terraform plan with a var file");
    assertTrue(commands.contains("docker build -f docker/gateway/Dockerfile"), "gateway image");
    assertTrue(commands.contains("docker build -f docker/receipts-ocr/Dockerfile"), "OCR image");
    assertFalse(
        Repo.read(Repo.ROOT.resolve("buildspec.yml")).toLowerCase().contains("codepipeline:"),
        "no CodePipeline");
  }

  /** The stores with default passwords and local-api are reachable from this machine only. */
  @Test
  void composePublishesTheStoresAndLocalApiOnLoopbackOnly() {
    String compose = Repo.read(Repo.ROOT.resolve("docker-compose.yml"));
    assertEquals(List.of(), publishedBeyondLoopback(compose));
    // the check fails on the old file, which published them on every interface
    String old =
        """
        services:
          postgres:
            ports:
              - "5432:5432"
          dynamodb:
            ports:
              - "8000:8000"
          minio:
            ports:
              - "9000:9000"
              - "9001:9001"
          local-api:
            ports:
              - "8081:8081"
        """;
    assertEquals(
        List.of(
            "postgres: 5432:5432",
            "dynamodb: 8000:8000",
            "minio: 9000:9000",
            "minio: 9001:9001",
            "local-api: 8081:8081"),
        publishedBeyondLoopback(old));
  }

  @SuppressWarnings("unchecked")
  private static List<String> publishedBeyondLoopback(String composeYaml) {
    Map<String, Object> compose = new Yaml().load(composeYaml);
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) compose.get("services");
    List<String> open = new ArrayList<>();
    for (String name : List.of("postgres", "dynamodb", "minio", "local-api")) {
      Map<String, Object> service = services.get(name);
      assertTrue(service != null, "docker-compose.yml has no service " + name);
      for (Object port : (List<Object>) service.getOrDefault("ports", List.of())) {
        if (!String.valueOf(port).startsWith("127.0.0.1:")) open.add(name + ": " + port);
      }
    }
    return open;
  }
}
