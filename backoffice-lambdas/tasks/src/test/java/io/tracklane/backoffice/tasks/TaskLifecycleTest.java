package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.MANAGER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.Caller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskLifecycleTest {
  private final TaskTestKit kit = new TaskTestKit();

  @AfterEach
  void close() {
    kit.close();
  }

  @Test
  void createClaimStartCompleteCreditsTheBonusAndRecordsEveryStep() {
    TaskTestKit.Res created =
        kit.create(TaskTestKit.taskBody("Deliver lunch").put("bonusAmount", "12.5"));
    assertEquals(201, created.status(), created.body().encode());
    JsonObject t = created.body();
    String id = t.getString("id");
    assertEquals("/tasks/" + id, created.raw().getHeaders().get("Location"));
    assertEquals("open", t.getString("status"));
    assertEquals("12.50", t.getString("bonusAmount"));
    assertEquals("CNY", t.getString("bonusCurrency"));
    assertEquals(TaskTestKit.ROUTE, t.getString("routeId"));
    for (String key :
        List.of(
            "claimedBy", "claimedAt", "startedAt", "completedAt", "cancelledAt", "cancelReason")) {
      assertTrue(t.containsKey(key) && t.getValue(key) == null, key + " present and null");
    }
    assertNotNull(Instant.parse(t.getString("createdAt")));

    // the claim comes from an API Gateway fixture (rider-1)
    TaskTestKit.Res claimed = kit.call(TaskTestKit.fixture("claim-task.json", id));
    assertEquals(200, claimed.status(), claimed.body().encode());
    assertEquals("claimed", claimed.body().getString("status"));
    assertEquals(RIDER.userId(), claimed.body().getString("claimedBy"));
    assertNotNull(claimed.body().getString("claimedAt"));

    TaskTestKit.Res started = kit.start(id, RIDER);
    assertEquals(200, started.status(), started.body().encode());
    assertEquals("in_progress", started.body().getString("status"));
    assertNotNull(started.body().getString("startedAt"));

    TaskTestKit.Res completed = kit.complete(id, RIDER);
    assertEquals(200, completed.status(), completed.body().encode());
    assertEquals("completed", completed.body().getString("status"));
    assertNotNull(completed.body().getString("completedAt"));

    var ledger =
        kit.sql(
            "SELECT rider_id, kind, amount::text, currency FROM rider_ledger WHERE task_id = $1",
            id);
    assertEquals(1, ledger.size());
    assertEquals(RIDER.userId(), ledger.get(0).getString(0));
    assertEquals("task_bonus", ledger.get(0).getString(1));
    assertEquals("12.50", ledger.get(0).getString(2));
    assertEquals("CNY", ledger.get(0).getString(3));

    TaskTestKit.Res events =
        kit.call("GET", "/tasks/{taskId}/events", Map.of("taskId", id), null, null, MANAGER);
    assertEquals(200, events.status(), events.body().encode());
    JsonArray items = events.items();
    assertEquals(
        List.of("created", "claimed", "started", "completed"),
        items.stream().map(o -> ((JsonObject) o).getString("type")).toList());
    assertEquals(
        List.of(ADMIN.userId(), RIDER.userId(), RIDER.userId(), RIDER.userId()),
        items.stream().map(o -> ((JsonObject) o).getString("actorId")).toList());
    JsonObject done = items.getJsonObject(3);
    assertEquals("in_progress", done.getString("fromStatus"));
    assertEquals("completed", done.getString("toStatus"));
    assertEquals(true, done.getJsonObject("details").getBoolean("credited"));

    TaskTestKit.Res earnings = kit.call("GET", "/riders/me/earnings", Map.of(), null, null, RIDER);
    assertEquals(200, earnings.status(), earnings.body().encode());
    assertEquals(
        new JsonArray().add(new JsonObject().put("currency", "CNY").put("amount", "12.50")),
        earnings.body().getJsonArray("totals"));
    JsonObject entry = earnings.body().getJsonArray("entries").getJsonObject(0);
    assertEquals(id, entry.getString("taskId"));
    assertEquals("task_bonus", entry.getString("kind"));
    assertEquals("12.50", entry.getString("amount"));

    TaskTestKit.Res staffView =
        kit.call(
            "GET",
            "/riders/{riderId}/earnings",
            Map.of("riderId", RIDER.userId()),
            null,
            null,
            MANAGER);
    assertEquals(200, staffView.status());
    assertEquals(earnings.body().getJsonArray("totals"), staffView.body().getJsonArray("totals"));

    TaskTestKit.Res mine = kit.call("GET", "/riders/me/tasks", Map.of(), null, null, RIDER);
    assertEquals(1, mine.items().size());
    assertEquals("completed", mine.items().getJsonObject(0).getString("status"));
  }

  @Test
  void aRepeatedCompleteIsRefusedAndNeverCreditsTwice() {
    String id = startedTask(RIDER);
    assertEquals(200, kit.complete(id, RIDER).status());
    TaskTestKit.Res again = kit.complete(id, RIDER);
    assertEquals(409, again.status());
    assertTrue(again.message().contains("completed"), again.message());
    assertEquals(1, kit.count("SELECT count(*) FROM rider_ledger WHERE task_id = $1", id));
    assertEquals(
        1,
        kit.count(
            "SELECT count(*) FROM task_events WHERE task_id = $1 AND type = 'completed'", id));

    // even a second credit attempted at the SQL level is refused by the unique key
    kit.sql(
        "INSERT INTO rider_ledger (rider_id, task_id, kind, amount, currency) VALUES ($1, $2, 'task_bonus', 1, 'CNY') "
            + "ON CONFLICT (task_id, kind) DO NOTHING",
        RIDER.userId(),
        id);
    assertEquals(1, kit.count("SELECT count(*) FROM rider_ledger WHERE task_id = $1", id));
    TaskTestKit.Res earnings = kit.call("GET", "/riders/me/earnings", Map.of(), null, null, RIDER);
    assertEquals(
        "12.50", earnings.body().getJsonArray("totals").getJsonObject(0).getString("amount"));
  }

  @Test
  void onlyTheClaimerMayStartReleaseOrComplete() {
    String id = kit.createTask("mine");
    assertEquals(200, kit.claim(id, RIDER).status());
    TaskTestKit.Res start = kit.start(id, RIDER2);
    assertEquals(403, start.status());
    assertTrue(start.message().contains("claimer"), start.message());
    assertEquals(403, kit.release(id, RIDER2).status());
    assertEquals(200, kit.start(id, RIDER).status());
    assertEquals(403, kit.complete(id, RIDER2).status());
    assertEquals("in_progress", kit.get(id, ADMIN).body().getString("status"));
    assertEquals(0, kit.count("SELECT count(*) FROM rider_ledger"));
  }

  @Test
  void wrongStateAnswers409NamingTheStatus() {
    String id = kit.createTask("states");
    TaskTestKit.Res startOpen = kit.start(id, RIDER);
    assertEquals(409, startOpen.status());
    assertTrue(startOpen.message().contains("task is open"), startOpen.message());
    TaskTestKit.Res completeOpen = kit.complete(id, RIDER);
    assertEquals(409, completeOpen.status());
    assertEquals(409, kit.release(id, RIDER).status());

    assertEquals(200, kit.claim(id, RIDER).status());
    TaskTestKit.Res completeClaimed = kit.complete(id, RIDER);
    assertEquals(409, completeClaimed.status());
    assertTrue(completeClaimed.message().contains("task is claimed"), completeClaimed.message());

    assertEquals(200, kit.start(id, RIDER).status());
    TaskTestKit.Res releaseStarted = kit.release(id, RIDER);
    assertEquals(409, releaseStarted.status());
    assertTrue(releaseStarted.message().contains("in_progress"), releaseStarted.message());
    TaskTestKit.Res startTwice = kit.start(id, RIDER);
    assertEquals(409, startTwice.status());

    TaskTestKit.Res missing = kit.claim("no-such-task", RIDER);
    assertEquals(404, missing.status());
    assertEquals(404, kit.start("no-such-task", RIDER).status());
    assertEquals(404, kit.cancel("no-such-task", new JsonObject().put("reason", "x")).status());
  }

  @Test
  void releaseReopensTheTaskForOthers() {
    String id = kit.createTask("release me");
    assertEquals(200, kit.claim(id, RIDER).status());
    TaskTestKit.Res released = kit.release(id, RIDER);
    assertEquals(200, released.status(), released.body().encode());
    assertEquals("open", released.body().getString("status"));
    assertNull(released.body().getString("claimedBy"));
    assertNull(released.body().getString("claimedAt"));
    assertEquals(200, kit.claim(id, RIDER2).status());
    assertEquals(List.of("created", "claimed", "released", "claimed"), eventTypes(id));
  }

  @Test
  void claimConflictsExplainThemselves() {
    String id = kit.createTask("contested");
    assertEquals(200, kit.claim(id, RIDER).status());
    TaskTestKit.Res other = kit.claim(id, RIDER2);
    assertEquals(409, other.status());
    assertEquals("task already claimed by another rider", other.message());
    TaskTestKit.Res self = kit.claim(id, RIDER);
    assertEquals(409, self.status());
    assertTrue(self.message().contains("already claimed by you"), self.message());

    String late = kit.createTask("late");
    kit.sql(
        "UPDATE tasks SET window_start = now() - interval '3 hours', window_end = now() - interval '1 hour' "
            + "WHERE id = $1",
        late);
    TaskTestKit.Res passed = kit.claim(late, RIDER2);
    assertEquals(409, passed.status());
    assertEquals("task window has passed", passed.message());

    String cancelled = kit.createTask("cancelled");
    assertEquals(
        200, kit.cancel(cancelled, new JsonObject().put("reason", "no longer needed")).status());
    TaskTestKit.Res c = kit.claim(cancelled, RIDER2);
    assertEquals(409, c.status());
    assertEquals("task is cancelled", c.message());
  }

  @Test
  void aRiderHoldsAtMostTheConfiguredNumberOfActiveTasks() {
    String first = kit.createTask("first");
    String second = kit.createTask("second");
    assertEquals(200, kit.claim(first, RIDER).status());
    TaskTestKit.Res limited = kit.claim(second, RIDER);
    assertEquals(409, limited.status());
    assertTrue(limited.message().contains("at most 1"), limited.message());
    assertEquals("open", kit.get(second, ADMIN).body().getString("status"));
    // finishing the first frees the slot
    assertEquals(200, kit.start(first, RIDER).status());
    assertEquals(409, kit.claim(second, RIDER).status());
    assertEquals(200, kit.complete(first, RIDER).status());
    assertEquals(200, kit.claim(second, RIDER).status());
  }

  @Test
  void theActiveTaskLimitIsASetting() {
    try (TaskTestKit two =
        new TaskTestKit(Map.of(TaskSettings.MAX_ACTIVE_TASKS_PER_RIDER.env(), "2"), null)) {
      String a = two.createTask("a");
      String b = two.createTask("b");
      String c = two.createTask("c");
      assertEquals(200, two.claim(a, RIDER).status());
      assertEquals(200, two.claim(b, RIDER).status());
      TaskTestKit.Res third = two.claim(c, RIDER);
      assertEquals(409, third.status());
      assertTrue(third.message().contains("at most 2"), third.message());
    }
  }

  @Test
  void startIsOnlyAllowedInsideTheWindow() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // opens in 2 hours: too early even with the 15 minutes' grace
    String early =
        kit.createTask(
            TaskTestKit.taskBody("early")
                .put("windowStart", now.plus(Duration.ofHours(2)).toString())
                .put("windowEnd", now.plus(Duration.ofHours(4)).toString()));
    assertEquals(200, kit.claim(early, RIDER).status());
    TaskTestKit.Res tooEarly = kit.start(early, RIDER);
    assertEquals(409, tooEarly.status());
    assertTrue(tooEarly.message().contains("has not opened yet"), tooEarly.message());
    assertEquals("claimed", kit.get(early, RIDER).body().getString("status"));
    assertEquals(200, kit.release(early, RIDER).status());

    // opens in 10 minutes: inside the grace period
    String soon =
        kit.createTask(
            TaskTestKit.taskBody("soon")
                .put("windowStart", now.plus(Duration.ofMinutes(10)).toString())
                .put("windowEnd", now.plus(Duration.ofHours(1)).toString()));
    assertEquals(200, kit.claim(soon, RIDER).status());
    assertEquals(200, kit.start(soon, RIDER).status());
    assertEquals(200, kit.complete(soon, RIDER).status());

    // claimed in time, window passed before the start
    String passed = kit.createTask("passed");
    assertEquals(200, kit.claim(passed, RIDER).status());
    kit.sql(
        "UPDATE tasks SET window_start = now() - interval '3 hours', window_end = now() - interval '1 minute' "
            + "WHERE id = $1",
        passed);
    TaskTestKit.Res tooLate = kit.start(passed, RIDER);
    assertEquals(409, tooLate.status());
    assertTrue(tooLate.message().contains("window has passed"), tooLate.message());
  }

  @Test
  void cancelStoresTheReasonVerbatimAndRecordsIt() {
    String open = kit.createTask("cancel open");
    // from an API Gateway fixture: a reason full of SQL metacharacters
    TaskTestKit.Res r = kit.call(TaskTestKit.fixture("cancel-task.json", open));
    assertEquals(200, r.status(), r.body().encode());
    String reason = "Robert'); DROP TABLE tasks; -- \\ $1 %s \" ; SELECT pg_sleep(10);";
    assertEquals("cancelled", r.body().getString("status"));
    assertEquals(reason, r.body().getString("cancelReason"));
    assertNotNull(r.body().getString("cancelledAt"));
    assertEquals(
        reason, kit.sql("SELECT cancel_reason FROM tasks WHERE id = $1", open).get(0).getString(0));
    JsonObject event =
        kit.call("GET", "/tasks/{taskId}/events", Map.of("taskId", open), null, null, ADMIN)
            .items()
            .getJsonObject(1);
    assertEquals("cancelled", event.getString("type"));
    assertEquals("open", event.getString("fromStatus"));
    assertEquals(reason, event.getJsonObject("details").getString("reason"));
    assertEquals(ADMIN.userId(), event.getString("actorId"));

    String running = startedTask(RIDER);
    TaskTestKit.Res c2 = kit.cancel(running, new JsonObject().put("reason", "rider fell ill"));
    assertEquals(200, c2.status());
    assertEquals(RIDER.userId(), c2.body().getString("claimedBy"), "who had it is kept");
    assertEquals("in_progress", eventOf(running, "cancelled").getString("fromStatus"));
    assertEquals(409, kit.complete(running, RIDER).status());

    TaskTestKit.Res twice = kit.cancel(open, new JsonObject().put("reason", "again"));
    assertEquals(409, twice.status());
    assertTrue(twice.message().contains("task is cancelled"), twice.message());
    assertEquals(
        1,
        kit.count(
            "SELECT count(*) FROM task_events WHERE task_id = $1 AND type = 'cancelled'", open));
  }

  @Test
  void cancelNeedsAReason() {
    String id = kit.createTask("x");
    TaskTestKit.Res missing = kit.cancel(id, new JsonObject());
    assertEquals(400, missing.status());
    assertEquals(List.of("reason"), missing.errorFields());
    TaskTestKit.Res tooLong = kit.cancel(id, new JsonObject().put("reason", "r".repeat(501)));
    assertEquals(List.of("reason"), tooLong.errorFields());
    TaskTestKit.Res blank = kit.cancel(id, new JsonObject().put("reason", "   "));
    assertEquals(List.of("reason"), blank.errorFields());
    TaskTestKit.Res extra = kit.cancel(id, new JsonObject().put("reason", "ok").put("force", true));
    assertEquals(List.of("force"), extra.errorFields());
    assertEquals(400, kit.cancel(id, null).status());
    assertEquals("open", kit.get(id, ADMIN).body().getString("status"));
  }

  @Test
  void eventsAndEarningsOfUnknownThingsAre404() {
    assertEquals(
        404,
        kit.call("GET", "/tasks/{taskId}/events", Map.of("taskId", "nope"), null, null, ADMIN)
            .status());
    assertEquals(
        404,
        kit.call(
                "GET", "/riders/{riderId}/earnings", Map.of("riderId", "nobody"), null, null, ADMIN)
            .status());
    TaskTestKit.Res empty = kit.call("GET", "/riders/me/earnings", Map.of(), null, null, RIDER2);
    assertEquals(200, empty.status());
    assertEquals(0, empty.body().getJsonArray("totals").size());
    assertEquals(0, empty.body().getJsonArray("entries").size());
  }

  @Test
  void earningsTotalPerCurrencyAndPageTheEntries() {
    for (int i = 0; i < 3; i++) {
      String id =
          kit.createTask(
              TaskTestKit.taskBody("t" + i)
                  .put("bonusAmount", "1" + i + ".25")
                  .put("bonusCurrency", i == 2 ? "USD" : "CNY"));
      assertEquals(200, kit.claim(id, RIDER).status());
      assertEquals(200, kit.start(id, RIDER).status());
      assertEquals(200, kit.complete(id, RIDER).status());
    }
    TaskTestKit.Res page1 =
        kit.call("GET", "/riders/me/earnings", Map.of(), Map.of("limit", "2"), null, RIDER);
    assertEquals(200, page1.status(), page1.body().encode());
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("currency", "CNY").put("amount", "21.50"))
            .add(new JsonObject().put("currency", "USD").put("amount", "12.25")),
        page1.body().getJsonArray("totals"));
    assertEquals(2, page1.body().getJsonArray("entries").size());
    assertEquals(
        "12.25",
        page1.body().getJsonArray("entries").getJsonObject(0).getString("amount"),
        "newest first");
    String cursor = page1.body().getString("nextCursor");
    assertNotNull(cursor);
    TaskTestKit.Res page2 =
        kit.call(
            "GET",
            "/riders/me/earnings",
            Map.of(),
            Map.of("limit", "2", "cursor", cursor),
            null,
            RIDER);
    assertEquals(1, page2.body().getJsonArray("entries").size());
    assertEquals(
        "10.25", page2.body().getJsonArray("entries").getJsonObject(0).getString("amount"));
    assertNull(page2.body().getString("nextCursor"));
    TaskTestKit.Res bad =
        kit.call("GET", "/riders/me/earnings", Map.of(), Map.of("cursor", "garbage!"), null, RIDER);
    assertEquals(400, bad.status());
    assertEquals(List.of("cursor"), bad.errorFields());
  }

  private String startedTask(Caller rider) {
    String id = kit.createTask("started");
    assertEquals(200, kit.claim(id, rider).status());
    assertEquals(200, kit.start(id, rider).status());
    return id;
  }

  private List<String> eventTypes(String id) {
    return kit
        .call("GET", "/tasks/{taskId}/events", Map.of("taskId", id), null, null, ADMIN)
        .items()
        .stream()
        .map(o -> ((JsonObject) o).getString("type"))
        .toList();
  }

  private JsonObject eventOf(String id, String type) {
    return kit
        .call("GET", "/tasks/{taskId}/events", Map.of("taskId", id), null, null, ADMIN)
        .items()
        .stream()
        .map(o -> (JsonObject) o)
        .filter(o -> type.equals(o.getString("type")))
        .findFirst()
        .orElseThrow();
  }
}
