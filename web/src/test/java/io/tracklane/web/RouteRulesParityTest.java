package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.routes.RouteInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route designer's rules ({@code webroot/admin/route-rules.js}, run by Node through {@code
 * src/test/js/admin/route-rules-cli.mjs}) against the routes API's own {@link RouteInput} on the
 * same bodies: the same field errors with the same messages, in the same order, and for valid
 * routes the same length (the API's {@code lengthM}) within 0.5 m — on hand-made cases for every
 * rule and on random city-scale routes.
 */
class RouteRulesParityTest {
  static final String CLI = "admin/route-rules-cli.mjs";

  static JsonArray line(double... lonLat) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < lonLat.length; i += 2)
      a.add(new JsonArray().add(lonLat[i]).add(lonLat[i + 1]));
    return a;
  }

  static JsonObject cp(String name, Object lat, Object lon, Object radius) {
    return new JsonObject()
        .put("name", name)
        .put("lat", lat)
        .put("lon", lon)
        .put("radiusM", radius);
  }

  static JsonObject route(String name, JsonArray coords, JsonObject... cps) {
    JsonArray checkpoints = new JsonArray();
    for (JsonObject c : cps) checkpoints.add(c);
    return new JsonObject()
        .put("name", name)
        .put("geometry", new JsonObject().put("type", "LineString").put("coordinates", coords))
        .put("checkpoints", checkpoints);
  }

  static List<JsonObject> handMade() {
    JsonArray bund =
        line(121.4700, 31.2300, 121.4720, 31.2310, 121.4745, 31.2308, 121.4760, 31.2325);
    List<JsonObject> cases = new ArrayList<>();
    cases.add(route("valid", bund, cp("A", 31.2310, 121.4720, 60), cp("B", 31.2325, 121.4760, 50)));
    cases.add(route("far checkpoint", bund, cp("far", 31.2400, 121.4720, 50)));
    cases.add(route("far in metres", bund, cp("near-ish", 31.2318, 121.4733, 20)));
    cases.add(
        route(
            "out of order", bund, cp("B", 31.2325, 121.4760, 50), cp("A", 31.2310, 121.4720, 60)));
    cases.add(
        route("bad fields", bund, cp(" ", 31.2310, 121.4720, 2), cp("x", 95.0, 121.47, 6000)));
    cases.add(route("swapped checkpoint", bund, cp("sw", 121.4720, 31.2310, 50)));
    cases.add(
        route(
            "swapped line",
            line(31.2300, 121.4700, 31.2310, 121.4720),
            cp("c", 31.2305, 121.4710, 50)));
    // both orders are valid positions here, so the API suggests the swap
    cases.add(
        route("swapped both ways", line(30.00, 31.00, 30.01, 31.00), cp("s", 30.005, 31.0, 50)));
    cases.add(
        route("a swappable jump", line(60.0, 50.0, 60.01, 50.01, 50.02, 60.02, 60.03, 50.03)));
    cases.add(route(" ", line(121.47, 31.23)));
    cases.add(route("zero length", line(121.47, 31.23, 121.47, 31.23)));
    cases.add(route("too short", line(121.47, 31.23, 121.47001, 31.23001)));
    cases.add(route("a jump", line(121.47, 31.23, 121.48, 31.24, 116.40, 39.90, 121.49, 31.25)));
    cases.add(route("one swapped", line(121.47, 31.23, 31.24, 121.48, 121.49, 31.25)));
    cases.add(route("out of range", line(121.47, 31.23, 190, 31.24, 121.49, -95)));
    cases.add(route("x".repeat(201), bund));
    cases.add(
        route(
            "too long",
            line(
                100, 30, 100.8, 30, 101.6, 30, 102.4, 30, 103.2, 30, 104, 30, 104.8, 30, 105.6, 30,
                106.4, 30, 107.2, 30, 108, 30, 108.8, 30, 109.6, 30, 110.4, 30)));
    // a loop that passes the same place twice: the checkpoint at the end is matched on the second
    // pass
    cases.add(
        route(
            "loop",
            line(
                121.470, 31.230, 121.475, 31.230, 121.475, 31.234, 121.470, 31.234, 121.470,
                31.2301),
            cp("start", 31.2300, 121.4702, 40),
            cp("corner", 31.2340, 121.4750, 40),
            cp("back", 31.2301, 121.4701, 40)));
    return cases;
  }

  static List<JsonObject> random(long seed, int n) {
    Random r = new Random(seed);
    List<JsonObject> cases = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      double lat = 20 + r.nextDouble() * 30;
      double lon = 80 + r.nextDouble() * 50;
      JsonArray coords = new JsonArray();
      int points = 2 + r.nextInt(40);
      for (int i = 0; i < points; i++) {
        lat += (r.nextDouble() - 0.5) * 0.01;
        lon += (r.nextDouble() - 0.5) * 0.01;
        coords.add(new JsonArray().add(lon).add(lat));
      }
      JsonArray cp0 = coords.getJsonArray(points / 2);
      cases.add(
          route(
              "random " + k,
              coords,
              cp(
                  "mid",
                  cp0.getDouble(1) + (r.nextDouble() - 0.5) * 0.001,
                  cp0.getDouble(0) + (r.nextDouble() - 0.5) * 0.001,
                  5 + r.nextInt(100))));
    }
    return cases;
  }

  /** What the API says: [] and the length, or its field errors. */
  static JsonObject api(JsonObject body) {
    try {
      RouteInput in = RouteInput.parse(body.copy());
      return new JsonObject().put("errors", new JsonArray()).put("lengthM", in.lengthM());
    } catch (ApiException e) {
      JsonArray errors = new JsonArray();
      for (FieldError f : e.errors()) {
        errors.add(new JsonObject().put("field", f.field()).put("message", f.message()));
      }
      return new JsonObject().put("errors", errors);
    }
  }

  @Test
  void theDesignersRulesSayWhatTheApiSays(@TempDir Path dir) throws Exception {
    NodeScripts.assumeNode();
    List<JsonObject> cases = new ArrayList<>(handMade());
    cases.addAll(random(14, 200));
    Path file = dir.resolve("cases.json");
    Files.writeString(file, new JsonArray(new ArrayList<>(cases)).encode());
    NodeScripts.Result r = NodeScripts.run(List.of(CLI, file.toString()));
    assertEquals(0, r.exit(), r.output());
    JsonArray js = new JsonArray(r.output());
    assertEquals(cases.size(), js.size());
    int valid = 0;
    int invalid = 0;
    double worst = 0;
    for (int i = 0; i < cases.size(); i++) {
      JsonObject api = api(cases.get(i));
      JsonObject page = js.getJsonObject(i);
      String name = cases.get(i).getString("name");
      assertEquals(
          api.getJsonArray("errors").encodePrettily(),
          page.getJsonArray("errors").encodePrettily(),
          "case " + i + " (" + name + ")");
      if (api.getJsonArray("errors").isEmpty()) {
        valid++;
        double gap = Math.abs(api.getDouble("lengthM") - page.getDouble("lengthM"));
        worst = Math.max(worst, gap);
        assertTrue(gap <= 0.5, "case " + name + ": length " + page + " vs " + api);
      } else {
        invalid++;
      }
    }
    System.out.printf(
        "route rules: %d valid routes (worst length gap %.3f m), %d refused with identical errors%n",
        valid, worst, invalid);
    assertTrue(
        valid > 20 && invalid > 20,
        "both kinds covered: " + valid + " valid, " + invalid + " refused");
  }
}
