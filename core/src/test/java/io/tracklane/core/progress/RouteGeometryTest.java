package io.tracklane.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteGeometryTest {
  static final JsonObject LINE =
      new JsonObject()
          .put("type", "LineString")
          .put(
              "coordinates",
              new JsonArray()
                  .add(new JsonArray().add(13.0).add(45.0))
                  .add(new JsonArray().add(13.01).add(45.0).add(120.5))
                  .add(new JsonArray().add(13.01).add(45.01)));

  static JsonObject cp(String name, double lat, double lon, double radiusM) {
    return new JsonObject()
        .put("name", name)
        .put("lat", lat)
        .put("lon", lon)
        .put("radiusM", radiusM);
  }

  @Test
  void fromTheBackOfficesStoredShape() {
    JsonArray cps =
        new JsonArray().add(cp("corner", 45.0, 13.01, 25)).add(cp("end", 45.01, 13.01, 40));
    RouteGeometry r = RouteGeometry.fromGeoJson("r-1", LINE, cps);
    assertEquals("r-1", r.routeId());
    assertEquals(
        List.of(GeoPoint.of(45.0, 13.0), GeoPoint.of(45.0, 13.01), GeoPoint.of(45.01, 13.01)),
        r.line().points());
    assertEquals(
        List.of(
            new Checkpoint("corner", GeoPoint.of(45.0, 13.01), 25),
            new Checkpoint("end", GeoPoint.of(45.01, 13.01), 40)),
        r.checkpoints());
    assertEquals(r.line().distanceAlongAtVertex(1), r.checkpointAlongM(0), 0.01);
    assertEquals(r.lengthM(), r.checkpointAlongM(1), 0.01);
    assertEquals(r.line().lengthM(), r.lengthM());
    assertTrue(r.toString().contains("2 checkpoints"));
  }

  @Test
  void aFeatureAndNoCheckpointsAreAccepted() {
    JsonObject feature =
        new JsonObject()
            .put("type", "Feature")
            .put("geometry", LINE)
            .put("properties", new JsonObject());
    RouteGeometry r = RouteGeometry.fromGeoJson("r-2", feature, null);
    assertEquals(3, r.line().points().size());
    assertEquals(List.of(), r.checkpoints());
  }

  @Test
  void unusableShapesAreRejectedNamingTheField() {
    assertMessage(
        "geometry.type",
        () -> RouteGeometry.fromGeoJson("r", new JsonObject().put("type", "Point"), null));
    assertMessage(
        "geometry.coordinates",
        () ->
            RouteGeometry.fromGeoJson(
                "r", new JsonObject().put("type", "LineString").put("coordinates", "x"), null));
    assertMessage(
        "geometry.coordinates[1]",
        () ->
            RouteGeometry.fromGeoJson(
                "r",
                new JsonObject()
                    .put("type", "LineString")
                    .put(
                        "coordinates",
                        new JsonArray()
                            .add(new JsonArray().add(13).add(45))
                            .add(new JsonArray().add(13))),
                null));
    assertMessage(
        "at least two",
        () ->
            RouteGeometry.fromGeoJson(
                "r",
                new JsonObject()
                    .put("type", "LineString")
                    .put("coordinates", new JsonArray().add(new JsonArray().add(13).add(45))),
                null));
    assertMessage(
        "zero length",
        () ->
            RouteGeometry.fromGeoJson(
                "r",
                new JsonObject()
                    .put("type", "LineString")
                    .put(
                        "coordinates",
                        new JsonArray()
                            .add(new JsonArray().add(13).add(45))
                            .add(new JsonArray().add(13).add(45))),
                null));
    assertMessage(
        "checkpoints[0].radiusM",
        () ->
            RouteGeometry.fromGeoJson(
                "r",
                LINE,
                new JsonArray()
                    .add(new JsonObject().put("name", "a").put("lat", 45).put("lon", 13))));
    assertMessage(
        "checkpoints[0].name",
        () ->
            RouteGeometry.fromGeoJson(
                "r",
                LINE,
                new JsonArray()
                    .add(new JsonObject().put("lat", 45).put("lon", 13).put("radiusM", 5))));
    assertMessage(
        "checkpoints[0]",
        () -> RouteGeometry.fromGeoJson("r", LINE, new JsonArray().add(cp("a", 95, 13, 5))));
    assertMessage(
        "checkpoints[1]",
        () ->
            RouteGeometry.fromGeoJson("r", LINE, new JsonArray().add(cp("a", 45, 13, 5)).add("x")));
  }

  @Test
  void checkpointsThatTheLineNeverComesNearAreProjectedInOrder() {
    Polyline l = TestKit.line(0, 0, 5000, 0);
    GeoPoint off = TestKit.offset(TestKit.ORIGIN, 2000, 300);
    RouteGeometry r = new RouteGeometry("r", l, List.of(new Checkpoint("off", off, 30)));
    assertEquals(2000, r.checkpointAlongM(0), 1);
  }

  static void assertMessage(String part, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
