package io.tracklane.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.loadtest.report.LoadReport;
import io.tracklane.loadtest.report.LoadReportWriter;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load test's CI smoke run: 200 riders at one fix per 10 s for 30 s against the gateway in its
 * own JVM, every phase of the real command, and not one acknowledged fix may be missing.
 */
class LoadTestSmokeIT {
  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void smokeRunLosesNothingAndWritesTheReport() throws Exception {
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          MosquittoProcess.installed(), "mosquitto not installed on this laptop");
    }
    Path out = Path.of("target", "loadtest-smoke");
    LoadTestRun.Options o =
        new LoadTestRun.Options(
            200,
            Duration.ofSeconds(30),
            10_000,
            4,
            100,
            8,
            Duration.ofSeconds(10),
            Duration.ofSeconds(8),
            out,
            true,
            10,
            Duration.ofSeconds(20));
    LoadReport r = LoadTestRun.run(o, System.out::println);
    List<Path> files = LoadReportWriter.write(r, out);
    System.out.println(LoadReportWriter.markdown(r));

    assertEquals(0, r.lost(), "acknowledged fixes missing from the table");
    assertEquals(0, r.riderPhase().errors(), r.riderPhase().errorDetail());
    assertEquals(200, r.riderPhase().connections());
    // 200 riders × 30 s / 10 s = 600 fixes in the window, plus the warm-up and settling
    assertTrue(
        r.riderAudit().acknowledged() >= 540, "acknowledged " + r.riderAudit().acknowledged());
    assertEquals(r.riderAudit().acknowledged(), r.riderPhase().acked());
    assertTrue(r.riderAudit().spotChecked() > 0);
    assertTrue(r.peakPhase().fixesPerSecond() > 0 && r.rawItemsPerSecond() > 0);
    assertNotNull(r.mosquittoPhase(), "Mosquitto is the protocol-layer reference");
    assertTrue(r.discardPhase().fixesPerSecond() > 0 && r.mosquittoPhase().fixesPerSecond() > 0);
    assertTrue(
        r.riderPhase().maxHeapUsedBytes() > 0 && r.riderPhase().cpuCores() > 0,
        r.riderPhase().summary());

    assertEquals(3, r.gatling().size());
    for (var g : r.gatling()) {
      assertEquals(0, g.exitCode(), g.simulation() + ": Gatling assertions");
      assertEquals("", g.problem(), g.simulation());
      assertTrue(g.requests() > 0 && g.failed() == 0, g.toString());
      assertTrue(
          Files.exists(Path.of(g.reportDir(), "index.html")),
          "Gatling's HTML report " + g.reportDir());
    }

    JsonObject json = new JsonObject(Files.readString(files.get(1)));
    assertEquals(0, json.getLong("lost"));
    assertTrue(json.getJsonArray("targets").size() >= 6);
    assertTrue(Files.readString(files.get(0)).contains("lost = 0"));
    assertTrue(Files.readString(files.get(2)).startsWith("<svg"));
  }
}
