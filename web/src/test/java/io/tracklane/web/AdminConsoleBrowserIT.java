package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.geo.Geo;
import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin console in a real browser (Debian's Chromium driven by playwright-core from {@code
 * src/test/js/admin.test.mjs}) against the whole local stack, whose gateway serves the pages from
 * this module's classpath at {@code /admin/}. The script draws, saves, publishes, watches the
 * board, manages users and imports files, asserting what the page shows; this test then reads back
 * through the API what was stored: the drawn route within 1 m of the positions the clicked screen
 * points stand for and with the length the page showed (within 0.5 m), the edit that became a new
 * version with the open task moved to it, and the GCJ-02-drawn route in WGS-84. Screenshots: {@code
 * target/admin-route-designer.png} (1280×800), {@code target/admin-task-board.png} (1920×1080).
 */
class AdminConsoleBrowserIT {
  static final Path RESOURCES = Path.of("src/test/resources/admin").toAbsolutePath();
  static final Path BROWSER_LOG = BrowserKit.TARGET.resolve("admin-browser.log");

  /** A name a user could type, which an HTML sink would turn into an image and a bold element. */
  static final String HOSTILE = "<img src=x onerror=alert(1)><b>bold</b>";

  /** How long the browser script waits for any one thing. */
  static final Duration STEP = Duration.ofSeconds(60);

  static LocalStack stack;
  static StackApi api;

  @BeforeAll
  static void start() throws Exception {
    BrowserKit.assumeBrowser();
    stack = LocalStack.start(null, Map.of());
    api = new StackApi(stack);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) stack.close();
  }

  @Test
  void adminDrawsPublishesWatchesTheBoardAndImports() throws Exception {
    String rider = api.login("rider1");
    String admin = api.login("admin");
    for (String shot : List.of("admin-route-designer.png", "admin-task-board.png")) {
      Files.deleteIfExists(BrowserKit.TARGET.resolve(shot));
    }
    List<String> lines = new ArrayList<>();
    try (BrowserKit.Script script =
        BrowserKit.Script.start(
            "admin.test.mjs",
            BROWSER_LOG,
            STEP,
            Map.of(
                "ADMIN_URL",
                "http://127.0.0.1:" + stack.gateway.httpPort() + "/admin/",
                "API_URL",
                stack.apiUrl(),
                "ADMIN_USERNAME",
                "admin",
                "ADMIN_PASSWORD",
                stack.seeded.passwords().get("admin"),
                "RIDER_TOKEN",
                rider,
                "RIDER_NAME",
                "rider1",
                "SCREENSHOT_DIR",
                BrowserKit.TARGET.toString(),
                "RESOURCES",
                RESOURCES.toString()))) {
      for (String marker : List.of("ROUTE ", "CLAIM_MS ", "VERSION ", "ROUTE_GCJ ", "DONE")) {
        lines.add(script.await(marker));
      }
      script.assertPassed();
    }

    // The drawn route, read back: every vertex within 1 m of the position its click stood for.
    JsonObject drawn = new JsonObject(line(lines, "ROUTE "));
    JsonObject route = StackApi.ok(api.call("GET", "/routes/" + drawn.getString("id"), admin), 200);
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
    JsonObject open =
        StackApi.ok(api.call("GET", "/tasks/" + version.getString("open"), admin), 200);
    assertEquals("open", open.getString("status"));
    assertEquals(version.getString("to"), open.getString("routeId"), "the open task moved");
    JsonObject claimed =
        StackApi.ok(api.call("GET", "/tasks/" + version.getString("claimed"), admin), 200);
    assertEquals("claimed", claimed.getString("status"));
    assertEquals(version.getString("from"), claimed.getString("routeId"), "the rider keeps his");

    // The GCJ-02 drawing: stored in WGS-84, the on-screen points shifted by the GCJ-02 offset.
    JsonObject gcj = new JsonObject(line(lines, "ROUTE_GCJ "));
    JsonArray gcjStored =
        StackApi.ok(api.call("GET", "/routes/" + gcj.getString("id"), admin), 200)
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
      assertTrue(Files.size(BrowserKit.TARGET.resolve(shot)) > 10_000, "a real screenshot " + shot);
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
}
