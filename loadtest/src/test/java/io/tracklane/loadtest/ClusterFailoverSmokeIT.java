package io.tracklane.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.loadtest.report.ClusterReport;
import io.tracklane.loadtest.report.ClusterReportWriter;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-instance run's CI smoke: two clustered gateway processes, two driver processes, 300
 * riders at one fix per 10 s; one gateway killed with SIGKILL 15 s into the ride. Its riders must
 * be back on the other within 30 s, a dispatcher's live stream on the survivor must keep showing
 * every rider, and not one acknowledged fix may be missing from the table.
 */
class ClusterFailoverSmokeIT {
  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aKilledGatewaysRidersMoveToTheOtherAndNothingAcknowledgedIsLost() throws Exception {
    Path out = Path.of("target", "loadtest-cluster-smoke");
    ClusterLoadRun.Options o =
        new ClusterLoadRun.Options(
            2,
            2,
            300,
            Duration.ofSeconds(40),
            10_000,
            10,
            15,
            false,
            60,
            "512m",
            "256m",
            false,
            4,
            out,
            Map.of());
    ClusterReport r = ClusterLoadRun.run(o, System.out::println);
    List<Path> files = ClusterReportWriter.write(r, out);
    System.out.println(ClusterReportWriter.markdown(r));

    assertEquals(List.of(), r.problems());
    assertNotNull(r.audit());
    assertEquals(0, r.audit().lost(), r.audit().firstProblem());
    assertEquals(r.fleet().ackedTotal(), r.audit().acknowledged());
    // 300 riders × (10 s warm-up + 40 s) / 10 s, less what the failover costs
    assertTrue(r.audit().acknowledged() >= 1_200, "acknowledged " + r.audit().acknowledged());
    assertEquals(0, r.fleet().neverAcknowledged());

    ClusterReport.Failover f = r.failover();
    assertNotNull(f);
    assertTrue(f.connectionsOnKilled() > 50, "the killed gateway held " + f.connectionsOnKilled());
    assertTrue(f.reconnected() >= f.connectionsOnKilled(), f.toString());
    assertTrue(f.reconnectMaxMs() <= 30_000, "slowest reconnection " + f.reconnectMaxMs() + " ms");
    assertEquals(300, f.liveRidersSeenAfterKill(), "riders on the survivor's live stream");
    assertTrue(r.instances().get(1).killed() && !r.instances().get(0).killed());
    assertEquals(300, r.instances().get(0).maxConnections(), "the survivor ends up with everyone");
    assertTrue(r.cost().fixes() > 0 && r.cost().cpuMicrosPerFix() > 0);
    assertTrue(r.latency().storeWrites() > 0 && r.latency().gatewayAcks() > 0);

    assertTrue(Files.readString(files.get(0)).contains("## Failover"));
    JsonObject json = new JsonObject(Files.readString(files.get(1)));
    assertEquals(0, json.getJsonObject("audit").getLong("lost"));
  }
}
