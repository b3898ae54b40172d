package io.tracklane.backoffice.routes;

import static io.tracklane.backoffice.routes.RoutesTestSupport.ADMIN;
import static io.tracklane.backoffice.routes.RoutesTestSupport.SHANGHAI;
import static io.tracklane.backoffice.routes.RoutesTestSupport.checkpoint;
import static io.tracklane.backoffice.routes.RoutesTestSupport.event;
import static io.tracklane.backoffice.routes.RoutesTestSupport.geometry;
import static io.tracklane.backoffice.routes.RoutesTestSupport.json;
import static io.tracklane.backoffice.routes.RoutesTestSupport.shanghai;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.TestDatabase;
import io.tracklane.core.geo.Geo;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of a route body, through the handler (POST /routes): 400 with an error for each
 * problem, each naming its JSON path. Nothing here reaches the database.
 */
class RouteValidationTest {
  private static BackofficeContext ctx;
  private static RoutesHandler handler;

  @BeforeAll
  static void setUp() {
    ctx = TestDatabase.freshContext();
    RoutesTestSupport.insertUsers(ctx);
    handler = new RoutesHandler(ctx);
  }

  @AfterAll
  static void tearDown() {
    ctx.close();
  }

  /** field → message of each error of a refused POST. */
  private static Map<String, String> errors(JsonObject body) {
    APIGatewayProxyResponseEvent r =
        handler.handleRequest(event("POST", "/routes", Map.of(), body, ADMIN), null);
    assertEquals(400, r.getStatusCode(), r.getBody());
    JsonObject error = json(r);
    assertEquals("invalid_request", error.getString("error"));
    Map<String, String> out = new LinkedHashMap<>();
    JsonArray list = error.getJsonArray("errors");
    for (int i = 0; i < list.size(); i++) {
      out.merge(
          list.getJsonObject(i).getString("field"),
          list.getJsonObject(i).getString("message"),
          (a, b) -> a + " | " + b);
    }
    return out;
  }

  private static String only(JsonObject body, String field) {
    Map<String, String> e = errors(body);
    assertEquals(List.of(field), new ArrayList<>(e.keySet()), e.toString());
    return e.get(field);
  }

  private static void assertContains(String text, String... parts) {
    for (String p : parts) {
      if (!text.contains(p)) fail("expected \"" + p + "\" in: " + text);
    }
  }

  private static JsonObject withCoordinates(JsonArray coordinates) {
    JsonObject body = shanghai("r").put("checkpoints", new JsonArray());
    body.getJsonObject("geometry").put("coordinates", coordinates);
    return body;
  }

  private static JsonArray pos(Object... values) {
    JsonArray a = new JsonArray();
    for (Object v : values) a.add(v);
    return a;
  }

  private static JsonArray shanghaiWith(int index, Object position) {
    JsonArray c = RoutesTestSupport.line(SHANGHAI);
    c.set(index, position);
    return c;
  }

  @Test
  void topLevelFields() {
    JsonObject body = shanghai("x");
    body.remove("name");
    assertContains(only(body, "name"), "required");
    assertContains(only(shanghai("   "), "name"), "blank");
    assertContains(only(shanghai("n".repeat(201)), "name"), "200");
    assertContains(only(shanghai("n").put("name", 42), "name"), "string");
    assertContains(only(shanghai("n").put("description", "d".repeat(2001)), "description"), "2000");
    assertContains(only(shanghai("n").put("colour", "red"), "colour"), "not a known field");
    JsonObject noGeometry = shanghai("n");
    noGeometry.remove("geometry");
    assertContains(only(noGeometry, "geometry"), "required");
    assertContains(
        only(shanghai("n").put("geometry", "LINESTRING(0 0, 1 1)"), "geometry"), "object");
    JsonObject noCheckpoints = shanghai("n");
    noCheckpoints.remove("checkpoints");
    assertContains(only(noCheckpoints, "checkpoints"), "required");
    assertContains(
        only(shanghai("n").put("checkpoints", new JsonObject()), "checkpoints"), "array");
    // A valid name of exactly 200 and description of exactly 2000 characters pass.
    APIGatewayProxyResponseEvent ok =
        handler.handleRequest(
            event(
                "POST",
                "/routes",
                Map.of(),
                shanghai("n".repeat(200)).put("description", "d".repeat(2000)),
                ADMIN),
            null);
    assertEquals(201, ok.getStatusCode(), ok.getBody());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    JsonObject body = shanghai("n".repeat(201)).put("extra", true);
    body.getJsonObject("geometry").getJsonArray("coordinates").set(1, pos(500, 31.2));
    body.getJsonArray("checkpoints").getJsonObject(1).put("radiusM", 1);
    Map<String, String> e = errors(body);
    assertEquals(
        List.of("extra", "name", "geometry.coordinates[1]", "checkpoints[1].radiusM"),
        new ArrayList<>(e.keySet()));
  }

