package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracklane.core.geo.Geo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin console in a real browser (Debian's Chromium driven by playwright-core from {@code
 * web/src/test/js/admin.test.mjs}) against the whole local stack. The script draws, saves,
 * publishes, watches the board and imports files, asserting what the page shows; this test then
 * reads back through the API what was stored: the drawn route within 1 m of the clicked positions
 * and with the length the page showed (within 0.5 m), the GCJ-02-drawn route in WGS-84, and the
 * tasks' states. Screenshots: {@code target/admin-route-designer.png}, {@code
 * target/admin-task-board.png}.
 *
 * <p>Outside CI the test is skipped when Chromium or Node.js is missing; under {@code CI=true} it
 * always runs.
 */
class AdminConsoleBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path WEB = Path.of("../web").toAbsolutePath().normalize();
  static final Path JS_DIR = WEB.resolve("src/test/js");
  static final Path WEBROOT = WEB.resolve("src/main/resources/webroot");
  static final Path RESOURCES = WEB.resolve("src/test/resources/admin");
  static final Path TARGET = Path.of("target").toAbsolutePath();
  static final Path BROWSER_LOG = TARGET.resolve("admin-browser.log");
  static final String HOSTILE = "<img src=x onerror=alert(1)><b>bold</b>";
  static final Duration STEP = Duration.ofSeconds(60);
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static LocalStack stack;
  static Vertx webVertx;
  static String adminUrl;

  @BeforeAll
  static void start() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean driverReady =
        Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core")) || onPath("npm");
    assumeTrue(
        ci || (Files.isExecutable(CHROMIUM) && onPath("node") && driverReady),
        "needs /usr/bin/chromium and Node.js; under CI=true it always runs");
    stack = LocalStack.start(null, Map.of());
    webVertx = Vertx.vertx();
    Router router = Router.router(webVertx);
    JsonObject config = new JsonObject().put("apiUrl", stack.apiUrl()).put("liveUrl", "/v1/live");
    router.get("/web/config.json").handler(ctx -> ctx.json(config));
    // the live stream through this origin, as when the gateway serves the pages itself
    io.vertx.core.http.HttpClient live = webVertx.createHttpClient();
    router
        .get("/v1/live")
        .handler(
            ctx ->
                live.request(
                        HttpMethod.GET, stack.gateway.httpPort(), "127.0.0.1", ctx.request().uri())
                    .compose(HttpClientRequest::send)
                    .onSuccess(
                        resp -> {
                          ctx.response().setStatusCode(resp.statusCode()).setChunked(true);
                          ctx.response().headers().addAll(resp.headers());
                          ctx.response().headers().remove("Content-Length");
                          resp.pipeTo(ctx.response());
                        })
                    .onFailure(ctx::fail));
    router
        .route("/web/vendor/leaflet/*")
        .handler(StaticHandler.create("META-INF/resources/webjars/leaflet/1.9.4/dist"));
    router
        .route("/web/*")
        .handler(
            StaticHandler.create(FileSystemAccess.ROOT, WEBROOT.toString())
                .setCachingEnabled(false)
                .setIndexPage("index.html"));
    HttpServer server =
        webVertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    adminUrl = "http://127.0.0.1:" + server.actualPort() + "/web/admin/";
  }

  @AfterAll
  static void stop() throws Exception {
    if (webVertx != null) webVertx.close().await(10, TimeUnit.SECONDS);
    if (stack != null) stack.close();
  }

  @Test
  void adminDrawsPublishesWatchesTheBoardAndImports() throws Exception {
    String rider = login("rider1", stack.seeded.passwords().get("rider1"));
    String admin = login("admin", stack.seeded.passwords().get("admin"));
    installBrowserDriver();
    Files.createDirectories(TARGET);
    for (String shot : List.of("admin-route-designer.png", "admin-task-board.png")) {
      Files.deleteIfExists(TARGET.resolve(shot));
    }
    ProcessBuilder pb =
        new ProcessBuilder("node", "admin.test.mjs")
            .directory(JS_DIR.toFile())
            .redirectError(BROWSER_LOG.toFile());
    pb.environment()
        .putAll(
            Map.of(
                "ADMIN_URL", adminUrl,
                "API_URL", stack.apiUrl(),
                "ADMIN_USERNAME", "admin",
                "ADMIN_PASSWORD", stack.seeded.passwords().get("admin"),
                "RIDER_TOKEN", rider,
                "RIDER_NAME", "rider1",
                "SCREENSHOT_DIR", TARGET.toString(),
                "RESOURCES", RESOURCES.toString(),
                "CHROMIUM", CHROMIUM.toString(),
                "STEP_TIMEOUT_MS", Long.toString(STEP.toMillis())));
    Process browser = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println("[browser] " + line);
        lines.add(line);
      }
    }
    if (!browser.waitFor(5, TimeUnit.MINUTES)) {
      browser.destroyForcibly();
      fail("the browser script did not end; its log:\n" + browserLog());
    }
    assertEquals(0, browser.exitValue(), "the browser script passes; its log:\n" + browserLog());
    assertTrue(lines.contains("DONE"), "the script finished: " + lines);

    // The drawn route, read back: every vertex within 1 m of the position its click stood for.
    JsonObject drawn = new JsonObject(line(lines, "ROUTE "));
    JsonObject route = ok(call("GET", "/routes/" + drawn.getString("id"), admin), 200);
    assertEquals(HOSTILE, route.getString("name"), "the name is stored verbatim");
    JsonArray stored = route.getJsonObject("geometry").getJsonArray("coordinates");
    JsonArray expected = drawn.getJsonArray("expected");
    assertEquals(7, stored.size(), "7 clicks, one drag: 7 vertices " + stored);
    double worst = 0;
    for (int i = 0; i < expected.size(); i++) {
      double d = distance(expected.getJsonArray(i), lonLat(stored.getJsonArray(i)));
      worst = Math.max(worst, d);
      assertTrue(d < 1.0, "vertex " + i + " is " + d + " m from where it was drawn");
    }
    JsonArray cps = route.getJsonArray("checkpoints");
    assertEquals(2, cps.size(), cps.encode());
    assertEquals("Gate <b>A</b>", cps.getJsonObject(0).getString("name"));
    assertEquals(60, cps.getJsonObject(0).getDouble("radiusM"));
    for (int i = 0; i < 2; i++) {
      JsonObject cp = cps.getJsonObject(i);
      double d =
          distance(
              drawn.getJsonArray("checkpoints").getJsonArray(i),
              new JsonArray().add(cp.getDouble("lat")).add(cp.getDouble("lon")));
      assertTrue(d < 1.0, "checkpoint " + i + " is " + d + " m from where it was placed");
    }
    double lengthGap = Math.abs(route.getDouble("lengthM") - drawn.getDouble("lengthM"));
    assertTrue(
        lengthGap <= 0.5,
        "the page's live length "
            + drawn.getDouble("lengthM")
            + " m vs the API's "
            + route.getDouble("lengthM")
            + " m");
    System.out.printf(
        "drawn route: worst vertex %.3f m; length page %.2f m, API %.2f m%n",
        worst, drawn.getDouble("lengthM"), route.getDouble("lengthM"));

    int claimMs = Integer.parseInt(line(lines, "CLAIM_MS "));
    assertTrue(claimMs <= 2000, "the board showed the claim after " + claimMs + " ms");

    // The edit while a rider has the route: the open task follows it, the claimed one does not.
    JsonObject version = new JsonObject(line(lines, "VERSION "));
    JsonObject open = ok(call("GET", "/tasks/" + version.getString("open"), admin), 200);
    assertEquals("open", open.getString("status"));
    assertEquals(version.getString("to"), open.getString("routeId"), "the open task moved");
    JsonObject claimed = ok(call("GET", "/tasks/" + version.getString("claimed"), admin), 200);
    assertEquals("claimed", claimed.getString("status"));
    assertEquals(version.getString("from"), claimed.getString("routeId"), "the rider keeps his");

    // The GCJ-02 drawing: stored in WGS-84, the on-screen points shifted by the GCJ-02 offset.
    JsonObject gcj = new JsonObject(line(lines, "ROUTE_GCJ "));
    JsonArray gcjStored =
        ok(call("GET", "/routes/" + gcj.getString("id"), admin), 200)
            .getJsonObject("geometry")
            .getJsonArray("coordinates");
    JsonArray intended = gcj.getJsonArray("intended");
    JsonArray clicked = gcj.getJsonArray("clicked");
    assertEquals(intended.size(), gcjStored.size(), gcjStored.encode());
    double worstGcj = 0;
    for (int i = 0; i < intended.size(); i++) {
      JsonArray s = lonLat(gcjStored.getJsonArray(i));
      double toIntended = distance(intended.getJsonArray(i), s);
      double toClicked = distance(clicked.getJsonArray(i), s);
      double offset = distance(intended.getJsonArray(i), clicked.getJsonArray(i));
      worstGcj = Math.max(worstGcj, toIntended);
      assertTrue(toIntended < 1.0, "GCJ vertex " + i + " is " + toIntended + " m from WGS-84");
      assertTrue(offset > 100, "the GCJ-02 shift in Shanghai is hundreds of metres: " + offset);
      assertTrue(
          Math.abs(toClicked - offset) < 1.0,
          "stored differs from on-screen by the GCJ-02 offset: " + toClicked + " vs " + offset);
    }
    System.out.printf("GCJ-02 drawn route: worst vertex %.3f m from WGS-84%n", worstGcj);

    for (String shot : List.of("admin-route-designer.png", "admin-task-board.png")) {
      assertTrue(Files.size(TARGET.resolve(shot)) > 10_000, "a real screenshot " + shot);
    }
  }

  static String line(List<String> lines, String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix.trim() + " line in " + lines));
  }

  static JsonArray lonLat(JsonArray lonLat) {
    return new JsonArray().add(lonLat.getDouble(1)).add(lonLat.getDouble(0));
  }

  /** Metres between two [lat, lon] arrays. */
  static double distance(JsonArray a, JsonArray b) {
    return Geo.haversine(a.getDouble(0), a.getDouble(1), b.getDouble(0), b.getDouble(1));
  }

  // ---- the browser script ---------------------------------------------------------------------

  static void installBrowserDriver() throws Exception {
    if (Files.isDirectory(JS_DIR.resolve("node_modules/playwright-core"))) return;
    Path log = TARGET.resolve("npm-install-admin.log");
    Files.createDirectories(TARGET);
    Process npm =
        new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
            .directory(JS_DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!npm.waitFor(5, TimeUnit.MINUTES)) {
      npm.destroyForcibly();
      fail("npm install did not finish within 5 minutes (" + log + ")");
    }
    assertEquals(0, npm.exitValue(), "npm install failed: " + Files.readString(log));
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

  // ---- API ------------------------------------------------------------------------------------

  static HttpResponse<String> call(String method, String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + " → " + r.body());
    return new JsonObject(r.body());
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
}
