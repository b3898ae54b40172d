package io.tracklane.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressEventJsonTest {

  @Test
  void progressUpdate() {
    ProgressUpdate u =
        new ProgressUpdate(
            "t-1",
            1_700_000_000_000L,
            45.1,
            13.2,
            1234.5678,
            5000.04,
            24.691356,
            3.14159,
            true,
            8.3333,
            451L,
            1,
            3);
    assertEquals(
        new JsonObject(
            """
        {"event":"progress","taskId":"t-1","ts":1700000000000,"lat":45.1,"lon":13.2,"alongM":1234.6,"lengthM":5000.0,
         "percent":24.69,"offRouteM":3.1,"onRoute":true,"speedMps":8.33,"etaSeconds":451,
         "checkpointsReached":1,"checkpointsTotal":3}"""),
        u.toJson());
    JsonObject unknown =
        new ProgressUpdate("t-1", 1, 0, 0, 0, 10, 0, 0, false, null, null, 0, 0).toJson();
    assertTrue(unknown.containsKey("speedMps") && unknown.getValue("speedMps") == null);
    assertTrue(unknown.containsKey("etaSeconds") && unknown.getValue("etaSeconds") == null);
  }

  @Test
  void alertTypesAreLowerSnakeCase() {
    assertEquals(
        List.of("off_route", "back_on_route", "checkpoint_reached", "stopped", "moving", "arrived"),
        List.of(AlertType.values()).stream().map(AlertType::wireName).toList());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("index", 0);
    details.put("name", "Depot");
    Alert a =
        new Alert(
            "t-1",
            AlertType.CHECKPOINT_REACHED,
            5,
            45.1,
            13.2,
            "Reached checkpoint 1 of 2: Depot",
            details);
    assertEquals(
        new JsonObject(
            """
        {"event":"alert","type":"checkpoint_reached","taskId":"t-1","ts":5,"lat":45.1,"lon":13.2,
         "message":"Reached checkpoint 1 of 2: Depot","details":{"index":0,"name":"Depot"}}"""),
        a.toJson());
    assertEquals(List.of("index", "name"), List.copyOf(a.details().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> a.details().put("x", 1));
    details.put("later", 1);
    assertEquals(2, a.details().size(), "copied");
  }

  @Test
  void trackerEventsSerialise() {
    RouteGeometry route = TestKit.route(TestKit.straight());
    TestKit.Run run = TestKit.run(route, TestKit.ride(TestKit.straight(), 10, TestKit.T0, 10));
    JsonObject arrived = run.alerts.get(0).toJson();
    assertEquals("arrived", arrived.getString("type"));
    assertEquals("Arrived at the end of the route", arrived.getString("message"));
    assertEquals(100.0, arrived.getJsonObject("details").getDouble("percent"));
    JsonObject snap = TestKit.tracker(route).snapshot().toJson();
    assertEquals("snapshot", snap.getString("event"));
    assertTrue(snap.containsKey("etaSeconds"));
  }
}
