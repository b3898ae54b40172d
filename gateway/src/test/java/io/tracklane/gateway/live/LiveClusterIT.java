package io.tracklane.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.Fixes;
import io.tracklane.gateway.it.GatewayHarness;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out: two gateway instances, each with its own clustered Vert.x, joined by Hazelcast over
 * loopback in this JVM. A fix taken in by one reaches the live clients of the other, once.
 */
class LiveClusterIT {
  private static GatewayHarness a;
  private static GatewayHarness b;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> cluster =
        Map.of(
            GatewaySettings.CLUSTER.env(),
            "true",
            GatewaySettings.CLUSTER_NAME.env(),
            "tracklane-test-" + UUID.randomUUID(),
            GatewaySettings.CLUSTER_MEMBERS.env(),
            "127.0.0.1",
            GatewaySettings.CLUSTER_HOST.env(),
            "127.0.0.1");
    a = GatewayHarness.start(false, cluster);
    b = GatewayHarness.start(false, cluster);
    http = GatewayHarness.testVertx().createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) http.close();
    if (b != null) b.close();
    if (a != null) a.close();
  }

  @Test
  void aFixTakenInByOneInstanceReachesTheClientsOfBoth() throws Exception {
    String manager = GatewayHarness.token("manager-1", "manager");
    try (StreamClient onA =
            StreamClient.sse(http, a.httpPort(), "/v1/live?taskId=task-1", manager);
        StreamClient onB =
            StreamClient.sse(http, b.httpPort(), "/v1/live?taskId=task-1", manager)) {
      onA.next("snapshot_complete", null);
      onB.next("snapshot_complete", null);
      String rider = GatewayHarness.riderToken("rider-1");
      long ts = Fixes.baseTs();
      // the two members see each other's subscriptions shortly after joining: resend until one
      // arrives
      long[] sent = {ts, System.nanoTime()};
      assertEquals(200, a.postFixes("task-1", rider, Fixes.fix(ts, 0).encode()).statusCode());
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(30),
              () -> {
                if (!onB.events("fix").isEmpty()) return true;
                if (System.nanoTime() - sent[1] < 500_000_000L) return false;
                sent[1] = System.nanoTime();
                try {
                  sent[0] += 1000;
                  a.postFixes("task-1", rider, Fixes.fix(sent[0], 1).encode());
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
                return false;
              }),
          "a fix stored by instance A reached a client of instance B");

      long marker = sent[0] + 60_000;
      assertEquals(200, a.postFixes("task-1", rider, Fixes.fix(marker, 2).encode()).statusCode());
      for (StreamClient c : new StreamClient[] {onA, onB}) {
        JsonObject fix =
            c.next(
                e -> "fix".equals(e.getString("event")) && marker == e.getLong("ts"),
                Duration.ofSeconds(15),
                "marker fix");
        assertEquals("rider-1", fix.getString("riderId"));
      }
      // each instance's clients get each fix once
      assertEquals(onA.events("fix"), onA.events("fix").stream().distinct().toList());
      assertEquals(onB.events("fix"), onB.events("fix").stream().distinct().toList());

      // and the other way round
      long fromB = marker + 10_000;
      assertEquals(200, b.postFixes("task-1", rider, Fixes.fix(fromB, 3).encode()).statusCode());
      onA.next(
          e -> "fix".equals(e.getString("event")) && fromB == e.getLong("ts"),
          Duration.ofSeconds(15),
          "fix via B");
      // both instances hold the task in their live state
      assertTrue(StreamClient.onGateway(a, () -> a.gateway.liveTracking().size() >= 1));
      assertTrue(StreamClient.onGateway(b, () -> b.gateway.liveTracking().size() >= 1));
    }
  }
}
