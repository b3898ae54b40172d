package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.MANAGER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.DbRow;
import io.tracklane.core.auth.Permissions;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bonus needs a real ride: completion counts only fixes timed within the task, and a ride
 * uploaded in one burst after the fact is held for an admin's review instead of paying. Fixes are
 * seeded into dynalite with their own receivedAt (the gateway's clock), as the gateway stores them.
 */
class CompletionReviewTest {
  private static final long MINUTE = 60_000;

  /** route-1: one straight leg from (31.2304, 121.4737) to (31.2404, 121.4837). */
  private static final Polyline ROUTE =
      Polyline.of(List.of(GeoPoint.of(31.2304, 121.4737), GeoPoint.of(31.2404, 121.4837)));

  private final TaskTestKit kit = new TaskTestKit();

  @AfterEach
  void close() {
    kit.close();
  }

  /** A task claimed and started by RIDER, its started_at moved {@code startedAgoMs} back. */
  private String startedTask(String title, long startedAgoMs) {
    String id = kit.createTask(title);
    assertEquals(200, kit.claim(id, RIDER).status());
    assertEquals(200, kit.start(id, RIDER).status());
    kit.sql(
        "UPDATE tasks SET started_at = now() - make_interval(secs => $2) WHERE id = $1",
        id,
        startedAgoMs / 1000.0);
    return id;
  }

  /**
   * Rides route-1 from {@code fromFraction} to {@code toFraction} of its length, one fix every 10 s
   * from {@code startTs} to {@code endTs}, each received at {@code receivedAt(ts)}. Returns the
   * count.
   */
  private int ride(
      String id,
      double fromFraction,
      double toFraction,
      long startTs,
      long endTs,
      LongUnaryOperator receivedAt) {
    int n = (int) ((endTs - startTs) / 10_000);
    for (int i = 0; i <= n; i++) {
      double along = ROUTE.lengthM() * (fromFraction + (toFraction - fromFraction) * i / n);
      GeoPoint p = ROUTE.pointAt(along);
      long ts = startTs + i * 10_000L;
      kit.putFix(id, RIDER.userId(), ts, p.lat(), p.lon(), receivedAt.applyAsLong(ts));
    }
    return n + 1;
  }

  private String status(String id) {
    return kit.sql("SELECT status FROM tasks WHERE id = $1", id).get(0).getString("status");
  }

  private long credits(String id) {
    return kit.count("SELECT count(*) FROM rider_ledger WHERE task_id = $1", id);
  }

  /** The details of the task's one event of {@code type}. */
  private JsonObject event(String id, String type) {
    List<DbRow> rows =
        kit.sql("SELECT details FROM task_events WHERE task_id = $1 AND type = $2", id, type);
    assertEquals(1, rows.size(), "one " + type + " event");
    return (JsonObject) rows.get(0).getValue("details");
  }

  private TaskTestKit.Res admin(String verb, String id, JsonObject body) {
    return kit.call("POST", "/tasks/{taskId}/" + verb, Map.of("taskId", id), null, body, ADMIN);
  }

  @Test
  void aWholeRideUploadedInOneBurstIsHeldForReviewAndPaysOnlyWhenAnAdminApproves() {
    String id = startedTask("burst", 21 * MINUTE);
    long now = System.currentTimeMillis();
    // 20 minutes of ride, every fix reaching the server within the last 3 seconds
    long burstAt = now - 3_000;
    int fixes =
        ride(id, 0, 1, now - 20 * MINUTE, now, ts -> burstAt + (ts - (now - 20 * MINUTE)) / 400);

    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(202, r.status(), r.body().encode());
    assertEquals("needs_review", r.body().getString("status"));
    assertTrue(
        r.body().getJsonObject("completion").getBoolean("arrived"), "the ride itself arrived");
    assertEquals("needs_review", status(id));
    assertEquals(0, credits(id), "no bonus while held");

    JsonObject held = event(id, "held_for_review");
    JsonObject check = held.getJsonObject("rideCheck");
    assertTrue(check.getBoolean("burst"));
    assertEquals(fixes, check.getInteger("countedFixes"));
    assertEquals(0, check.getInteger("ignoredFixes"));
    assertEquals(1200.0, check.getDouble("tsSpreadS"), 0.01);
    assertTrue(check.getDouble("receivedAtSpreadS") < 5, check.encode());
    assertTrue(
        held.getJsonArray("reasons").getString(0).contains("reached the server within"),
        held.encode());
    assertEquals(
        "in_progress",
        kit.sql(
                "SELECT from_status FROM task_events WHERE task_id = $1 AND type = "
                    + "'held_for_review'",
                id)
            .get(0)
            .getString("from_status"));
    // the admin sees the ride under review
    JsonObject got = kit.get(id, MANAGER).body();
    assertEquals("needs_review", got.getString("status"));
    assertTrue(got.getJsonObject("completion").getBoolean("arrived"));
    assertEquals(
        200,
        kit.call("GET", "/tasks", Map.of(), Map.of("status", "needs_review"), null, ADMIN)
            .status());

    // only an admin may decide (the authorizer's table); a rider cannot complete it again
    assertFalse(Permissions.allows("rider", "POST", "/tasks/{taskId}/approve"));
    assertFalse(Permissions.allows("manager", "POST", "/tasks/{taskId}/approve"));
    assertTrue(Permissions.allows("admin", "POST", "/tasks/{taskId}/approve"));
    assertEquals(409, kit.completeOnly(id, RIDER, null).status());

    TaskTestKit.Res approved =
        admin("approve", id, new JsonObject().put("note", "customer confirmed the delivery"));
    assertEquals(200, approved.status(), approved.body().encode());
    assertEquals("completed", approved.body().getString("status"));
    assertEquals(1, credits(id), "approval pays the bonus");
    JsonObject ev = event(id, "approved");
    assertTrue(ev.getBoolean("credited"));
    assertEquals("customer confirmed the delivery", ev.getString("note"));
    assertEquals(
        1,
        kit.count("SELECT count(*) FROM task_completions WHERE task_id = $1", id),
        "the ride is kept");
    assertEquals(409, admin("approve", id, null).status(), "approved once");
    assertEquals(1, credits(id));
  }

  @Test
  void aBurstPaddedWithOneLiveFixAtTheStartIsStillHeld() {
    String id = startedTask("padded burst", 21 * MINUTE);
    long now = System.currentTimeMillis();
    long first = now - 20 * MINUTE;
    // the first fix is sent live, the other 20 minutes in one burst now: receivedAt spreads over
    // the whole ride, but almost all of it arrived long after it was ridden
    ride(id, 0, 1, first, now, ts -> ts == first ? ts + 200 : now - 2_000);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(202, r.status(), r.body().encode());
    assertEquals(0, credits(id));
    JsonObject held = event(id, "held_for_review");
    assertEquals(1, held.getJsonArray("reasons").size(), held.encode());
    assertTrue(
        held.getJsonArray("reasons").getString(0).contains("uploaded more than 120 s after"),
        held.encode());
    // all but the first fix and the last two minutes (which the burst reached within 120 s) came
    // late
    assertEquals(
        0.89, held.getJsonObject("rideCheck").getDouble("lateUploadShare"), 0.01, held.encode());
  }

  @Test
  void aGenuineRideCompletesAndPaysWithTheCheckAudited() {
    String id = startedTask("genuine", 20 * MINUTE);
    long now = System.currentTimeMillis();
    // the ride begins a minute before the recorded start (a phone clock off, within the 120 s
    // allowed)
    int fixes = ride(id, 0, 1, now - 21 * MINUTE, now, ts -> ts + 300 + (ts / 10_000) % 7 * 100);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(200, r.status(), r.body().encode());
    assertEquals("completed", status(id));
    assertEquals(1, credits(id));
    JsonObject check = event(id, "completed").getJsonObject("rideCheck");
    assertFalse(check.getBoolean("burst"));
    assertEquals(
        fixes,
        check.getInteger("countedFixes"),
        "the fixes just before the start count: " + check.encode());
    assertEquals(0, check.getInteger("ignoredFixes"));
    assertEquals(1260.0, check.getDouble("tsSpreadS"), 0.01);
    assertEquals(1260.0, check.getDouble("receivedAtSpreadS"), 1.0);
    assertEquals(0.0, check.getDouble("lateUploadShare"));
    assertEquals(120, check.getInteger("clockSkewS"));
  }

  @Test
  void aRideWithAShortOfflineBufferUploadedLaterStillPays() {
    String id = startedTask("offline buffer", 21 * MINUTE);
    long now = System.currentTimeMillis();
    long t0 = now - 20 * MINUTE;
    // offline from minute 5 to minute 8 of the ride: that buffer reaches the server at the end
    ride(
        id,
        0,
        1,
        t0,
        now,
        ts -> ts >= t0 + 5 * MINUTE && ts < t0 + 8 * MINUTE ? now - 1_000 : ts + 400);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(200, r.status(), r.body().encode());
    assertEquals(1, credits(id));
    JsonObject check = event(id, "completed").getJsonObject("rideCheck");
    assertFalse(check.getBoolean("burst"));
    assertEquals(
        0.15, check.getDouble("lateUploadShare"), 0.01, "3 of 20 minutes late: " + check.encode());
  }

  @Test
  void fixesTimedBeforeTheStartDoNotCountForArrival() {
    String id = startedTask("backdated", 0);
    long now = System.currentTimeMillis();
    // a whole ride to the end of the route, timed 25 to 5 minutes before the task was started
    int fixes = ride(id, 0, 1, now - 25 * MINUTE, now - 5 * MINUTE, ts -> ts + 200);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(409, r.status(), r.body().encode());
    assertEquals("not_arrived", r.body().getString("error"));
    assertTrue(r.message().contains("no usable GPS fix"), r.message());
    assertTrue(
        r.message().contains(fixes + " fixes are timed before the task was started"), r.message());
    assertEquals("in_progress", status(id));
    assertEquals(0, credits(id));
  }

  @Test
  void aCheckpointPassedBeforeTheStartIsNotReached() {
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
    String id = startedTask("shop before start", 10 * MINUTE);
    long now = System.currentTimeMillis();
    // past the shop 30 to 25 minutes ago (long before the start), then on to the customer after it
    int early = ride(id, 0, 0.6, now - 30 * MINUTE, now - 25 * MINUTE, ts -> ts + 200);
    ride(id, 0.6, 1, now - 9 * MINUTE, now, ts -> ts + 200);
    TaskTestKit.Res r = kit.completeOnly(id, RIDER, null);
    assertEquals(409, r.status(), r.body().encode());
    assertTrue(r.message().contains("checkpoints not reached: shop"), r.message());
    assertTrue(
        r.message().contains(early + " fixes are timed before the task was started"), r.message());
    assertEquals(0, credits(id));
  }

  @Test
  void anAdminMayRejectAHeldCompletion() {
    String id = startedTask("rejected", 21 * MINUTE);
    long now = System.currentTimeMillis();
    ride(id, 0, 1, now - 20 * MINUTE, now, ts -> now - 1_000);
    assertEquals(202, kit.completeOnly(id, RIDER, null).status());
    TaskTestKit.Res noReason = admin("reject", id, new JsonObject());
    assertEquals(400, noReason.status());
    assertEquals(List.of("reason"), noReason.errorFields());
    TaskTestKit.Res r =
        admin("reject", id, new JsonObject().put("reason", "track uploaded after the fact"));
    assertEquals(200, r.status(), r.body().encode());
    assertEquals("cancelled", r.body().getString("status"));
    assertEquals("track uploaded after the fact", r.body().getString("cancelReason"));
    assertNull(r.body().getString("completedAt"));
    assertEquals(0, credits(id));
    assertEquals(0, kit.count("SELECT count(*) FROM task_completions WHERE task_id = $1", id));
    assertEquals("track uploaded after the fact", event(id, "rejected").getString("reason"));
    assertEquals(409, admin("approve", id, null).status(), "a rejected task cannot be approved");
  }

  @Test
  void onlyAHeldTaskCanBeApprovedOrRejected() {
    String id = startedTask("running", 0);
    TaskTestKit.Res approve = admin("approve", id, null);
    assertEquals(409, approve.status());
    assertTrue(
        approve.message().contains("only a needs_review task can be approved"), approve.message());
    assertEquals(409, admin("reject", id, new JsonObject().put("reason", "x")).status());
    assertEquals(404, admin("approve", "no-such-task", null).status());
    assertEquals("in_progress", status(id));
  }

  @Test
  void theClockSkewAllowanceIsASetting() {
    try (TaskTestKit strict =
        new TaskTestKit(Map.of(TaskSettings.COMPLETION_CLOCK_SKEW_SECONDS.env(), "0"), null)) {
      String id = strict.createTask("no skew");
      assertEquals(200, strict.claim(id, RIDER).status());
      assertEquals(200, strict.start(id, RIDER).status());
      strict.sql("UPDATE tasks SET started_at = now() - interval '20 minutes' WHERE id = $1", id);
      long now = System.currentTimeMillis();
      // the first minute of the ride is timed before the start: with no allowance it does not count
      for (int i = 0; i <= 126; i++) {
        GeoPoint p = ROUTE.pointAt(ROUTE.lengthM() * i / 126);
        long ts = now - 21 * MINUTE + i * 10_000L;
        strict.putFix(id, RIDER.userId(), ts, p.lat(), p.lon(), ts + 300);
      }
      TaskTestKit.Res r = strict.completeOnly(id, RIDER, null);
      assertEquals(200, r.status(), r.body().encode());
      JsonObject check =
          (JsonObject)
              strict
                  .sql(
                      "SELECT details FROM task_events WHERE task_id = $1 AND type = "
                          + "'completed'",
                      id)
                  .get(0)
                  .getValue("details");
      JsonObject ride = check.getJsonObject("rideCheck");
      assertEquals(0, ride.getInteger("clockSkewS"));
      assertTrue(
          ride.getInteger("ignoredBeforeStart") >= 5 && ride.getInteger("ignoredBeforeStart") <= 7,
          ride.encode());
    }
  }

  @Test
  void withTheTimeChecksOffEveryStoredFixCountsAndNothingIsHeld() {
    try (TaskTestKit lax =
        new TaskTestKit(Map.of(TaskSettings.COMPLETION_TIME_CHECKS.env(), "false"), null)) {
      String id = lax.createTask("demo fleet");
      assertEquals(200, lax.claim(id, RIDER).status());
      assertEquals(200, lax.start(id, RIDER).status());
      long now = System.currentTimeMillis();
      // what the local demo fleet does: a ride timed before the start, uploaded five times faster
      for (int i = 0; i <= 120; i++) {
        GeoPoint p = ROUTE.pointAt(ROUTE.lengthM() * i / 120);
        long ts = now - 20 * MINUTE + i * 10_000L;
        lax.putFix(id, RIDER.userId(), ts, p.lat(), p.lon(), now - 4 * MINUTE + i * 2_000L);
      }
      TaskTestKit.Res r = lax.completeOnly(id, RIDER, null);
      assertEquals(200, r.status(), r.body().encode());
      assertEquals(1, lax.count("SELECT count(*) FROM rider_ledger WHERE task_id = $1", id));
      JsonObject details =
          (JsonObject)
              lax.sql(
                      "SELECT details FROM task_events WHERE task_id = $1 AND type = "
                          + "'completed'",
                      id)
                  .get(0)
                  .getValue("details");
      assertFalse(
          details.getJsonObject("rideCheck").getBoolean("enforced"),
          "the audit says the checks were off");
      assertEquals(121, details.getJsonObject("rideCheck").getInteger("countedFixes"));
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    for (Map<String, String> bad :
        List.of(
            Map.of(TaskSettings.COMPLETION_CLOCK_SKEW_SECONDS.env(), "-1"),
            Map.of(TaskSettings.COMPLETION_CLOCK_SKEW_SECONDS.env(), "two minutes"),
            Map.of(TaskSettings.COMPLETION_TIME_CHECKS.env(), "maybe"))) {
      String name = bad.keySet().iterator().next();
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class,
              () ->
                  RideEvidence.Settings.from(
                      io.tracklane.backoffice.common.BackofficeConfig.of(bad)));
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }
}
