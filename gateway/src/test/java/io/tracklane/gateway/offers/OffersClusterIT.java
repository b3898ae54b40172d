package io.tracklane.gateway.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.GatewayHarness;
import io.tracklane.gateway.live.StreamClient;
import io.vertx.core.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offers on two clustered gateway instances (Hazelcast over loopback) sharing one back-office
 * Postgres: a rider gets every event exactly once, whichever instance it is connected to.
 */
class OffersClusterIT {
  private static BackOfficeDb db;
  private static GatewayHarness a;
  private static GatewayHarness b;
  private static HttpClient http;
  private static String route;

  @BeforeAll
  static void start() throws Exception {
    db = BackOfficeDb.create("offers_cluster");
    for (String r : List.of("rider-on-a", "rider-on-b", "rider-claims")) db.user(r, "rider");
    route = db.route("Harbour", 31.25, 121.50, 800);
    Map<String, String> settings =
        Map.of(
            GatewaySettings.PG_URL.env(),
            db.url,
            GatewaySettings.CLUSTER.env(),
            "true",
            GatewaySettings.CLUSTER_NAME.env(),
            "tracklane-offers-" + UUID.randomUUID(),
            GatewaySettings.CLUSTER_MEMBERS.env(),
            "127.0.0.1",
            GatewaySettings.CLUSTER_HOST.env(),
            "127.0.0.1");
    a = GatewayHarness.start(false, settings);
    b = GatewayHarness.start(false, settings);
    http = GatewayHarness.testVertx().createHttpClient();
    for (GatewayHarness g : List.of(a, b))
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(15), () -> g.gateway.offersListening()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) http.close();
    if (b != null) b.close();
    if (a != null) a.close();
    if (db != null) db.close();
  }

  @Test
  void eachRiderGetsEachEventOnceWhicheverInstanceItIsOn() throws Exception {
    try (StreamClient onA =
            StreamClient.sse(
                http, a.httpPort(), "/v1/offers", GatewayHarness.riderToken("rider-on-a"));
        StreamClient onB =
            StreamClient.sse(
                http, b.httpPort(), "/v1/offers", GatewayHarness.riderToken("rider-on-b"))) {
      onA.next("snapshot_complete", null);
      onB.next("snapshot_complete", null);
      String task = db.createTask(route, "Across", "9.99", "CNY", 60);
      onA.next("offer", task);
      onB.next("offer", task);
      assertTrue(db.claim(task, "rider-claims"));
      assertFalse(onA.next("taken", task).getBoolean("byYou"));
      assertFalse(onB.next("taken", task).getBoolean("byYou"));
      // a duplicate (one per instance) would have arrived by now
      Thread.sleep(1000);
      for (StreamClient s : List.of(onA, onB)) {
        List<String> about =
            s.events().stream()
                .filter(e -> task.equals(e.getString("taskId")))
                .map(e -> e.getString("event"))
                .toList();
        assertEquals(List.of("offer", "taken"), about);
      }
      assertTrue(
          a.admin("/metrics").body().contains("tracklane_offers_events_delivered_total"),
          "offers metrics on /metrics");
    }
  }
}
