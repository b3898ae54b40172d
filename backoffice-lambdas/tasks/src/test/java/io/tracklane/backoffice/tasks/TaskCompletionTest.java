package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.MANAGER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.core.geo.Geo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Completion checks the ride (replayed from DynamoDB) and stores it for reports. */
class TaskCompletionTest {
  private final TaskTestKit kit = new TaskTestKit();

  @AfterEach
  void close() {
    kit.close();
  }

  private String startedTask(String title) {
    String id = kit.createTask(title);
    assertEquals(200, kit.claim(id, RIDER).status());
    assertEquals(200, kit.start(id, RIDER).status());
    return id;
  }

  private String status(String id) {
    return kit.sql("SELECT status FROM tasks WHERE id = $1", id).get(0).getString("status");
  }

  private long credits(String id) {
    return kit.count("SELECT count(*) FROM rider_ledger WHERE task_id = $1", id);
  }

  @Test
  void aRideToTheEndCompletesAndIsStoredForReports() {
    String id = startedTask("full ride");
    kit.ride(id, RIDER.userId(), 1.0);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(200, r.status(), r.body().encode());
    JsonObject ride = r.body().getJsonObject("completion");
    assertTrue(ride.getBoolean("arrived"));
    // route-1 is one straight leg of 0.01° north and east from (31.2304, 121.4737)
    double length = Geo.haversine(31.2304, 121.4737, 31.2404, 121.4837);
    assertEquals(length, ride.getDouble("distanceM"), 2);
    assertEquals(100.0, ride.getDouble("percent"), 0.01);
    assertNull(ride.getString("overrideReason"));

    DbRow row = kit.sql("SELECT * FROM task_completions WHERE task_id = $1", id).get(0);
    assertEquals(RIDER.userId(), row.getString("rider_id"));
    assertEquals(TaskTestKit.ROUTE, row.getString("route_id"));
    assertTrue(row.getBoolean("arrived"));
    assertEquals(length, row.getDouble("distance_m"), 2);
    int fixes = row.getInteger("fixes");
    assertEquals((int) Math.ceil(length / 50) + 1, fixes);
    assertEquals((fixes - 1) * 10L, row.getLong("active_s"), "10 s between fixes, never stopped");
    assertEquals(1, credits(id));

    JsonObject got = kit.get(id, MANAGER).body();
    assertEquals("completed", got.getString("status"));
    assertEquals(
        ride.getDouble("distanceM"), got.getJsonObject("completion").getDouble("distanceM"));
    JsonArray events =
        kit.call("GET", "/tasks/{taskId}/events", Map.of("taskId", id), null, null, ADMIN).items();
    JsonObject done = events.getJsonObject(events.size() - 1).getJsonObject("details");
    assertTrue(done.getBoolean("arrived"));
  }

