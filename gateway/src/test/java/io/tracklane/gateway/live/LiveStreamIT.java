package io.tracklane.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.StatusChannels;
import io.tracklane.devkit.LocalPostgres;
import io.tracklane.gateway.access.PgTaskAccess;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.GatewayHarness;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live stream end to end: a real gateway (dynalite) reading task access and routes from a real
 * Postgres (embedded), fixes posted over HTTP, SSE and WebSocket clients (Vert.x).
 */
class LiveStreamIT {
  /** A straight route along latitude 31.23, from lon 121.4700 to 121.4800 (about 952 m east). */
  static final double LAT = 31.2300;

  static final double LON0 = 121.4700;

  /** 50 m east along the route per step (a rider at 5 m/s sending a fix every 10 s). */
  static final double STEP = 0.000525;

  /** 200 m north, off the route. */
  static final double OFF = 200 / 111_320.0;

  private static Pool pg;
  private static GatewayHarness h;
  private static HttpClient http;
  private static WebSocketClient ws;
  private static final long T0 = System.currentTimeMillis() - 600_000;

  @BeforeAll
  static void start() throws Exception {
    String db = "live_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String url = LocalPostgres.shared().createDatabase(db);
    pg = PgTaskAccess.pool(GatewayHarness.testVertx(), url, 2);
    // the columns of the back office's routes and tasks tables that the gateway reads
    sql(
        "CREATE TABLE routes (id text PRIMARY KEY, geometry jsonb NOT NULL, checkpoints jsonb NOT NULL)");
    // the columns of the users table the gateway reads (a deactivated user's tokens are refused)
    sql("CREATE TABLE users (id text PRIMARY KEY, active boolean NOT NULL)");
    sql(
        "INSERT INTO users SELECT 'rider-' || c, true FROM unnest(ARRAY['a','b','c','d','e','f','g','h','i','j']) AS c");
    sql(
        "CREATE TABLE tasks (id text PRIMARY KEY, route_id text NOT NULL REFERENCES routes (id), "
            + "status text NOT NULL, claimed_by text)");
    JsonObject line =
        new JsonObject()
            .put("type", "LineString")
            .put(
                "coordinates",
                new JsonArray()
                    .add(new JsonArray().add(LON0).add(LAT))
                    .add(new JsonArray().add(LON0 + 0.01).add(LAT)));
    JsonArray checkpoints =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("name", "middle")
                    .put("lat", LAT)
                    .put("lon", LON0 + 0.0025)
                    .put("radiusM", 40));
    await(
        pg.preparedQuery("INSERT INTO routes VALUES ('route-1', $1, $2)")
            .execute(Tuple.of(line, checkpoints)));
    for (String[] t :
        new String[][] {
          {"snap-1", "rider-a"},
          {"filt-b", "rider-b"},
          {"filt-c", "rider-c"},
          {"ws-1", "rider-d"},
          {"off-1", "rider-e"},
          {"status-1", "rider-f"},
          {"restart-1", "rider-g"},
          {"late-1", "rider-h"},
          {"own-i", "rider-i"},
          {"own-j", "rider-j"}
        }) {
      await(
          pg.preparedQuery("INSERT INTO tasks VALUES ($1, 'route-1', 'in_progress', $2)")
              .execute(Tuple.of(t[0], t[1])));
    }
    h = GatewayHarness.start(false, Map.of(GatewaySettings.PG_URL.env(), url));
    http = GatewayHarness.testVertx().createHttpClient();
    ws = GatewayHarness.testVertx().createWebSocketClient();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) http.close();
    if (ws != null) ws.close();
    if (h != null) h.close();
    if (pg != null) await(pg.close());
  }

  // ---- snapshot, filters, both transports -----------------------------------------------------

  @Test
  void aClientGetsTheSnapshotThenLiveEvents() throws Exception {
    try (StreamClient watcher = sse("/v1/live?taskId=snap-1", manager())) {
      for (int i = 0; i < 3; i++) post("snap-1", "rider-a", i, 0);
      for (int i = 0; i < 3; i++) watcher.next("progress", "snap-1");
    }
    try (StreamClient c = sse("/v1/live?taskId=snap-1", manager())) {
      JsonObject snap = c.next("task_snapshot", "snap-1");
      assertEquals("rider-a", snap.getString("riderId"));
      assertEquals(ts(2), snap.getJsonObject("lastFix").getLong("ts"));
      assertEquals(LAT, snap.getJsonObject("lastFix").getDouble("lat"));
      JsonObject progress = snap.getJsonObject("progress");
      assertEquals("route-1", progress.getString("routeId"));
      assertEquals(3, progress.getLong("acceptedFixes"));
      assertEquals(1, progress.getInteger("checkpointsTotal"));
      assertTrue(
          progress.getDouble("alongM") > 90 && progress.getDouble("alongM") < 110,
          progress.encode());
      assertNotNull(Instant.parse(snap.getString("updatedAt")));
      assertEquals(1, c.next("snapshot_complete", null).getInteger("tasks"));

      post("snap-1", "rider-a", 3, 0);
      JsonObject fix = c.next("fix", "snap-1");
      assertEquals(ts(3), fix.getLong("ts"));
      assertEquals("rider-a", fix.getString("riderId"));
      JsonObject p = c.next("progress", "snap-1");
      assertEquals(ts(3), p.getLong("ts"));
      assertEquals("rider-a", p.getString("riderId"));
      assertTrue(p.getDouble("alongM") > progress.getDouble("alongM"), p.encode());
      assertEquals(List.of("task_snapshot", "snapshot_complete", "fix", "progress"), types(c));
    }
  }

  @Test
  void filtersPickTasksAndRiders() throws Exception {
    try (StreamClient all = sse("/v1/live", manager());
        StreamClient onlyB = sse("/v1/live?taskId=filt-b", manager());
        StreamClient riderC = sse("/v1/live?riderId=rider-c", manager());
        StreamClient both = sse("/v1/live?taskId=filt-b,filt-c&riderId=rider-b", manager())) {
      post("filt-c", "rider-c", 0, 0);
      post("filt-b", "rider-b", 0, 0);
      post("filt-b", "rider-b", 1, 0);
      // filt-c's events were published before filt-b's second fix: once a client has that fix, it
      // has
      // been offered everything that came before
      for (StreamClient c : List.of(all, onlyB, both)) {
        c.next(
            e -> "fix".equals(e.getString("event")) && ts(1) == e.getLong("ts"),
            Duration.ofSeconds(15),
            "2nd fix");
      }
      riderC.next("progress", "filt-c");
      assertEquals(List.of("filt-b"), tasksIn(onlyB));
      assertEquals(List.of("filt-b"), tasksIn(both));
      assertEquals(List.of("filt-c"), tasksIn(riderC));
      assertTrue(tasksIn(all).containsAll(List.of("filt-b", "filt-c")));
    }
  }

  @Test
  void aWebSocketGetsTheSameEventsAsServerSentEvents() throws Exception {
    try (StreamClient s = sse("/v1/live?taskId=ws-1", manager());
        StreamClient w =
            StreamClient.webSocket(
                ws, h.httpPort(), "/v1/live/ws?taskId=ws-1&access_token=" + manager(), null)) {
      assertEquals(101, w.status);
      w.next("snapshot_complete", null);
      for (int i = 0; i < 3; i++) post("ws-1", "rider-d", i, 0);
      for (StreamClient c : List.of(s, w)) {
        for (int i = 0; i < 3; i++) c.next("progress", "ws-1");
      }
      assertEquals(s.events(), w.events());
      assertEquals(
          List.of("snapshot_complete", "fix", "progress", "fix", "progress", "fix", "progress"),
          types(w));
    }
  }

  // ---- auth -----------------------------------------------------------------------------------

  @Test
  void managersAdminsAndRidersMayWatchOthersMayNot() throws Exception {
    StreamClient none = sse("/v1/live", null);
    assertEquals(401, none.status);
    assertEquals("unauthorized", new JsonObject(none.body).getString("error"));
    assertEquals(401, sse("/v1/live", GatewayHarness.expiredToken("manager-1", "manager")).status);
    assertEquals(401, sse("/v1/live", GatewayHarness.forgedToken("manager-1")).status);
    assertEquals(401, sse("/v1/live?access_token=not-a-jwt", null).status);
    StreamClient other =
        sse("/v1/live?access_token=" + GatewayHarness.token("auditor-1", "auditor"), null);
    assertEquals(403, other.status);
    assertEquals("forbidden", new JsonObject(other.body).getString("error"));
    // a rider may not ask for another rider's events
    StreamClient nosy =
        sse("/v1/live?riderId=rider-b&access_token=" + GatewayHarness.riderToken("rider-a"), null);
    assertEquals(403, nosy.status);
    assertEquals("forbidden", new JsonObject(nosy.body).getString("error"));
    assertTrue(new JsonObject(nosy.body).getString("message").contains("rider-a"), nosy.body);

    assertEquals(401, StreamClient.webSocket(ws, h.httpPort(), "/v1/live/ws", null).status);
    assertEquals(
        403,
        StreamClient.webSocket(
                ws,
                h.httpPort(),
                "/v1/live/ws?riderId=rider-b",
                GatewayHarness.riderToken("rider-a"))
            .status);
    assertEquals(
        401,
        StreamClient.webSocket(
                ws,
                h.httpPort(),
                "/v1/live/ws?access_token=" + GatewayHarness.expiredToken("admin-1", "admin"),
                null)
            .status);

    try (StreamClient manager = sse("/v1/live", manager());
        StreamClient admin =
            sse("/v1/live?access_token=" + GatewayHarness.token("admin-1", "admin"), null);
        StreamClient wsAdmin =
            StreamClient.webSocket(
                ws, h.httpPort(), "/v1/live/ws", GatewayHarness.token("admin-1", "admin"))) {
      assertEquals(200, manager.status);
      assertEquals("text/event-stream; charset=utf-8", manager.contentType);
      assertEquals(200, admin.status);
      assertEquals(101, wsAdmin.status);
      for (StreamClient c : List.of(manager, admin, wsAdmin)) c.next("snapshot_complete", null);
    }
    try (StreamClient rider =
            sse("/v1/live?access_token=" + GatewayHarness.riderToken("rider-a"), null);
        StreamClient wsRider =
            StreamClient.webSocket(
                ws, h.httpPort(), "/v1/live/ws", GatewayHarness.riderToken("rider-a"))) {
      assertEquals(200, rider.status);
      assertEquals(101, wsRider.status);
      for (StreamClient c : List.of(rider, wsRider)) c.next("snapshot_complete", null);
    }
  }

  @Test
  void aRiderSeesOnlyTheirOwnTasksInTheSnapshotAndAfterwards() throws Exception {
    // both riders have ridden a bit before anyone connects: both tasks are in the live state
    for (int i = 0; i < 2; i++) {
      post("own-i", "rider-i", i, 0);
      post("own-j", "rider-j", i, 0);
    }
    // wait until both second fixes are in the live state (a manager's snapshot or progress shows
    // them) before the rider connects
    for (String task : List.of("own-i", "own-j")) {
      try (StreamClient watcher = sse("/v1/live?taskId=" + task, manager())) {
        watcher.next(
            e ->
                ("task_snapshot".equals(e.getString("event"))
                        && ts(1) == e.getJsonObject("lastFix").getLong("ts"))
                    || ("progress".equals(e.getString("event")) && ts(1) == e.getLong("ts")),
            Duration.ofSeconds(15),
            "second fix of " + task);
      }
    }
    String riderI = GatewayHarness.riderToken("rider-i");
    try (StreamClient all = sse("/v1/live?access_token=" + riderI, null);
        StreamClient ownTask = sse("/v1/live?taskId=own-i&access_token=" + riderI, null);
        StreamClient othersTask = sse("/v1/live?taskId=own-j&access_token=" + riderI, null);
        StreamClient selfNamed =
            sse("/v1/live?riderId=rider-i&taskId=own-i,own-j&access_token=" + riderI, null);
        StreamClient wsAll =
            StreamClient.webSocket(ws, h.httpPort(), "/v1/live/ws?access_token=" + riderI, null)) {
      for (StreamClient c : List.of(all, ownTask, othersTask, selfNamed))
        assertEquals(200, c.status);
      assertEquals(101, wsAll.status);
      for (StreamClient c : List.of(all, ownTask, selfNamed, wsAll)) {
        JsonObject snap = c.next("task_snapshot", "own-i");
        assertEquals("rider-i", snap.getString("riderId"));
        assertEquals(ts(1), snap.getJsonObject("lastFix").getLong("ts"));
        assertEquals(1, c.next("snapshot_complete", null).getInteger("tasks"));
      }
      assertEquals(0, othersTask.next("snapshot_complete", null).getInteger("tasks"));

      post("own-j", "rider-j", 2, 0);
      post("own-i", "rider-i", 2, 0);
      for (StreamClient c : List.of(all, ownTask, selfNamed, wsAll)) {
        assertEquals(ts(2), c.next("fix", "own-i").getLong("ts"));
        JsonObject p = c.next("progress", "own-i");
        assertEquals("rider-i", p.getString("riderId"));
        assertTrue(p.getDouble("percent") > 0, p.encode());
        assertTrue(p.containsKey("etaSeconds"), p.encode());
      }
      // rider-j's fix went out before rider-i's: had it been let through, it would be here by now
      for (StreamClient c : List.of(all, ownTask, selfNamed, wsAll)) {
        assertEquals(List.of("own-i"), tasksIn(c));
        assertTrue(
            c.events().stream()
                .map(e -> e.getString("riderId"))
                .allMatch(r -> r == null || "rider-i".equals(r)),
            c.events().toString());
      }
      // the stream of someone else's task got nothing but the end of an empty snapshot
      assertEquals(List.of("snapshot_complete"), types(othersTask));
    }
  }

  @Test
  void theStreamEndsWhenTheTokenExpires() throws Exception {
    try (StreamClient c =
        sse(
            "/v1/live?access_token="
                + GatewayHarness.token("manager-1", "manager", Duration.ofSeconds(2)),
            null)) {
      assertEquals(200, c.status);
      c.next("snapshot_complete", null);
      assertTrue(c.awaitEnd(Duration.ofSeconds(15)), "the stream ended at the token's expiry");
    }
  }

  // ---- progress and task status ----------------------------------------------------------------

  @Test
  void fixesFarOffTheRouteRaiseAnOffRouteAlert() throws Exception {
    try (StreamClient c = sse("/v1/live?taskId=off-1", manager())) {
      for (int i = 0; i < 3; i++) post("off-1", "rider-e", i, 0);
      for (int i = 3; i < 6; i++) post("off-1", "rider-e", i, OFF);
      JsonObject alert = c.next(alert("off_route"), Duration.ofSeconds(15), "off_route alert");
      assertEquals("off-1", alert.getString("taskId"));
      assertEquals("rider-e", alert.getString("riderId"));
      assertEquals(
          ts(5), alert.getLong("ts"), "off the route for 20 s (fixes 3 to 5): " + alert.encode());
      JsonObject progress = c.events("progress").get(c.events("progress").size() - 1);
      assertFalse(progress.getBoolean("onRoute"), progress.encode());
      assertTrue(progress.getDouble("offRouteM") > 150, progress.encode());
      for (int i = 6; i < 9; i++) post("off-1", "rider-e", i, 0);
      c.next(alert("back_on_route"), Duration.ofSeconds(15), "back_on_route alert");
    }
  }

  @Test
  void aTaskStatusNotificationReachesTheStreamAndEndsTheTask() throws Exception {
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.taskStatusListening()),
        "the gateway listens for task status changes");
    try (StreamClient c = sse("/v1/live?taskId=status-1", manager())) {
      post("status-1", "rider-f", 0, 0);
      c.next("progress", "status-1");
      assertTrue(StreamClient.onGateway(h, () -> h.gateway.liveTracking().isTracking("status-1")));
      // what the back office does when the rider completes the task
      String at = Instant.now().toString();
      await(
          pg.withTransaction(
              conn ->
                  conn.query("UPDATE tasks SET status = 'completed' WHERE id = 'status-1'")
                      .execute()
                      .compose(
                          r ->
                              conn.preparedQuery(
                                      "SELECT pg_notify('" + StatusChannels.TASK_STATUS + "', $1)")
                                  .execute(
                                      Tuple.of(
                                          new JsonObject()
                                              .put("taskId", "status-1")
                                              .put("status", "completed")
                                              .put("riderId", "rider-f")
                                              .put("at", at)
                                              .encode())))));
      JsonObject status = c.next("task_status", "status-1");
      assertEquals(
          new JsonObject()
              .put("event", "task_status")
              .put("taskId", "status-1")
              .put("status", "completed")
              .put("riderId", "rider-f")
              .put("at", at),
          status);
    }
    assertFalse(
        StreamClient.onGateway(h, () -> h.gateway.liveTracking().isTracking("status-1")),
        "dropped");
    try (StreamClient later = sse("/v1/live?taskId=status-1", manager())) {
      assertEquals(
          0,
          later.next("snapshot_complete", null).getInteger("tasks"),
          "no longer in the snapshot");
    }
    // the cached access decision was dropped too: the rider can no longer publish, at once
    HttpResponse<String> refused =
        h.postFixes("status-1", GatewayHarness.riderToken("rider-f"), fix(1, 0).encode());
    assertEquals(403, refused.statusCode(), refused.body());
  }

  @Test
  void afterARestartProgressIsRebuiltFromTheStoredFixes() throws Exception {
    try (StreamClient c = sse("/v1/live?taskId=restart-1", manager())) {
      for (int i = 0; i < 6; i++) post("restart-1", "rider-g", i, 0);
      for (int i = 0; i < 6; i++) c.next("progress", "restart-1");
      assertEquals(
          List.of("checkpoint_reached"),
          c.events("alert").stream().map(e -> e.getString("type")).toList());
    }
    h.stopGateway();
    h.startGateway();
    try (StreamClient c = sse("/v1/live?taskId=restart-1", manager())) {
      assertEquals(
          0,
          c.next("snapshot_complete", null).getInteger("tasks"),
          "a new instance knows no task yet");
      post("restart-1", "rider-g", 6, 0);
      JsonObject p = c.next("progress", "restart-1");
      assertEquals(
          1,
          p.getInteger("checkpointsReached"),
          "the checkpoint passed before the restart: " + p.encode());
      assertTrue(p.getDouble("alongM") > 280, p.encode());
      assertTrue(
          p.getDouble("speedMps") != null && p.getDouble("speedMps") > 3,
          "speed known from history: " + p.encode());
      post("restart-1", "rider-g", 7, 0);
      c.next(
          e -> "progress".equals(e.getString("event")) && ts(7) == e.getLong("ts"),
          Duration.ofSeconds(15),
          "progress");
      assertEquals(
          List.of(),
          c.events("alert"),
          "no alert raised again for the checkpoint passed before the restart");
    }
    try (StreamClient c = sse("/v1/live?taskId=restart-1", manager())) {
      JsonObject snap = c.next("task_snapshot", "restart-1");
      assertEquals(
          8,
          snap.getJsonObject("progress").getLong("acceptedFixes"),
          "six stored fixes and two new ones");
    }
  }

  @Test
  void aLateFixInsideACheckpointMarksItInTheLiveView() throws Exception {
    try (StreamClient c = sse("/v1/live?taskId=late-1", manager())) {
      // Fixes 0-2 (0-100 m), then the phone was offline: fix 7 (350 m) arrives first, 50 s after
      // fix 2, too long a gap for the leg between them to count; neither fix is within the
      // checkpoint's 40 m (at 238 m). Fix 5 (250 m, 12 m from it) arrives later from the buffer.
      for (int i : new int[] {0, 1, 2, 7}) post("late-1", "rider-h", i, 0);
      JsonObject before =
          c.next(
              e -> "progress".equals(e.getString("event")) && ts(7) == e.getLong("ts"),
              Duration.ofSeconds(15),
              "progress");
      assertEquals(0, before.getInteger("checkpointsReached"), before.encode());
      post("late-1", "rider-h", 5, 0);
      JsonObject alert =
          c.next(alert("checkpoint_reached"), Duration.ofSeconds(15), "checkpoint alert");
      assertEquals(ts(5), alert.getLong("ts"), alert.encode());
      assertEquals(true, alert.getJsonObject("details").getBoolean("lateFix"), alert.encode());
      JsonObject after = c.events("progress").get(c.events("progress").size() - 1);
      assertEquals(1, after.getInteger("checkpointsReached"), after.encode());
      assertEquals(
          ts(7), after.getLong("ts"), "the state is still the latest fix's: " + after.encode());
      assertEquals(before.getDouble("alongM"), after.getDouble("alongM"), "progress did not move");
      assertEquals(
          List.of("checkpoint_reached"),
          c.events("alert").stream().map(e -> e.getString("type")).toList(),
          "no stale alert");
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static String manager() {
    return GatewayHarness.token("manager-1", "manager");
  }

  private static StreamClient sse(String path, String bearer) throws Exception {
    return StreamClient.sse(http, h.httpPort(), path, bearer);
  }

  static long ts(int i) {
    return T0 + i * 10_000L;
  }

  /** Fix number {@code i} of a rider riding the route, {@code northDeg} off it. */
  static JsonObject fix(int i, double northDeg) {
    return new JsonObject()
        .put("ts", ts(i))
        .put("lat", LAT + northDeg)
        .put("lon", LON0 + i * STEP)
        .put("acc", 5.0);
  }

  private static void post(String task, String rider, int i, double northDeg) throws Exception {
    HttpResponse<String> r =
        h.postFixes(task, GatewayHarness.riderToken(rider), fix(i, northDeg).encode());
    assertEquals(200, r.statusCode(), r.body());
  }

  private static java.util.function.Predicate<JsonObject> alert(String type) {
    return e -> "alert".equals(e.getString("event")) && type.equals(e.getString("type"));
  }

  private static List<String> types(StreamClient c) {
    return c.events().stream().map(e -> e.getString("event")).toList();
  }

  private static List<String> tasksIn(StreamClient c) {
    return c.events().stream()
        .map(e -> e.getString("taskId"))
        .filter(t -> t != null)
        .distinct()
        .sorted()
        .toList();
  }

  private static void sql(String sql) {
    await(pg.query(sql).execute());
  }

  private static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }
}