  @Test
  void geometryTypeAndShape() {
    JsonObject point = shanghai("n");
    point.getJsonObject("geometry").put("type", "Point");
    assertContains(only(point, "geometry.type"), "\"LineString\"", "Point");
    JsonObject noType = shanghai("n");
    noType.getJsonObject("geometry").remove("type");
    assertContains(only(noType, "geometry.type"), "required");
    JsonObject extra = shanghai("n");
    extra.getJsonObject("geometry").put("properties", new JsonObject());
    assertContains(only(extra, "geometry.properties"), "not a known field");
    JsonObject noCoordinates = shanghai("n");
    noCoordinates.getJsonObject("geometry").remove("coordinates");
    assertContains(only(noCoordinates, "geometry.coordinates"), "required");
    assertContains(
        only(withCoordinates(pos(pos(121.47, 31.23))), "geometry.coordinates"),
        "at least 2",
        "has 1");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= RouteInput.MAX_POSITIONS; i++) tooMany.add(pos(121.47 + i * 1e-5, 31.23));
    assertContains(
        only(withCoordinates(tooMany), "geometry.coordinates"), "at most 10000", "has 10001");
  }

  @Test
  void maximumPositionsAreAccepted() {
    JsonArray coordinates = new JsonArray();
    for (int i = 0; i < RouteInput.MAX_POSITIONS; i++)
      coordinates.add(pos(121.40 + i * 1e-5, 31.23));
    JsonObject body = withCoordinates(coordinates).put("name", "long");
    APIGatewayProxyResponseEvent r =
        handler.handleRequest(event("POST", "/routes", Map.of(), body, ADMIN), null);
    assertEquals(201, r.getStatusCode(), r.getBody());
    assertEquals(10_000, json(r).getJsonObject("geometry").getJsonArray("coordinates").size());
  }

  @Test
  void eachPositionMustBeTwoOrThreeFiniteNumbers() {
    for (Object bad :
        new Object[] {
          "121.48,31.235",
          pos(121.48),
          pos(121.48, 31.235, 1, 2),
          pos(121.48, "31.235"),
          pos(121.48, null),
          pos(true, 31.235),
          new JsonObject().put("lon", 121.48).put("lat", 31.235)
        }) {
      assertContains(
          only(withCoordinates(shanghaiWith(1, bad)), "geometry.coordinates[1]"),
          "[longitude, latitude] or [longitude, latitude, altitude]");
    }
  }

  @Test
  void longitudeAndLatitudeRanges() {
    assertContains(
        only(withCoordinates(shanghaiWith(2, pos(180.5, 31.24))), "geometry.coordinates[2]"),
        "longitude 180.5 is outside [-180, 180]");
    assertContains(
        only(withCoordinates(shanghaiWith(0, pos(-121.47, -90.01))), "geometry.coordinates[0]"),
        "latitude -90.01 is outside [-90, 90]");
    assertContains(
        only(withCoordinates(shanghaiWith(1, pos(200, 100))), "geometry.coordinates[1]"),
        "longitude 200",
        "latitude 100");
  }

  @Test
  void aLatLonPairWhoseLatitudeIsImpossibleIsCalledSwapped() {
    // [lat, lon] for Shanghai: "latitude" 121.48 cannot be, but swapped it is a fine position.
    String message =
        only(withCoordinates(shanghaiWith(1, pos(31.235, 121.48))), "geometry.coordinates[1]");
    assertContains(
        message, "latitude 121.48 is outside [-90, 90]", "[longitude, latitude]", "swapped");
  }

  @Test
  void aLongJumpIsReportedAsALikelySwap() {
    // Paris, where [lat, lon] is still a valid position: one swapped point jumps ~5,000 km.
    JsonArray paris =
        pos(pos(2.3522, 48.8566), pos(2.3600, 48.8600), pos(48.8650, 2.3650), pos(2.3700, 48.8700));
    Map<String, String> e = errors(withCoordinates(paris));
    assertEquals(List.of("geometry.coordinates[2]"), new ArrayList<>(e.keySet()), e.toString());
    assertContains(
        e.get("geometry.coordinates[2]"),
        "from geometry.coordinates[1]",
        "100.0 km",
        "[latitude, longitude]",
        "swapped to [2.365, 48.865]");

    // The first position swapped: its neighbour is blamed on nothing, the swapped one is named.
    JsonArray first = pos(pos(48.8566, 2.3522), pos(2.3600, 48.8600), pos(2.3700, 48.8700));
    assertContains(
        only(withCoordinates(first), "geometry.coordinates[0]"),
        "[latitude, longitude]",
        "swapped to");

    // A genuine jump (no swap explains it) is still refused, with the hint.
    JsonArray jump = pos(pos(121.47, 31.23), pos(121.47, 32.5));
    assertContains(
        only(withCoordinates(jump), "geometry.coordinates[1]"),
        "141.2 km from geometry.coordinates[0]",
        "longer than 100.0 km",
        "[latitude, longitude]");
  }

  @Test
  void lengthMustBePositiveAndSane() {
    assertContains(
        only(
            withCoordinates(pos(pos(121.47, 31.23), pos(121.47, 31.23), pos(121.47, 31.23))),
            "geometry.coordinates"),
        "zero length");
    // 0.00005° of latitude ≈ 5.6 m.
    assertContains(
        only(
            withCoordinates(pos(pos(121.47, 31.23), pos(121.47, 31.23005))),
            "geometry.coordinates"),
        "5.6 m long",
        "at least 10.0 m");
    // Eleven 0.9° hops north: each ~100 km (under the limit), 1,100 km in all.
    JsonArray far = new JsonArray();
    for (int i = 0; i <= 11; i++) far.add(pos(10.0, 40.0 + i * 0.85));
    assertContains(only(withCoordinates(far), "geometry.coordinates"), "at most 1000.0 km");
    // Consecutive duplicates are fine.
    JsonObject dup =
        withCoordinates(pos(pos(121.47, 31.23), pos(121.47, 31.23), pos(121.48, 31.23)))
            .put("name", "dup");
    assertEquals(
        201,
        handler
            .handleRequest(event("POST", "/routes", Map.of(), dup, ADMIN), null)
            .getStatusCode());
  }

  @Test
  void positionErrorsAreCapped() {
    JsonArray bad = new JsonArray();
    for (int i = 0; i < 50; i++) bad.add(pos(500, 500));
    Map<String, String> e = errors(withCoordinates(bad));
    assertEquals(RouteInput.MAX_LISTED_POSITION_ERRORS + 1, e.size());
    assertContains(e.get("geometry.coordinates"), "30 more invalid positions");
  }

  @Test
  void checkpointFields() {
    JsonObject body = shanghai("n");
    JsonArray cps = body.getJsonArray("checkpoints");
    cps.getJsonObject(0).remove("name");
    cps.getJsonObject(1).put("radiusM", 4.9);
    assertEquals(
        Map.of(
            "checkpoints[0].name",
            "is required",
            "checkpoints[1].radiusM",
            "4.9 is outside [5, 5000] metres"),
        errors(body));

    assertContains(
        only(cpWith(1, "radiusM", 5000.5), "checkpoints[1].radiusM"), "outside [5, 5000] metres");
    assertContains(only(cpWith(1, "radiusM", "50"), "checkpoints[1].radiusM"), "must be a number");
    assertContains(only(cpWith(0, "name", "c".repeat(101)), "checkpoints[0].name"), "100");
    assertContains(only(cpWith(0, "name", " "), "checkpoints[0].name"), "blank");
    assertContains(
        only(cpWith(0, "lat", 90.5), "checkpoints[0].lat"), "90.5 is outside [-90, 90] degrees");
    assertContains(
        only(cpWith(0, "lon", -181), "checkpoints[0].lon"), "-181 is outside [-180, 180] degrees");
    assertContains(only(cpWith(0, "lat", null), "checkpoints[0].lat"), "required");

    JsonObject swapped = shanghai("n");
    swapped.getJsonArray("checkpoints").set(0, checkpoint("swapped", 121.4737, 31.2304, 30));
    assertContains(only(swapped, "checkpoints[0].lat"), "lat and lon look swapped");

    JsonObject unknown = shanghai("n");
    JsonObject cp = unknown.getJsonArray("checkpoints").getJsonObject(1);
    cp.put("radius", cp.remove("radiusM"));
    Map<String, String> e = errors(unknown);
    assertEquals(
        List.of("checkpoints[1].radius", "checkpoints[1].radiusM"), new ArrayList<>(e.keySet()));

    JsonObject notObject = shanghai("n");
    notObject.getJsonArray("checkpoints").set(0, "People's Square");
    assertContains(only(notObject, "checkpoints[0]"), "must be an object");

    JsonObject tooMany = shanghai("n");
    JsonArray many = new JsonArray();
    for (int i = 0; i <= RouteInput.MAX_CHECKPOINTS; i++)
      many.add(checkpoint("c" + i, 31.2304, 121.4737, 30));
    tooMany.put("checkpoints", many);
    assertContains(only(tooMany, "checkpoints"), "at most 200", "has 201");
  }

  private static JsonObject cpWith(int index, String field, Object value) {
    JsonObject body = shanghai("n");
    body.getJsonArray("checkpoints").getJsonObject(index).put(field, value);
    return body;
  }

  @Test
  void aCheckpointOffTheLineNamesItsDistance() {
    GeoPoint off = GeoPoint.of(31.2330, 121.4820); // south of Nanjing Road
    double expected =
        Polyline.of(
                GeoPoint.of(31.2304, 121.4737),
                GeoPoint.of(31.2350, 121.4800),
                GeoPoint.of(31.2400, 121.4900))
            .nearest(off)
            .distanceM();
    JsonObject body = shanghai("n");
    body.getJsonArray("checkpoints").add(1, checkpoint("Off the line", off.lat(), off.lon(), 100));
    String message = only(body, "checkpoints[1]");
    assertContains(
        message,
        String.format(Locale.ROOT, "is %.1f m from the route", expected),
        "radiusM (100 m)");
    assertTrue(expected > 100 && expected < 400, "the fixture is what it says: " + expected);

    // With a radius that covers the distance, it is accepted.
    body.getJsonArray("checkpoints").getJsonObject(1).put("radiusM", Math.ceil(expected));
    assertEquals(
        201,
        handler
            .handleRequest(event("POST", "/routes", Map.of(), body.put("name", "ok"), ADMIN), null)
            .getStatusCode());
  }

  @Test
  void aWhollySwappedLineIsPointedOut() {
    // The line in [lat, lon] order (valid positions, in the Indian Ocean), checkpoints correct.
    JsonArray swapped = pos(pos(48.8566, 2.3522), pos(48.8600, 2.3600), pos(48.8700, 2.3700));
    JsonObject body =
        new JsonObject()
            .put("name", "Paris")
            .put("geometry", new JsonObject().put("type", "LineString").put("coordinates", swapped))
            .put("checkpoints", new JsonArray().add(checkpoint("Start", 48.8566, 2.3522, 25)));
    String message = only(body, "checkpoints[0]");
    assertContains(
        message,
        "km from the route",
        "radiusM (25 m)",
        "geometry.coordinates were swapped",
        "[longitude, latitude]");
  }

  @Test
  void checkpointsMustBeInRouteOrder() {
    // The Bund, then People's Square: the second is behind the first.
    JsonObject reversed =
        shanghai("n")
            .put(
                "checkpoints",
                new JsonArray()
                    .add(checkpoint("The Bund", 31.2400, 121.4900, 50))
                    .add(checkpoint("People's Square", 31.2304, 121.4737, 30)));
    String message = only(reversed, "checkpoints[1]");
    double length =
        Polyline.of(
                GeoPoint.of(31.2304, 121.4737),
                GeoPoint.of(31.2350, 121.4800),
                GeoPoint.of(31.2400, 121.4900))
            .lengthM();
    assertContains(
        message,
        "out of route order",
        "0.0 m from the start",
        "before checkpoints[0]",
        String.format(Locale.ROOT, "(%.1f m)", length));

    // Middle listed after the end.
    JsonObject lateMiddle = shanghai("n");
    lateMiddle.getJsonArray("checkpoints").add(checkpoint("Middle", 31.2350, 121.4800, 20));
    assertContains(
        only(lateMiddle, "checkpoints[2]"), "out of route order", "before checkpoints[1]");

    // Two checkpoints at the same spot are fine (non-decreasing).
    JsonObject same = shanghai("same");
    same.getJsonArray("checkpoints")
        .add(1, checkpoint("Bund again", 31.2400, 121.4900, 50))
        .add(2, checkpoint("Bund once more", 31.2400, 121.4900, 10));
    assertEquals(
        201,
        handler
            .handleRequest(event("POST", "/routes", Map.of(), same, ADMIN), null)
            .getStatusCode());
  }

  @Test
  void loopsAndOutAndBackRoutesMatchCheckpointsInTravelOrder() {
    // Depot → east → north → back to the depot; the depot is both first and last checkpoint.
    JsonObject loop =
        new JsonObject()
            .put("name", "Loop")
            .put(
                "geometry",
                geometry(
                    new double[][] {
                      {121.47, 31.23}, {121.48, 31.23}, {121.48, 31.24}, {121.47, 31.23}
                    }))
            .put(
                "checkpoints",
                new JsonArray()
                    .add(checkpoint("Depot (out)", 31.23, 121.47, 20))
                    .add(checkpoint("Corner", 31.24, 121.48, 20))
                    .add(checkpoint("Depot (back)", 31.23, 121.47, 20)));
    APIGatewayProxyResponseEvent r =
        handler.handleRequest(event("POST", "/routes", Map.of(), loop, ADMIN), null);
    assertEquals(201, r.getStatusCode(), r.getBody());

    // Out and back on one street: a checkpoint passed twice can be listed on the way back.
    JsonObject outAndBack =
        new JsonObject()
            .put("name", "Out and back")
            .put(
                "geometry",
                geometry(new double[][] {{121.47, 31.23}, {121.49, 31.23}, {121.47, 31.23}}))
            .put(
                "checkpoints",
                new JsonArray()
                    .add(checkpoint("Turn", 31.23, 121.49, 20))
                    .add(checkpoint("Halfway back", 31.2301, 121.48, 30)));
    r = handler.handleRequest(event("POST", "/routes", Map.of(), outAndBack, ADMIN), null);
    assertEquals(201, r.getStatusCode(), r.getBody());
    assertEquals(
        2 * Geo.haversine(31.23, 121.47, 31.23, 121.49), json(r).getDouble("lengthM"), 0.01);
  }

  @Test
  void bodiesThatAreNotJsonObjects() {
    for (String raw : new String[] {"not json", "[]", "\"route\"", ""}) {
      var e = RoutesTestSupport.event("POST", "/routes", Map.of(), null, ADMIN).withBody(raw);
      APIGatewayProxyResponseEvent r = handler.handleRequest(e, null);
      assertEquals(400, r.getStatusCode(), raw);
    }
  }
}