  @Test
  void checkpointTimesAreStoredInRouteOrder() {
    JsonArray checkpoints =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("name", "shop")
                    .put("lat", 31.2354)
                    .put("lon", 121.4787)
                    .put("radiusM", 40))
            .add(
                new JsonObject()
                    .put("name", "customer")
                    .put("lat", 31.2404)
                    .put("lon", 121.4837)
                    .put("radiusM", 40));
    kit.sql("UPDATE routes SET checkpoints = $1 WHERE id = $2", checkpoints, TaskTestKit.ROUTE);
    String id = startedTask("with checkpoints");
    kit.ride(id, RIDER.userId(), 1.0);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(200, r.status(), r.body().encode());
    JsonArray stored =
        (JsonArray)
            kit.sql("SELECT checkpoints FROM task_completions WHERE task_id = $1", id)
                .get(0)
                .getValue("checkpoints");
    assertEquals("shop", stored.getJsonObject(0).getString("name"));
    assertEquals("customer", stored.getJsonObject(1).getString("name"));
    long shop = stored.getJsonObject(0).getLong("reachedTs");
    long customer = stored.getJsonObject(1).getLong("reachedTs");
    assertTrue(shop < customer, shop + " then " + customer);
  }

  @Test
  void halfARideIsRefusedAndSaysWhatIsMissing() {
    String id = startedTask("half ride");
    kit.ride(id, RIDER.userId(), 0.5);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(409, r.status(), r.body().encode());
    assertEquals("not_arrived", r.body().getString("error"));
    assertEquals(List.of("arrival"), r.errorFields());
    String why = r.body().getJsonArray("errors").getJsonObject(0).getString("message");
    assertTrue(
        why.matches(
            "the last fix is \\d+ m from the end of the route \\(it must be within 50 m\\)"),
        why);
    assertEquals("in_progress", status(id));
    assertEquals(0, credits(id));
    assertEquals(0, kit.count("SELECT count(*) FROM task_completions WHERE task_id = $1", id));
  }

  @Test
  void noFixesAtAllIsRefused() {
    String id = startedTask("never moved");
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(409, r.status());
    assertTrue(r.message().contains("no usable GPS fix"), r.message());
  }

  @Test
  void anAdminMayOverrideWithAReasonAndItIsAudited() {
    String id = startedTask("phone died");
    kit.ride(id, RIDER.userId(), 0.3);
    JsonObject body =
        new JsonObject().put("overrideReason", "phone battery died; customer confirmed by phone");
    assertEquals(403, kit.completeOnly(id, RIDER, body).status(), "a rider may not override");
    assertEquals(403, kit.completeOnly(id, MANAGER, body).status(), "nor may a manager");
    TaskTestKit.Res r = kit.completeOnly(id, ADMIN, body);
    assertEquals(200, r.status(), r.body().encode());
    JsonObject ride = r.body().getJsonObject("completion");
    assertFalse(ride.getBoolean("arrived"));
    assertEquals(ADMIN.userId(), ride.getString("overriddenBy"));
    DbRow row = kit.sql("SELECT * FROM task_completions WHERE task_id = $1", id).get(0);
    assertEquals(body.getString("overrideReason"), row.getString("override_reason"));
    assertEquals(ADMIN.userId(), row.getString("overridden_by"));
    assertFalse(row.getBoolean("arrived"));
    // the bonus still goes to the rider who rode it
    assertEquals(
        RIDER.userId(),
        kit.sql("SELECT rider_id FROM rider_ledger WHERE task_id = $1", id)
            .get(0)
            .getString("rider_id"));
    DbRow event =
        kit.sql(
                "SELECT actor_id, details FROM task_events WHERE task_id = $1 AND type = 'completed'",
                id)
            .get(0);
    assertEquals(ADMIN.userId(), event.getString("actor_id"));
    JsonObject details = (JsonObject) event.getValue("details");
    assertEquals(body.getString("overrideReason"), details.getString("overrideReason"));
    assertEquals(1, details.getJsonArray("shortfalls").size());
  }

  @Test
  void anAdminWithoutAReasonIsHeldToTheCheck() {
    String id = startedTask("admin completes");
    kit.ride(id, RIDER.userId(), 0.4);
    assertEquals(409, kit.completeOnly(id, ADMIN, null).status());
    kit.ride(id, RIDER.userId(), 1.0);
    TaskTestKit.Res r = kit.completeOnly(id, ADMIN, null);
    assertEquals(200, r.status(), r.body().encode());
    assertEquals(RIDER.userId(), r.body().getString("claimedBy"));
  }

  @Test
  void badBodiesNameTheField() {
    String id = startedTask("bad body");
    TaskTestKit.Res blank =
        kit.completeOnly(id, ADMIN, new JsonObject().put("overrideReason", " "));
    assertEquals(400, blank.status());
    assertEquals(List.of("overrideReason"), blank.errorFields());
    TaskTestKit.Res unknown = kit.completeOnly(id, ADMIN, new JsonObject().put("force", true));
    assertEquals(400, unknown.status());
    assertEquals(List.of("force"), unknown.errorFields());
    TaskTestKit.Res tooLong =
        kit.completeOnly(id, ADMIN, new JsonObject().put("overrideReason", "x".repeat(501)));
    assertEquals(400, tooLong.status());
    assertEquals("in_progress", status(id));
  }

  @Test
  void anUnreachableFixStoreCompletesNothing() {
    TaskTestKit down =
        new TaskTestKit(
            Map.of(),
            FixHistory.client(
                BackofficeConfig.of(
                    Map.of(
                        BackofficeSettings.DYNAMODB_ENDPOINT.env(),
                        "http://127.0.0.1:9",
                        BackofficeSettings.AWS_REGION.env(),
                        "us-east-1"))));
    try {
      String id = down.createTask("store down");
      assertEquals(200, down.claim(id, RIDER).status());
      assertEquals(200, down.start(id, RIDER).status());
      TaskTestKit.Res r = down.completeOnly(id, RIDER, null);
      assertTrue(r.status() >= 500, r.status() + " " + r.body().encode());
      assertEquals(
          "in_progress",
          down.sql("SELECT status FROM tasks WHERE id = $1", id).get(0).getString("status"));
      assertEquals(0, down.count("SELECT count(*) FROM rider_ledger WHERE task_id = $1", id));
    } finally {
      down.close();
    }
  }
}
