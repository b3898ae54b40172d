package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo fleet against the whole local stack, 50 times faster than real time: every seeded rider
 * claims, starts, rides and completes a task; the gateway stores every fix; the live stream reports
 * the planned off-route episode within the first simulated minute, the stop and the arrivals.
 */
class FleetSimulatorIT {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(null, Map.of());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void ridersRideTheDemoTasksWithADetourAndAStop() throws Exception {
    String manager = login("manager");
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    CompletableFuture<HttpResponse<Stream<String>>> live =
        HTTP.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + stack.gateway.httpPort()
                            + "/v1/live?access_token="
                            + manager))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> stream = live.get(10, TimeUnit.SECONDS);
    assertEquals(200, stream.statusCode(), "the live stream accepts the manager");
    Thread reader =
        new Thread(
            () ->
                stream
                    .body()
                    .forEach(
                        line -> {
                          if (line.startsWith("data:"))
                            events.add(new JsonObject(line.substring(5).trim()));
                        }),
            "live-reader");
    reader.setDaemon(true);
    reader.start();

    FleetSimulator.Options options =
        FleetSimulator.Options.defaults().withSpeedup(50).withMaxWall(Duration.ofMinutes(3));
    List<FleetSimulator.RiderReport> reports;
    try (FleetSimulator sim = FleetSimulator.start(stack, options)) {
      reports = sim.done().get(4, TimeUnit.MINUTES);
    }
    assertEquals(DemoSeed.RIDERS.size(), reports.size());
    Set<String> tasks = new HashSet<>();
    for (FleetSimulator.RiderReport r : reports) {
      assertNull(r.error(), r.toString());
      assertTrue(r.completed(), r.toString());
      assertEquals(r.fixesPublished(), r.fixesAcknowledged(), "every fix acknowledged: " + r);
      tasks.add(r.taskId());
    }
    assertEquals(reports.size(), tasks.size(), "each rider rode a task of their own: " + reports);

    Polyline route = route(manager);
    for (int i = 0; i < reports.size(); i++) {
      FleetSimulator.RiderReport r = reports.get(i);
      JsonObject task = api("GET", "/tasks/" + r.taskId(), manager);
      assertEquals("completed", task.getString("status"));
      JsonArray fixes =
          api("GET", "/tasks/" + r.taskId() + "/track?limit=1000", manager).getJsonArray("fixes");
      assertEquals(r.fixesPublished(), fixes.size(), "every fix stored for " + r);
      List<Double> offsets = new ArrayList<>();
      for (Object o : fixes) {
        JsonObject f = (JsonObject) o;
        offsets.add(route.nearest(GeoPoint.of(f.getDouble("lat"), f.getDouble("lon"))).distanceM());
      }
      long farOff = offsets.stream().filter(d -> d > 150).count();
      if (i == options.offRouteRider()) {
        assertTrue(farOff >= 5, r.rider() + " spends a while ~200 m off the route: " + offsets);
        assertTrue(offsets.stream().allMatch(d -> d < 260), "but not much farther: " + offsets);
      } else {
        assertEquals(0, farOff, r.rider() + " stays on the route: " + offsets);
      }
      JsonObject last = fixes.getJsonObject(fixes.size() - 1);
      GeoPoint end = route.points().get(route.points().size() - 1);
      assertTrue(
          GeoPoint.of(last.getDouble("lat"), last.getDouble("lon")).distanceTo(end) < 1,
          "ends at the route's end");
      long lastTs = last.getLong("ts");
      assertTrue(lastTs <= System.currentTimeMillis(), "fix times never run ahead of the clock");
      for (int k = 1; k < fixes.size(); k++) {
        assertEquals(
            10_000,
            fixes.getJsonObject(k).getLong("ts") - fixes.getJsonObject(k - 1).getLong("ts"),
            "a fix every 10 s of simulated time");
      }
    }

    // The live stream told the story.
    String detourTask = reports.get(options.offRouteRider()).taskId();
    String stopTask = reports.get(options.stoppingRider()).taskId();
    JsonObject offRoute =
        awaitEvent(events, e -> isAlert(e, detourTask, "off_route"), "an off-route alert");
    long firstTs =
        api("GET", "/tasks/" + detourTask + "/track?limit=1", manager)
            .getJsonArray("fixes")
            .getJsonObject(0)
            .getLong("ts");
    assertTrue(
        offRoute.getLong("ts") - firstTs <= 60_000,
        "the off-route alert comes within the first minute of the ride: " + offRoute.encode());
    awaitEvent(events, e -> isAlert(e, detourTask, "back_on_route"), "the rider back on the route");
    awaitEvent(events, e -> isAlert(e, stopTask, "stopped"), "a stop");
    awaitEvent(events, e -> isAlert(e, stopTask, "moving"), "moving again");
    for (String t : tasks) {
      awaitEvent(events, e -> isAlert(e, t, "arrived"), "arrival of " + t);
      awaitEvent(
          events,
          e ->
              "task_status".equals(e.getString("event"))
                  && t.equals(e.getString("taskId"))
                  && "completed".equals(e.getString("status")),
          "completion of " + t);
    }
  }

  static boolean isAlert(JsonObject e, String taskId, String type) {
    return "alert".equals(e.getString("event"))
        && taskId.equals(e.getString("taskId"))
        && type.equals(e.getString("type"));
  }

  /** Events read so far from the live stream, in order. */
  static final List<JsonObject> SEEN = new ArrayList<>();

  /** The first event (seen or still to come, within 30 s) that matches. */
  static JsonObject awaitEvent(
      BlockingQueue<JsonObject> events, Predicate<JsonObject> p, String what) throws Exception {
    for (JsonObject e : SEEN) if (p.test(e)) return e;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      JsonObject e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e == null) break;
      SEEN.add(e);
      if (p.test(e)) return e;
    }
    return fail(
        what
            + " never came on the live stream; alerts and status changes seen: "
            + SEEN.stream()
                .filter(
                    e ->
                        !"fix".equals(e.getString("event"))
                            && !"progress".equals(e.getString("event")))
                .toList());
  }

  static Polyline route(String token) throws Exception {
    JsonObject route = api("GET", "/routes/" + DemoSeed.DEMO_ROUTE_ID, token);
    List<GeoPoint> pts = new ArrayList<>();
    for (Object c : route.getJsonObject("geometry").getJsonArray("coordinates")) {
      JsonArray lonLat = (JsonArray) c;
      pts.add(GeoPoint.fromLonLat(lonLat.getDouble(0), lonLat.getDouble(1)));
    }
    return Polyline.of(pts);
  }

  static String login(String username) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/auth/login"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject()
                        .put("username", username)
                        .put("password", stack.seeded.passwords().get(username))
                        .encode()))
            .build();
    HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    return new JsonObject(res.body()).getString("accessToken");
  }

  static JsonObject api(String method, String path, String token) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Bearer " + token)
            .build();
    HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), method + " " + path + " → " + res.body());
    return new JsonObject(res.body());
  }
}
