package io.tracklane.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.deploy.compose.SigningKeyFile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy build's output (written in process-classes, before these tests): zips, layer, OpenAPI.
 */
class LambdaArtifactsTest {
  private static final LambdaUnits UNITS = LambdaUnits.fromClasspath();
  private static JsonObject manifest;

  @BeforeAll
  static void readManifest() {
    Path file = Repo.ARTIFACTS.resolve("manifest.json");
    assertTrue(
        Files.isRegularFile(file),
        "run the deploy build first (mvn -pl deploy process-classes): " + file);
    manifest = new JsonObject(Repo.read(file));
  }

  /**
   * Units that must be packaged; a missing one fails under CI=true and is skipped (with a note)
   * elsewhere.
   */
  private static List<LambdaUnits.Unit> builtUnits() {
    List<LambdaUnits.Unit> built = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (LambdaUnits.Unit unit : UNITS.units().values()) {
      String status =
          manifest.getJsonObject("units").getJsonObject(unit.name()).getString("status");
      if ("built".equals(status)) built.add(unit);
      else if (!unit.planned()) missing.add(unit.name() + " (" + unit.artifact() + ")");
    }
    if (!missing.isEmpty()) {
      String message =
          "units not packaged (their jar is not a dependency of this build): " + missing;
      if (Repo.CI) throw new AssertionError(message);
      System.out.println("[LambdaArtifactsTest] " + message + "; checking the others");
    }
    return built;
  }

  @Test
  void unitsFileIsConsistent() {
    UNITS
        .functions()
        .values()
        .forEach(
            fn -> {
              assertTrue(
                  UNITS.units().containsKey(fn.unit()), fn.name() + ": unknown unit " + fn.unit());
              // the merged OpenAPI's placeholders are ${<function>_invoke_arn}; Terraform keys them
              // the same way
              assertTrue(
                  fn.name().matches("[a-z][a-z0-9_]*"),
                  fn.name() + ": lower case and underscores only");
            });
    assertTrue(UNITS.functions().containsKey("authorizer"), "the API's authorizer function");
    UNITS
        .units()
        .values()
        .forEach(
            u ->
                assertTrue(
                    u.status().equals("active") || u.planned(), u.name() + ": " + u.status()));
  }

  @Test
  void layerHoldsCommonAndSharedLibrariesUnderJavaLib() throws IOException {
    Path layer = Repo.ARTIFACTS.resolve("lambda").resolve(UNITS.layer().zip());
    List<String> entries = entries(layer);
    assertTrue(
        entries.stream().filter(e -> e.endsWith(".jar")).allMatch(e -> e.startsWith("java/lib/")),
        "java/lib/*.jar");
    for (String jar :
        List.of(
            "tracklane-backoffice-common-",
            "tracklane-core-",
            "postgresql-",
            "HikariCP-",
            "nimbus-jose-jwt-",
            "ssm-",
            "url-connection-client-")) {
      assertTrue(
          entries.stream().anyMatch(e -> e.startsWith("java/lib/" + jar)), "layer has " + jar);
    }
  }

  @Test
  void unitZipsAreSmallAndHoldOnlyWhatTheLayerLacks() throws IOException {
    List<String> layerJars =
        entries(Repo.ARTIFACTS.resolve("lambda").resolve(UNITS.layer().zip())).stream()
            .filter(e -> e.endsWith(".jar"))
            .map(e -> e.substring("java/lib/".length()))
            .toList();
    for (LambdaUnits.Unit unit : builtUnits()) {
      Path zip = Repo.ARTIFACTS.resolve("lambda").resolve(unit.zip());
      assertTrue(
          Files.size(zip) <= ArtifactSizes.UNIT_LIMIT_BYTES,
          unit.zip() + " is " + ArtifactSizes.mb(Files.size(zip)));
      for (String e : entries(zip)) {
        if (!e.endsWith(".jar")) continue;
        assertTrue(e.startsWith("lib/"), unit.zip() + ": " + e);
        assertFalse(layerJars.contains(e.substring(4)), unit.zip() + " repeats the layer's " + e);
      }
    }
  }

  @Test
  void excludedHttpClientsAreNowhereUnlessDeclared() throws IOException {
    List<Path> zips =
        new ArrayList<>(List.of(Repo.ARTIFACTS.resolve("lambda").resolve(UNITS.layer().zip())));
    for (LambdaUnits.Unit unit : builtUnits())
      zips.add(Repo.ARTIFACTS.resolve("lambda").resolve(unit.zip()));
    for (Path zip : zips) {
      for (String e : entries(zip)) {
        String jar = e.substring(e.lastIndexOf('/') + 1);
        for (LambdaUnits.Exclusion ex : UNITS.exclusions()) {
          String artifactId = ex.artifact().substring(ex.artifact().indexOf(':') + 1);
          if (!jar.matches(Pattern.quote(artifactId) + "-\\d.*\\.jar")) continue;
          assertTrue(
              ex.unlessDirect() && !zip.getFileName().toString().equals(UNITS.layer().zip()),
              zip.getFileName() + " contains the excluded " + jar);
        }
      }
    }
  }

