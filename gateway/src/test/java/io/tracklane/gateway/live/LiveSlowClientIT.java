package io.tracklane.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.Fixes;
import io.tracklane.gateway.it.GatewayHarness;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live stream without Postgres (development task access): fixes are streamed, no progress; and
 * the slow-client policy end to end, with a small per-client queue.
 */
class LiveSlowClientIT {
  private static final int QUEUE = 50;
  private static GatewayHarness h;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    h =
        GatewayHarness.start(
            false,
            Map.of(
                GatewaySettings.LIVE_CLIENT_QUEUE.env(),
                Integer.toString(QUEUE),
                GatewaySettings.LIVE_HEARTBEAT_MS.env(),
                "200"));
    http = GatewayHarness.testVertx().createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
    h.close();
  }

  private static String manager() {
    return GatewayHarness.token("manager-1", "manager");
  }

  @Test
  void withoutPostgresFixesAreStreamedButNoProgress() throws Exception {
    try (StreamClient c =
        StreamClient.sse(http, h.httpPort(), "/v1/live?taskId=task-1", manager())) {
      assertEquals(200, c.status);
      assertEquals("text/event-stream; charset=utf-8", c.contentType);
      c.next(LiveEvents.SNAPSHOT_COMPLETE, null);
      long ts = Fixes.baseTs();
      assertEquals(
          200,
          h.postFixes("task-1", GatewayHarness.riderToken("rider-1"), Fixes.batch(ts, 2).encode())
              .statusCode());
      JsonObject first = c.next(LiveEvents.FIX, "task-1");
      assertEquals(ts, first.getLong("ts"));
      assertEquals("rider-1", first.getString("riderId"));
      JsonObject expected = Fixes.fix(ts, 0);
      for (String k : List.of("lat", "lon", "acc", "spd", "hdg", "alt", "bat")) {
        assertEquals(expected.getDouble(k), first.getDouble(k), k);
      }
      assertTrue(first.getLong("receivedAt") >= ts);
      assertEquals(ts + 10_000, c.next(LiveEvents.FIX, "task-1").getLong("ts"));
      assertEquals(
          200,
          h.postFixes(
                  "task-1",
                  GatewayHarness.riderToken("rider-1"),
                  Fixes.fix(ts + 20_000, 2).encode())
              .statusCode());
      c.next(LiveEvents.FIX, "task-1");
      assertEquals(
          List.of("snapshot_complete", "fix", "fix", "fix"),
          c.events().stream().map(e -> e.getString("event")).toList(),
          "no progress without a route");
      assertFalse(onGateway(() -> h.gateway.liveTracking().isTracking("task-1")));
      assertTrue(
          onGateway(() -> h.gateway.liveTracking().size() >= 1), "the task is in the live state");
    }
  }

  @Test
  void idleStreamsGetHeartbeats() throws Exception {
    try (StreamClient c =
        StreamClient.sse(http, h.httpPort(), "/v1/live?taskId=nothing-happens-here", manager())) {
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> c.heartbeats.get() >= 3),
          "heartbeats");
    }
  }

  @Test
  void aSlowClientIsCoalescedThenDisconnectedWhileAFastOneGetsEveryAlert() throws Exception {
    LiveMetrics m = h.gateway.liveMetrics();
    double coalescedBefore = m.coalescedCount();
    double slowBefore = m.slowDisconnectCount();
    // the other tests' clients are closed, but the gateway may not have seen them go yet
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(10), () -> onGateway(() -> h.gateway.liveHub().clientCount()) == 0),
        "no client left from other tests");
    int clientsBefore = 0;
    try (StreamClient fast =
            StreamClient.sse(http, h.httpPort(), "/v1/live?taskId=s1,s2,s3,marker", manager());
        Socket slow = new Socket()) {
      // a client that never reads, with a tiny receive window
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", h.httpPort()), 5000);
      OutputStream out = slow.getOutputStream();
      out.write(
          ("GET /v1/live?taskId=s1,s2,s3,marker&access_token="
                  + manager()
                  + " HTTP/1.1\r\nHost: gateway\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10),
              () -> onGateway(() -> h.gateway.liveHub().clientCount()) == clientsBefore + 2),
          "both clients attached");

      // phase 1: 24 MB of fixes of three tasks, far more than the socket buffers hold
      String pad = "x".repeat(8_000);
      for (int i = 0; i < 3000; i++) {
        h.vertx
            .eventBus()
            .publish(LiveEvents.ADDRESS, fixEvent("s" + (1 + i % 3), i).put("pad", pad));
      }
      h.vertx.eventBus().publish(LiveEvents.ADDRESS, fixEvent("marker", 0));
      fast.next(LiveEvents.FIX, "marker");
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10), () -> m.coalescedCount() > coalescedBefore),
          "the slow client's fixes were coalesced");
      assertEquals(
          slowBefore,
          m.slowDisconnectCount(),
          "coalescing kept it within its queue: still connected");
      assertEquals(clientsBefore + 2, (int) onGateway(() -> h.gateway.liveHub().clientCount()));

      // phase 2: alerts are never coalesced: the stuck client overflows and is dropped
      int alerts = QUEUE + 10;
      for (int i = 0; i < alerts; i++) {
        h.vertx
            .eventBus()
            .publish(
                LiveEvents.ADDRESS,
                new JsonObject()
                    .put("event", "alert")
                    .put("type", "OFF_ROUTE")
                    .put("taskId", "s1")
                    .put("riderId", "rider-s")
                    .put("n", i));
      }
      for (int i = 0; i < alerts; i++) {
        int n = i;
        JsonObject a =
            fast.next(
                e -> "alert".equals(e.getString("event")), Duration.ofSeconds(10), "alert " + n);
        assertEquals(n, a.getInteger("n"), "every alert, in order");
      }
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10), () -> m.slowDisconnectCount() == slowBefore + 1),
          "the stuck client was disconnected");
      assertEquals(clientsBefore + 1, (int) onGateway(() -> h.gateway.liveHub().clientCount()));
      assertFalse(fast.ended());
      assertEquals(alerts, fast.events("alert").size());
    }
  }

  private static JsonObject fixEvent(String task, int i) {
    return new JsonObject()
        .put("event", "fix")
        .put("taskId", task)
        .put("riderId", "rider-s")
        .put("ts", 1_700_000_000_000L + i)
        .put("lat", 31.23)
        .put("lon", 121.47);
  }

  static <T> T onGateway(java.util.function.Supplier<T> read) {
    return StreamClient.onGateway(h, read);
  }
}
