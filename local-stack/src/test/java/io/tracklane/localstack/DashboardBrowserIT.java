package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.gateway.dashboard.DashboardRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * {@code src/test/js/dashboard.test.mjs}) against the whole local stack: the manager signs in,
 * while a rider claims and starts a task and publishes fixes over MQTT the progress bar advances,
 * the rider leaves the route by ~200 m and an off-route alert appears; once the task is completed
 * its track plays back. Screenshots: {@code target/dashboard.png} (off route) and {@code
 * target/dashboard-playback.png}.
 *
 * <p>Outside CI the test is skipped when Chromium or Node.js is missing; under {@code CI=true} it
 * always runs.
 */
class DashboardBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path JS_DIR = Path.of("src/test/js").toAbsolutePath();
  static final Path SCREENSHOT = Path.of("target/dashboard.png").toAbsolutePath();
  static final Path BROWSER_LOG = Path.of("target/dashboard-browser.log").toAbsolutePath();

  /**
   * How long the browser script waits for any one thing; this test waits twice as long for its
   * reports.
   */
  static final Duration STEP = Duration.ofSeconds(60);

  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static LocalStack stack;
  static Vertx webVertx;
  static String dashboardUrl;
  static Process browser;

  @BeforeAll
  static void start() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean driverReady =
        Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core")) || onPath("npm");
    assumeTrue(
        ci || (Files.isExecutable(CHROMIUM) && onPath("node") && driverReady),
        "needs /usr/bin/chromium (apt-get install chromium) and Node.js; under CI=true it always runs");
    stack = LocalStack.start(null, Map.of());
    dashboardUrl = dashboard();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null && browser.isAlive()) {
      browser.destroy();
      if (!browser.waitFor(10, TimeUnit.SECONDS)) browser.destroyForcibly();
    }
    if (webVertx != null) webVertx.close().await(10, TimeUnit.SECONDS);
    if (stack != null) stack.close();
  }

  /**
   * Where the page is: on the gateway's own HTTP port when the gateway mounts the dashboard, else
   * on a small server of this test (with absolute API and live-stream URLs in its config.json).
   */
  static String dashboard() throws Exception {
    String gateway = "http://127.0.0.1:" + stack.gateway.httpPort();
    HttpResponse<String> onGateway = get(gateway + "/dashboard/config.json");
    if (onGateway.statusCode() == 200) {
      JsonObject config = new JsonObject(onGateway.body());
      assertEquals(
          stack.apiUrl(),
          config.getString("apiUrl"),
          "the gateway's dashboard must point at the stack's back-office API: " + onGateway.body());
      return gateway + "/dashboard/";
    }
    webVertx = Vertx.vertx();
    Router router = Router.router(webVertx);
    DashboardRoutes.mount(router, stack.apiUrl(), gateway + "/v1/live", null);
    HttpServer server =
        webVertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    return "http://127.0.0.1:" + server.actualPort() + "/dashboard/";
  }

  @Test
  void managerSeesProgressAndAnOffRouteAlertThenPlaysTheTrackBack() throws Exception {
    // The rider takes a seeded task before the manager looks: it is in progress at sign-in.
    String taskId = stack.seeded.openTaskIds().get(0);
    String rider = login("rider1", stack.seeded.passwords().get("rider1"));
    ok(call("POST", "/tasks/" + taskId + "/claim", rider), 200);
    ok(call("POST", "/tasks/" + taskId + "/start", rider), 200);
    Ride ride = new Ride(routeOf(taskId, rider));

    installBrowserDriver();
    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    ProcessBuilder pb =
        new ProcessBuilder("node", "dashboard.test.mjs")
            .directory(JS_DIR.toFile())
            .redirectError(BROWSER_LOG.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "DASHBOARD_URL", dashboardUrl,
                "MANAGER_USERNAME", "manager",
                "MANAGER_PASSWORD", stack.seeded.passwords().get("manager"),
                "TASK_ID", taskId,
                "SCREENSHOT", SCREENSHOT.toString(),
                "CHROMIUM", CHROMIUM.toString(),
                "STEP_TIMEOUT_MS", Long.toString(STEP.toMillis())));
    browser = pb.start();
    BlockingQueue<String> lines = readLines(browser);

    MqttAsyncClient phone = mqtt("rider1-phone", rider);
    try {
      awaitLine(lines, "READY");
      // On the route, 5 m/s, a fix every 10 s: about 11 % of the way.
      for (int i = 0; i < 6; i++) publish(phone, taskId, ride.onRoute(50));
      awaitLine(lines, "PROGRESS");
      // On along the route, then off it: ~200 m to the side for four fixes (40 s).
      for (int i = 0; i < 4; i++) publish(phone, taskId, ride.onRoute(50));
      for (int i = 0; i < 4; i++) publish(phone, taskId, ride.offRoute(25, 200));
      awaitLine(lines, "OFFROUTE");
      // Back on the route, and done.
      for (int i = 0; i < 3; i++) publish(phone, taskId, ride.onRoute(50));
    } finally {
      phone.disconnect().waitForCompletion(5000);
      phone.close();
    }
    // Not at the end of the route: the arrival check refuses the rider; an admin overrides it.
    HttpResponse<String> early = call("POST", "/tasks/" + taskId + "/complete", rider);
    assertEquals(409, early.statusCode(), early.body());
    String admin = login("admin", stack.seeded.passwords().get("admin"));
    ok(
        call(
            "POST",
            "/tasks/" + taskId + "/complete",
            admin,
            new JsonObject()
                .put(
                    "overrideReason",
                    "rider's phone died near the end; customer confirmed by phone")),
        200);
    JsonArray track =
        ok(call("GET", "/tasks/" + taskId + "/track", rider), 200).getJsonArray("fixes");
    assertEquals(ride.published, track.size(), "every fix is stored: " + track.encode());

    awaitLine(lines, "DONE");
    assertTrue(browser.waitFor(2 * STEP.toSeconds(), TimeUnit.SECONDS), "the browser script ends");
    assertEquals(0, browser.exitValue(), "the browser script passes; its log:\n" + browserLog());
    assertTrue(Files.size(SCREENSHOT) > 10_000, "a real screenshot at " + SCREENSHOT);
    System.out.println("dashboard screenshot: " + SCREENSHOT);
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

    Ride(Polyline line) {
      this.line = line;
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
      long ts = t0 + 10_000L * published++;
      return new JsonObject()
          .put("ts", ts)
          .put("lat", p.lat())
          .put("lon", p.lon())
          .put("acc", 5.0)
          .put("spd", 5.0);
    }
  }

  static Polyline routeOf(String taskId, String token) throws Exception {
    JsonObject task = ok(call("GET", "/tasks/" + taskId, token), 200);
    JsonObject route = ok(call("GET", "/routes/" + task.getString("routeId"), token), 200);
    List<GeoPoint> pts = new ArrayList<>();
    for (Object c : route.getJsonObject("geometry").getJsonArray("coordinates")) {
      JsonArray lonLat = (JsonArray) c;
      pts.add(GeoPoint.fromLonLat(lonLat.getDouble(0), lonLat.getDouble(1)));
    }
    return Polyline.of(pts);
  }

  // ---- the browser script ---------------------------------------------------------------------

  /** npm install in src/test/js when node_modules is missing (CI installs it beforehand). */
  static void installBrowserDriver() throws Exception {
    if (Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core"))) return;
    Process npm =
        new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
            .directory(JS_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(Path.of("target/npm-install.log").toAbsolutePath().toFile())
            .start();
    if (!npm.waitFor(5, TimeUnit.MINUTES)) {
      npm.destroyForcibly();
      fail("npm install did not finish within 5 minutes (target/npm-install.log)");
    }
    assertEquals(
        0,
        npm.exitValue(),
        "npm install failed: " + Files.readString(Path.of("target/npm-install.log")));
  }

  static BlockingQueue<String> readLines(Process p) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  System.out.println("[browser] " + line);
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "browser-stdout");
    t.setDaemon(true);
    t.start();
    return lines;
  }

  /**
   * Waits (bounded) for the script to report {@code marker}; fails with its log if it ends first.
   */
  static String awaitLine(BlockingQueue<String> lines, String marker) throws Exception {
    long deadline = System.nanoTime() + 2 * STEP.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(marker)) return line;
      if (line == null && !browser.isAlive() && lines.isEmpty()) {
        fail(
            "the browser script ended (exit "
                + browser.exitValue()
                + ") before "
                + marker
                + "; its log:\n"
                + browserLog());
      }
    }
    fail(
        "no "
            + marker
            + " from the browser script within "
            + 2 * STEP.toSeconds()
            + " s; its log:\n"
            + browserLog());
    return null;
  }

  static String browserLog() {
    try {
      String log = Files.readString(BROWSER_LOG);
      return log.length() > 8000 ? log.substring(log.length() - 8000) : log;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
    }
    return false;
  }

  // ---- API and MQTT ---------------------------------------------------------------------------

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> call(String method, String path, String token) throws Exception {
    return call(method, path, token, null);
  }

  static HttpResponse<String> call(String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + " → " + r.body());
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  static String login(String username, String password) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/auth/login"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    new JsonObject().put("username", username).put("password", password).encode()))
            .build();
    return ok(HTTP.send(req, HttpResponse.BodyHandlers.ofString()), 200).getString("accessToken");
  }

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
