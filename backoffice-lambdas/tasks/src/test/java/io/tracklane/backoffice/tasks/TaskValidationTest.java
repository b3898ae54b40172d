package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.PageCursor;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskValidationTest {
  private final TaskTestKit kit = new TaskTestKit();

  @AfterEach
  void close() {
    kit.close();
  }

  @Test
  void theCreateFixtureIsAccepted() {
    TaskTestKit.Res r = kit.call(TaskTestKit.fixture("create-task.json", null));
    assertEquals(201, r.status(), r.body().encode());
    assertEquals("Lunch run: Nanjing Rd → Bund", r.body().getString("title"));
    assertEquals("12.50", r.body().getString("bonusAmount"));
    assertEquals("2099-01-01T08:00:00Z", r.body().getString("windowStart"));
    assertEquals(
        1,
        kit.count(
            "SELECT count(*) FROM task_events WHERE type = 'created' AND actor_id = $1",
            ADMIN.userId()));
  }

  @Test
  void everyInvalidFieldIsNamed() {
    JsonObject body =
        new JsonObject()
            .put("title", "")
            .put("description", "d".repeat(2001))
            .put("bonusAmount", "-1")
            .put("bonusCurrency", "yuan")
            .put("windowStart", "yesterday")
            .put("windowEnd", "2020-01-01T00:00:00Z")
            .put("priority", "high");
    TaskTestKit.Res r = kit.create(body);
    assertEquals(400, r.status());
    assertEquals("invalid_request", r.body().getString("error"));
    assertEquals(
        Set.of(
            "routeId",
            "title",
            "description",
            "bonusAmount",
            "bonusCurrency",
            "windowStart",
            "windowEnd",
            "priority"),
        Set.copyOf(r.errorFields()));
    assertEquals(0, kit.count("SELECT count(*) FROM tasks"));
  }

  @Test
  void fieldRulesOneByOne() {
    assertInvalid(TaskTestKit.taskBody("t").put("title", "x".repeat(201)), "title");
    assertEquals(201, kit.create(TaskTestKit.taskBody("x".repeat(200))).status());
    assertInvalid(TaskTestKit.taskBody("t").put("bonusAmount", "1.005"), "bonusAmount");
    assertInvalid(TaskTestKit.taskBody("t").put("bonusAmount", "100000.01"), "bonusAmount");
    assertInvalid(TaskTestKit.taskBody("t").put("bonusAmount", "lots"), "bonusAmount");
    assertEquals(
        "100000.00",
        kit.create(TaskTestKit.taskBody("t").put("bonusAmount", "100000"))
            .body()
            .getString("bonusAmount"));
    assertEquals(
        "0.00",
        kit.create(TaskTestKit.taskBody("t").put("bonusAmount", 0))
            .body()
            .getString("bonusAmount"));
    assertInvalid(TaskTestKit.taskBody("t").put("bonusCurrency", "XYZ"), "bonusCurrency");
    assertInvalid(TaskTestKit.taskBody("t").put("bonusCurrency", "usd"), "bonusCurrency");
    JsonObject noCurrency = TaskTestKit.taskBody("t");
    noCurrency.remove("bonusCurrency");
    assertInvalid(noCurrency, "bonusCurrency");

    Instant now = Instant.now();
    // end before start
    assertInvalid(
        TaskTestKit.taskBody("t")
            .put("windowStart", now.plus(Duration.ofHours(3)).toString())
            .put("windowEnd", now.plus(Duration.ofHours(2)).toString()),
        "windowEnd");
    // longer than 7 days
    assertInvalid(
        TaskTestKit.taskBody("t")
            .put("windowStart", now.plus(Duration.ofHours(1)).toString())
            .put("windowEnd", now.plus(Duration.ofDays(7)).plus(Duration.ofHours(2)).toString()),
        "windowEnd");
    // already over
    assertInvalid(
        TaskTestKit.taskBody("t")
            .put("windowStart", now.minus(Duration.ofHours(3)).toString())
            .put("windowEnd", now.minus(Duration.ofHours(1)).toString()),
        "windowEnd");
    // exactly 7 days is fine
    assertEquals(
        201,
        kit.create(
                TaskTestKit.taskBody("t")
                    .put("windowStart", now.plus(Duration.ofHours(1)).toString())
                    .put(
                        "windowEnd",
                        now.plus(Duration.ofHours(1)).plus(Duration.ofDays(7)).toString()))
            .status());
  }

  @Test
  void theRouteMustExistAndBeCurrent() {
    assertInvalid(TaskTestKit.taskBody("t").put("routeId", "no-such-route"), "routeId");

    kit.route("old", 31.0, 121.0);
    kit.route("new", 31.0, 121.0);
    kit.sql("UPDATE routes SET superseded_by = 'new' WHERE id = 'old'");
    TaskTestKit.Res superseded =
        assertInvalid(TaskTestKit.taskBody("t").put("routeId", "old"), "routeId");
    assertTrue(superseded.message().contains("superseded by new"), superseded.message());

    kit.route("gone", 31.0, 121.0);
    kit.sql("UPDATE routes SET deleted_at = now() WHERE id = 'gone'");
    TaskTestKit.Res deleted =
        assertInvalid(TaskTestKit.taskBody("t").put("routeId", "gone"), "routeId");
    assertTrue(deleted.message().contains("deleted"), deleted.message());

    assertEquals(201, kit.create(TaskTestKit.taskBody("t").put("routeId", "new")).status());
  }

  @Test
  void sqlMetacharactersAreStoredVerbatim() {
    String title = "Robert'); DROP TABLE tasks;-- \" \\ $1 %s %% ' OR '1'='1";
    String description =
        "line 1\nline 2\t'; DELETE FROM rider_ledger; --\n$$ $2::text \u00e9\u4e2d\u6587 /* */ E'\\x00'";
    TaskTestKit.Res r = kit.create(TaskTestKit.taskBody(title).put("description", description));
    assertEquals(201, r.status(), r.body().encode());
    assertEquals(title, r.body().getString("title"));
    assertEquals(description, r.body().getString("description"));
    String id = r.body().getString("id");
    var row = kit.sql("SELECT title, description FROM tasks WHERE id = $1", id).get(0);
    assertEquals(title, row.getString(0));
    assertEquals(description, row.getString(1));
    assertEquals(title, kit.get(id, RIDER).body().getString("title"));
    assertEquals(
        1, kit.count("SELECT count(*) FROM tasks"), "the tasks table is still there, with one row");
  }

  @Test
  void malformedBodiesAre400() {
    assertEquals(400, kit.call("POST", "/tasks", Map.of(), null, "not json", ADMIN).status());
    assertEquals(400, kit.call("POST", "/tasks", Map.of(), null, "[1,2]", ADMIN).status());
    assertEquals(400, kit.call("POST", "/tasks", Map.of(), null, null, ADMIN).status());
  }

  @Test
  void queryParametersAreValidatedAndNamed() {
    TaskTestKit.Res r =
        kit.list(ADMIN, Map.of("limit", "0", "status", "lost", "near", "91,0", "radiusKm", "-3"));
    assertEquals(400, r.status());
    assertEquals(Set.of("limit", "status", "near", "radiusKm"), Set.copyOf(r.errorFields()));
    assertEquals(List.of("radiusKm"), kit.list(ADMIN, Map.of("near", "31.2,121.4")).errorFields());
    assertEquals(List.of("near"), kit.list(ADMIN, Map.of("radiusKm", "5")).errorFields());
    assertEquals(List.of("limit"), kit.list(ADMIN, Map.of("limit", "201")).errorFields());
    assertEquals(List.of("limit"), kit.list(ADMIN, Map.of("limit", "ten")).errorFields());
    assertEquals(
        List.of("cursor"), kit.list(ADMIN, Map.of("cursor", "bm90IGEgY3Vyc29y")).errorFields());
    // a cursor of another operation is not accepted either
    String ledgerCursor = new PageCursor.TimeKey(Instant.now(), "1").encode(PageCursor.LEDGER);
    assertEquals(List.of("cursor"), kit.list(ADMIN, Map.of("cursor", ledgerCursor)).errorFields());
    assertEquals(200, kit.list(ADMIN, Map.of("limit", "200", "status", "open")).status());
  }

  @Test
  void unknownOperationsAre404() {
    assertEquals(
        404,
        kit.call("DELETE", "/tasks/{taskId}", Map.of("taskId", "x"), null, null, ADMIN).status());
  }

  private TaskTestKit.Res assertInvalid(JsonObject body, String field) {
    TaskTestKit.Res r = kit.create(body);
    assertEquals(400, r.status(), () -> field + ": " + r.body().encode());
    assertEquals(List.of(field), r.errorFields(), r.body().encode());
    return r;
  }
}
