package io.tracklane.gateway.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.GatewayHarness;
import io.tracklane.gateway.live.StreamClient;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/offers} (SSE) with a Vert.x HTTP client against a real gateway and the back
 * office's real schema: snapshot first, then the same events as over MQTT; riders only.
 */
class OffersSseIT {
  private static BackOfficeDb db;
  private static GatewayHarness h;
  private static HttpClient http;
  private static String route;

  @BeforeAll
  static void start() throws Exception {
    db = BackOfficeDb.create("offers_sse");
    for (String r : List.of("rider-s1", "rider-s2", "rider-s3", "rider-off")) db.user(r, "rider");
    db.user("manager-1", "manager");
    db.user("admin-1", "admin");
    BackOfficeDb.await(
        db.pool
            .preparedQuery("UPDATE users SET active = false WHERE id = $1")
            .execute(Tuple.of("rider-off")));
    route = db.route("River walk", 31.24, 121.49, 1200);
    h = GatewayHarness.start(false, Map.of(GatewaySettings.PG_URL.env(), db.url));
    http = GatewayHarness.testVertx().createHttpClient();
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.offersListening()),
        "the gateway listens for task changes");
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) http.close();
    if (h != null) h.close();
    if (db != null) db.close();
  }

  static StreamClient offers(String query, String bearer) throws Exception {
    return StreamClient.sse(http, h.httpPort(), "/v1/offers" + query, bearer);
  }

  static void awaitOffered(String taskId) throws InterruptedException {
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(10),
            () ->
                BackOfficeDb.await(h.gateway.onEventLoop(() -> h.gateway.offers().openTaskIds()))
                    .contains(taskId)),
        taskId + " in the gateway's pool");
  }

  @Test
  void aRiderGetsTheSnapshotThenLiveEvents() throws Exception {
    String before = db.createTask(route, "Before", "8.00", "USD", 60);
    awaitOffered(before);
    try (StreamClient s1 = offers("", GatewayHarness.riderToken("rider-s1"));
        StreamClient s2 = offers("?access_token=" + GatewayHarness.riderToken("rider-s2"), null)) {
      assertEquals(200, s1.status);
      assertTrue(s1.contentType.startsWith("text/event-stream"), s1.contentType);
      assertEquals(200, s2.status, "EventSource's query-parameter token");
      for (StreamClient s : List.of(s1, s2)) {
        JsonObject snap = s.next("offer", before);
        assertEquals("8.00", snap.getString("bonusAmount"));
        assertEquals("USD", snap.getString("bonusCurrency"));
        assertEquals("River walk", snap.getJsonObject("route").getString("name"));
        assertTrue(s.next("snapshot_complete", null).getInteger("offers") >= 1);
      }
      assertEquals("offer", s1.events().get(0).getString("event"), "the snapshot comes first");

      String fresh = db.createTask(route, "Fresh", "20.00", "USD", 30);
      s1.next("offer", fresh);
      s2.next("offer", fresh);
      assertTrue(db.claim(fresh, "rider-s2"));
      assertFalse(s1.next("taken", fresh).getBoolean("byYou"));
      assertTrue(s2.next("taken", fresh).getBoolean("byYou"));

      db.cancel(before);
      assertEquals("cancelled", s1.next("withdrawn", before).getString("reason"));
      assertEquals("cancelled", s2.next("withdrawn", before).getString("reason"));
    }
  }

  @Test
  void changesMissedWhileTheListenerWasAwayArriveWhenItIsBack() throws Exception {
    String stays = db.createTask(route, "Stays", "2.00", "USD", 60);
    String goes = db.createTask(route, "Goes", "2.00", "USD", 60);
    awaitOffered(stays);
    awaitOffered(goes);
    try (StreamClient s = offers("", GatewayHarness.riderToken("rider-s3"))) {
      s.next("snapshot_complete", null);
      // cut the gateway's LISTEN connection; its reconnect waits 500 ms (backoff)
      String listening =
          "SELECT pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN%tracklane_task_offers%'";
      int killed =
          BackOfficeDb.await(
                  db.pool
                      .query("SELECT pg_terminate_backend(pid) FROM (" + listening + ") l")
                      .execute())
              .size();
      assertEquals(1, killed, "one offers listener");
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(5),
              () -> BackOfficeDb.await(db.pool.query(listening).execute()).size() == 0));
      // while nobody listens: a task is created and another cancelled; both notifications are lost
      String missed = db.createTask(route, "Missed", "3.00", "USD", 60);
      db.cancel(goes);
      assertEquals(
          0,
          BackOfficeDb.await(db.pool.query(listening).execute()).size(),
          "the changes committed while no listener was connected");
      // the LISTEN is back: the gateway reads the open tasks again (withdrawals come first)
      JsonObject offer = s.next("offer", missed);
      assertEquals("Missed", offer.getString("title"));
      List<String> after =
          s.events().stream()
              .filter(e -> !"snapshot_complete".equals(e.getString("event")))
              .skip(2) // the snapshot's two offers
              .map(
                  e ->
                      e.getString("event")
                          + ":"
                          + e.getString("taskId")
                          + ":"
                          + e.getString("reason"))
              .toList();
      assertEquals(
          List.of("withdrawn:" + goes + ":unavailable", "offer:" + missed + ":null"),
          after,
          "the missed creation and cancellation, and nothing about the unchanged task");
    }
  }

  @Test
  void onlyActiveRidersMayWatch() throws Exception {
    StreamClient none = offers("", null);
    assertEquals(401, none.status);
    assertEquals("unauthorized", new JsonObject(none.body).getString("error"));
    StreamClient forged = offers("", GatewayHarness.forgedToken("rider-s1"));
    assertEquals(401, forged.status);
    for (String staff : List.of("manager", "admin")) {
      StreamClient c = offers("", GatewayHarness.token(staff + "-1", staff));
      assertEquals(403, c.status, staff);
      JsonObject body = new JsonObject(c.body);
      assertEquals("forbidden", body.getString("error"));
      assertTrue(body.getString("message").contains("riders"), body.encode());
    }
    StreamClient off = offers("", GatewayHarness.riderToken("rider-off"));
    assertEquals(403, off.status);
    assertEquals("user_deactivated", new JsonObject(off.body).getString("error"));
  }

  @Test
  void theStreamEndsWhenTheTokenExpires() throws Exception {
    try (StreamClient s =
        offers("", GatewayHarness.token("rider-s3", "rider", Duration.ofSeconds(3)))) {
      assertEquals(200, s.status);
      s.next("snapshot_complete", null);
      assertTrue(s.awaitEnd(Duration.ofSeconds(10)), "ended at the token's expiry");
    }
  }
}
