package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.localstack.FleetSimulator;
import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher dashboard in a real browser (Debian's Chromium driven by playwright-core from
 * {@code src/test/js/dashboard.test.mjs}) against the whole local stack, whose gateway serves the
 * pages from this module's classpath: the manager signs in, while a rider claims and starts a task
 * and publishes fixes over MQTT the progress bar advances, the rider leaves the route by ~200 m and
 * an off-route alert appears; once the task is completed its track plays back. The ride has a
 * planted 5-minute gap, which the task card's track completeness and the playback name and mark.
 *
 * <p>Alongside, a route named and a task titled {@value #HOSTILE} (in progress, one fix) must show
 * literally as text in the task list, the route's map tooltip and the rider's tooltip, with no
 * element made of it and no dialog; the page keeps to its Content-Security-Policy (no violation
 * reported) and is reachable by keyboard with a visible focus.
 *
 * <p>Screenshots: {@code target/dashboard.png} (off route, 1280×800), {@code
 * target/dashboard-1920x1080.png} and {@code target/dashboard-playback.png}.
 */
class DashboardBrowserIT {
  static final Path SCREENSHOT = BrowserKit.TARGET.resolve("dashboard.png");
  static final Path BROWSER_LOG = BrowserKit.TARGET.resolve("dashboard-browser.log");

  /** A name a user could type, which an HTML sink would turn into an image and a bold element. */
  static final String HOSTILE = "<img src=x onerror=alert(1)><b>bold</b>";

  /**
   * How long the browser script waits for any one thing; this test waits twice as long for its
   * reports.
   */
  static final Duration STEP = Duration.ofSeconds(60);

  static LocalStack stack;
  static StackApi api;
  static String dashboardUrl;

  @BeforeAll
  static void start() throws Exception {
    BrowserKit.assumeBrowser();
    stack = LocalStack.start(null, Map.of());
    api = new StackApi(stack);
    dashboardUrl = dashboard();
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) stack.close();
  }

  /** The gateway serves the pages (this module's classpath) and points them at the stack's API. */
  static String dashboard() throws Exception {
    String gateway = "http://127.0.0.1:" + stack.gateway.httpPort();
    HttpResponse<String> config = StackApi.get(gateway + "/dashboard/config.json");
    assertEquals(200, config.statusCode(), config.body());
    assertEquals(
        stack.apiUrl(),
        new JsonObject(config.body()).getString("apiUrl"),
        "the gateway's pages must point at the stack's back-office API: " + config.body());
    return gateway + "/dashboard/";
  }

  /**
   * A route named and a task titled {@link #HOSTILE}, claimed and started by rider4, with one fix
   * on it: it is listed, drawn and has a rider marker when the manager signs in.
   */
  static String hostileTask() throws Exception {
    String admin = api.login("admin");
    JsonArray line = new JsonArray();
    double[][] pts = {{121.4660, 31.2290}, {121.4700, 31.2295}, {121.4740, 31.2300}};
    for (double[] p : pts) line.add(new JsonArray().add(p[0]).add(p[1]));
    JsonObject route =
        StackApi.ok(
            api.call(
                "POST",
                "/routes",
                admin,
                new JsonObject()
                    .put("name", HOSTILE)
                    .put(
                        "geometry",
                        new JsonObject().put("type", "LineString").put("coordinates", line))
                    .put(
                        "checkpoints",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", HOSTILE)
                                    .put("lat", pts[1][1])
                                    .put("lon", pts[1][0])
                                    .put("radiusM", 60)))),
            201);
    Instant now = Instant.now();
    JsonObject task =
        StackApi.ok(
            api.call(
                "POST",
                "/tasks",
                admin,
                new JsonObject()
                    .put("routeId", route.getString("id"))
                    .put("title", HOSTILE)
                    .put("bonusAmount", "1.00")
                    .put("bonusCurrency", "CNY")
                    .put("windowStart", now.minus(Duration.ofMinutes(5)).toString())
                    .put("windowEnd", now.plus(Duration.ofHours(4)).toString())),
            201);
    String taskId = task.getString("id");
    String rider = api.login("rider4");
    StackApi.ok(api.call("POST", "/tasks/" + taskId + "/claim", rider), 200);
    StackApi.ok(api.call("POST", "/tasks/" + taskId + "/start", rider), 200);
    JsonObject fix =
        new JsonObject()
            .put("ts", System.currentTimeMillis() - 5_000)
            .put("lat", pts[0][1])
            .put("lon", pts[0][0])
            .put("acc", 5.0);
    HttpResponse<String> stored =
        StackApi.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + stack.gateway.httpPort()
                            + "/v1/tasks/"
                            + taskId
                            + "/fixes"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + rider)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(fix.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, stored.statusCode(), stored.body());
    return taskId;
  }

  @Test
  void managerSeesProgressAndAnOffRouteAlertThenPlaysTheTrackBack() throws Exception {
    // The rider takes a seeded task before the manager looks: it is in progress at sign-in.
    String taskId = stack.seeded.openTaskIds().get(0);
    String rider = api.login("rider1");
    StackApi.ok(api.call("POST", "/tasks/" + taskId + "/claim", rider), 200);
    StackApi.ok(api.call("POST", "/tasks/" + taskId + "/start", rider), 200);
    Ride ride = new Ride(routeOf(taskId, rider));
    // the ride started just before its first fix, so the ride's track completeness judges them all
    stack
        .backoffice
        .db()
        .query(
            "UPDATE tasks SET started_at = $2 WHERE id = $1",
            taskId,
            Instant.ofEpochMilli(ride.t0 - 5_000).atOffset(ZoneOffset.UTC))
        .list();
    String hostileTaskId = hostileTask();

    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    try (BrowserKit.Script browser =
        BrowserKit.Script.start(
            "dashboard.test.mjs",
            BROWSER_LOG,
            STEP,
            Map.of(
                "DASHBOARD_URL", dashboardUrl,
                "MANAGER_USERNAME", "manager",
                "MANAGER_PASSWORD", stack.seeded.passwords().get("manager"),
                "TASK_ID", taskId,
                "HOSTILE_TASK_ID", hostileTaskId,
                "HOSTILE_TEXT", HOSTILE,
                "SCREENSHOT", SCREENSHOT.toString()))) {
      ride(browser, taskId, rider, ride);
    }
    assertTrue(Files.size(SCREENSHOT) > 10_000, "a real screenshot at " + SCREENSHOT);
    Path wide = BrowserKit.TARGET.resolve("dashboard-1920x1080.png");
    assertTrue(Files.size(wide) > 10_000, "a real screenshot at " + wide);
    System.out.println("dashboard screenshots: " + SCREENSHOT + ", " + wide);
  }

  private void ride(BrowserKit.Script browser, String taskId, String rider, Ride ride)
      throws Exception {
    MqttAsyncClient phone = mqtt("rider1-phone", rider);
    try {
      browser.await("READY");
      // On the route, 5 m/s, a fix every 10 s: about 11 % of the way.
      for (int i = 0; i < 6; i++) publish(phone, taskId, ride.onRoute(50));
      browser.await("PROGRESS");
      // a planted 5-minute gap: the phone recorded nothing for 5 minutes (the card must name it)
      ride.skip(Duration.ofMinutes(5));
      // On along the route, then off it: ~200 m to the side for four fixes (40 s).
      for (int i = 0; i < 4; i++) publish(phone, taskId, ride.onRoute(50));
      for (int i = 0; i < 4; i++) publish(phone, taskId, ride.offRoute(25, 200));
      browser.await("OFFROUTE");
      // Back on the route, and done.
      for (int i = 0; i < 3; i++) publish(phone, taskId, ride.onRoute(50));
    } finally {
      phone.disconnect().waitForCompletion(5000);
      phone.close();
    }
    // Not at the end of the route: the arrival check refuses the rider; an admin overrides it.
    HttpResponse<String> early = api.call("POST", "/tasks/" + taskId + "/complete", rider);
    assertEquals(409, early.statusCode(), early.body());
    String admin = api.login("admin");
    StackApi.ok(
        api.call(
            "POST",
            "/tasks/" + taskId + "/complete",
            admin,
            new JsonObject()
                .put(
                    "overrideReason",
                    "rider's phone died near the end; customer confirmed by phone")),
        200);
    JsonArray track =
        StackApi.ok(api.call("GET", "/tasks/" + taskId + "/track", rider), 200)
            .getJsonArray("fixes");
    assertEquals(ride.published, track.size(), "every fix is stored: " + track.encode());

    browser.await("DONE");
    browser.assertPassed();
  }

  /**
   * Fixes of one ride along a route: ts every 10 s, ending before now (the gateway refuses future
   * ones).
   */
  static final class Ride {
    final Polyline line;
    final long t0 = System.currentTimeMillis() - 600_000;
    double along;
    int published;
    long skippedMs;

    Ride(Polyline line) {
      this.line = line;
    }

    /** The next fix is {@code hole} after the last one instead of 10 s. */
    void skip(Duration hole) {
      skippedMs += hole.toMillis() - 10_000;
    }

    JsonObject onRoute(double stepM) {
      along += stepM;
      return fix(line.pointAt(along));
    }

    JsonObject offRoute(double stepM, double sideM) {
      along += stepM;
      GeoPoint p = line.pointAt(along);
      GeoPoint ahead = line.pointAt(along + 10);
      double heading = FleetSimulator.bearing(p, ahead);
      return fix(FleetSimulator.offsetLeft(p, heading, sideM));
    }

    private JsonObject fix(GeoPoint p) {
      long ts = t0 + skippedMs + 10_000L * published++;
      return new JsonObject()
          .put("ts", ts)
          .put("lat", p.lat())
          .put("lon", p.lon())
          .put("acc", 5.0)
          .put("spd", 5.0);
    }
  }

  static Polyline routeOf(String taskId, String token) throws Exception {
    JsonObject task = StackApi.ok(api.call("GET", "/tasks/" + taskId, token), 200);
    JsonObject route =
        StackApi.ok(api.call("GET", "/routes/" + task.getString("routeId"), token), 200);
    List<GeoPoint> pts = new ArrayList<>();
    for (Object c : route.getJsonObject("geometry").getJsonArray("coordinates")) {
      JsonArray lonLat = (JsonArray) c;
      pts.add(GeoPoint.fromLonLat(lonLat.getDouble(0), lonLat.getDouble(1)));
    }
    return Polyline.of(pts);
  }

  // ---- MQTT -----------------------------------------------------------------------------------

  static MqttAsyncClient mqtt(String clientId, String token) throws Exception {
    MqttAsyncClient c =
        new MqttAsyncClient(
            "tcp://127.0.0.1:" + stack.gateway.mqttPort(), clientId, new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(clientId);
    o.setPassword(token.getBytes(StandardCharsets.UTF_8));
    c.connect(o).waitForCompletion(10_000);
    return c;
  }

  static void publish(MqttAsyncClient c, String taskId, JsonObject fix) throws Exception {
    MqttMessage m = new MqttMessage(fix.toBuffer().getBytes());
    m.setQos(1);
    IMqttToken t = c.publish("tracklane/v1/tasks/" + taskId + "/fixes", m);
    t.waitForCompletion(10_000);
    assertEquals(0, t.getReasonCodes()[0], "fix stored: " + fix.encode());
  }
}