  @Test
  void everyFunctionHandlerLoadsFromItsZipAndTheLayerAlone(@TempDir Path tmp) throws Exception {
    Path layerDir =
        unzip(Repo.ARTIFACTS.resolve("lambda").resolve(UNITS.layer().zip()), tmp.resolve("layer"));
    Map<String, String> config =
        new HashMap<>(
            Map.of(
                "TRACKLANE_PG_URL", "postgresql://tracklane@127.0.0.1:9/tracklane",
                "TRACKLANE_SIGNING_KEY", SigningKeyFile.generate().encode(),
                "TRACKLANE_FIXES_TABLE", "tracklane-fixes",
                "TRACKLANE_RECEIPTS_BUCKET", "tracklane-receipts",
                "TRACKLANE_REPORTS_BUCKET", "tracklane-reports",
                "AWS_REGION", "eu-west-1"));
    int checked = 0;
    for (LambdaUnits.Unit unit : builtUnits()) {
      Path unitDir =
          unzip(Repo.ARTIFACTS.resolve("lambda").resolve(unit.zip()), tmp.resolve(unit.name()));
      List<URL> urls = new ArrayList<>();
      for (Path dir : List.of(unitDir.resolve("lib"), layerDir.resolve("java/lib"))) {
        if (!Files.isDirectory(dir)) continue;
        try (var jars = Files.list(dir)) {
          for (Path jar : jars.sorted().toList()) urls.add(jar.toUri().toURL());
        }
      }
      // the platform loader as parent: nothing from this test's classpath can fill a gap
      ClassLoader testLoader = Thread.currentThread().getContextClassLoader();
      try (URLClassLoader lambda =
          new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
        Thread.currentThread()
            .setContextClassLoader(lambda); // as the Lambda runtime does (ServiceLoader)
        Class<?> requestHandler =
            lambda.loadClass("com.amazonaws.services.lambda.runtime.RequestHandler");
        Class<?> contextClass =
            lambda.loadClass("io.tracklane.backoffice.common.BackofficeContext");
        Class<?> configClass = lambda.loadClass("io.tracklane.backoffice.common.BackofficeConfig");
        for (LambdaUnits.Function fn : UNITS.functions().values()) {
          if (!fn.unit().equals(unit.name())) continue;
          Class<?> handler = Class.forName(fn.handler(), true, lambda);
          assertTrue(
              requestHandler.isAssignableFrom(handler), fn.handler() + " is a RequestHandler");
          handler.getConstructor(); // Lambda's entry point
          Object ctx =
              contextClass
                  .getMethod("create", configClass)
                  .invoke(null, configClass.getMethod("of", Map.class).invoke(null, config));
          try {
            // the test-friendly constructor: what the init phase builds, without AWS or a database
            Constructor<?> withContext =
                Arrays.stream(handler.getConstructors())
                    .filter(
                        c -> c.getParameterCount() > 0 && c.getParameterTypes()[0] == contextClass)
                    .min(Comparator.comparingInt(Constructor::getParameterCount))
                    .orElseThrow(
                        () ->
                            new AssertionError(
                                fn.handler() + " has no (BackofficeContext, ...) constructor"));
            Object[] args = new Object[withContext.getParameterCount()];
            args[0] = ctx;
            assertNotNull(withContext.newInstance(args), fn.handler());
          } finally {
            contextClass.getMethod("close").invoke(ctx);
          }
          checked++;
        }
      } finally {
        Thread.currentThread().setContextClassLoader(testLoader);
      }
    }
    assertTrue(checked > 0, "no handler checked");
  }

  @Test
  void mergedOpenApiIsLocalApisDocumentAndNamesOnlyDeployedFunctions() {
    Path ours = Repo.ARTIFACTS.resolve("openapi/backoffice.yaml");
    String doc = Repo.read(ours);
    Path localApis =
        Repo.ROOT.resolve("backoffice-lambdas/local-api/target/openapi/backoffice.yaml");
    if (Files.isRegularFile(localApis)) {
      assertEquals(
          Repo.read(localApis), doc, "the same merger, fragments and units as local-api's build");
    }
    Matcher placeholder = Pattern.compile("\\$\\{([^}]*)}").matcher(doc);
    int n = 0;
    while (placeholder.find()) {
      n++;
      String name = placeholder.group(1);
      if (name.equals("authorizer_invoke_arn")) continue;
      assertTrue(name.endsWith("_invoke_arn"), "unexpected placeholder ${" + name + "}");
      String fn = name.substring(0, name.length() - "_invoke_arn".length());
      LambdaUnits.Function function = UNITS.functions().get(fn);
      assertNotNull(function, "${" + name + "}: no function " + fn + " in lambda-units.json");
      assertTrue(function.api(), fn + " serves API operations: mark it \"api\": true");
      assertFalse(
          UNITS.units().get(function.unit()).planned(),
          fn + " is in the API but its unit is planned");
    }
    assertTrue(n > 0, "no integration placeholders in " + ours);
    assertFalse(doc.contains("%{"), "templatefile would read %{ as a directive");
  }

  static List<String> entries(Path zip) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      return z.stream().map(ZipEntry::getName).toList();
    }
  }

  static Path unzip(Path zip, Path dir) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : z.stream().toList()) {
        if (e.isDirectory()) continue;
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) throw new IOException("bad entry " + e.getName());
        Files.createDirectories(target.getParent());
        try (InputStream in = z.getInputStream(e)) {
          Files.copy(in, target);
        }
      }
    }
    return dir;
  }
}
