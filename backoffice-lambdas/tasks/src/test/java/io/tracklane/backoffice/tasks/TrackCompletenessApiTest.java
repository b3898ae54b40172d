package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskTestKit.ADMIN;
import static io.tracklane.backoffice.tasks.TaskTestKit.MANAGER;
import static io.tracklane.backoffice.tasks.TaskTestKit.RIDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.DbRow;
import io.tracklane.core.fix.Fix;
import io.tracklane.fixestable.FixItemCodec;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The completeness score of a ride with a planted 5-minute gap and a late offline burst, its fixes
 * stored in real dynalite through the fixes-table codec and read back through the tasks unit's
 * path: live on {@code GET /tasks/{id}} while the ride is in progress, then stored in Postgres at
 * completion (for reports) and shown from there.
 */
class TrackCompletenessApiTest {
  private static final DateTimeFormatter HHMM =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private TaskTestKit kit;
  private String taskId;
  private long start;

  @BeforeEach
  void setUp() {
    kit = new TaskTestKit();
    taskId = kit.createTask("planted");
    assertEquals(200, kit.claim(taskId, RIDER).status());
    assertEquals(200, kit.start(taskId, RIDER).status());
    // the ride started 20 minutes ago (whole seconds, so the planted times are exact)
    start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
    kit.sql(
        "UPDATE tasks SET started_at = $2 WHERE id = $1",
        taskId,
        Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC));
    // TrackCompletenessTest's planted ride, shifted to start: 91 fixes, nothing from +5:00 to
    // +10:00, the 18 fixes of +12:00..+14:50 uploaded together at +16:00
    for (long s = 10; s <= 1200; s += 10) {
      if (s > 300 && s < 600) continue;
      long ts = start + s * 1000;
      boolean offline = s >= 720 && s <= 890;
      Fix fix = new Fix(ts, 31.2304, 121.4737, 5.0, 3.0, null, null, s == 10 ? 0.9 : 0.7);
      kit.ddb.putItem(
          b ->
              b.tableName(kit.table)
                  .item(
                      FixItemCodec.toItem(
                          taskId,
                          RIDER.userId(),
                          fix,
                          offline ? start + 960_000 : ts + 700,
                          90 * 86_400L)));
    }
  }

  @AfterEach
  void tearDown() {
    kit.close();
  }

  @Test
  void theScoreOfARideInProgressNamesTheGapAndTheLateBurst() {
    TaskTestKit.Res res = kit.get(taskId, MANAGER);
    assertEquals(200, res.status(), res.body().encode());
    JsonObject c = res.body().getJsonObject("trackCompleteness");
    assertTrue(c.getBoolean("inProgress"));
    assertEquals(91, c.getInteger("receivedFixes"));
    // 20 minutes at 10 s, plus whatever seconds passed since setUp
    assertTrue(
        c.getInteger("expectedFixes") >= 120 && c.getInteger("expectedFixes") <= 123, c.encode());
    assertEquals(1, c.getInteger("gapCount"));
    assertEquals(300.0, c.getDouble("longestGapS"));
    assertEquals(18, c.getInteger("lateFixes"));
    assertEquals(0.9, c.getDouble("batteryStart"));
    assertEquals(0.7, c.getDouble("batteryEnd"));
    String summary = c.getString("summary");
    assertTrue(summary.contains("5 min 0 s gap at " + at(300)), summary);
    assertTrue(
        summary.contains(
            "20 % uploaded late (offline burst "
                + at(720)
                + "–"
                + at(890)
                + ", uploaded "
                + at(960)),
        summary);
    assertEquals(
        Instant.ofEpochMilli(start + 300_000).toString(),
        c.getJsonArray("gaps").getJsonObject(0).getString("from"));
    // the rider who rides it sees it too
    assertEquals(
        summary,
        kit.get(taskId, RIDER).body().getJsonObject("trackCompleteness").getString("summary"));
  }

  @Test
  void theScoreIsStoredAtCompletionForReportsAndShownFromPostgres() {
    TaskTestKit.Res done =
        kit.completeOnly(
            taskId, ADMIN, new JsonObject().put("overrideReason", "rode it; phone was asleep"));
    assertEquals(200, done.status(), done.body().encode());
    // the fixes table is no longer read for a completed task: what completion judged is shown
    kit.ddb.deleteItem(b -> b.tableName(kit.table).key(FixItemCodec.key(taskId, start + 10_000)));
    JsonObject c = kit.get(taskId, MANAGER).body().getJsonObject("trackCompleteness");
    assertEquals(false, c.getBoolean("inProgress"));
    assertEquals(91, c.getInteger("receivedFixes"));
    assertTrue(c.getString("summary").contains("5 min 0 s gap at " + at(300)), c.encode());
    assertTrue(c.getString("summary").contains("uploaded late (offline burst"), c.encode());
    DbRow row =
        kit.sql(
                "SELECT cadence_s, expected_fixes, received_fixes, gaps, longest_gap_s, late_fixes, "
                    + "timed_fixes, battery_start, battery_end FROM task_completions WHERE task_id = $1",
                taskId)
            .get(0);
    assertEquals(10.0, row.getDouble("cadence_s"));
    assertTrue(
        row.getInteger("expected_fixes") >= 120, "expected " + row.getInteger("expected_fixes"));
    assertEquals(91, row.getInteger("received_fixes"));
    assertEquals(1, row.getInteger("gaps"));
    assertEquals(300.0, row.getDouble("longest_gap_s"));
    assertEquals(18, row.getInteger("late_fixes"));
    assertEquals(91, row.getInteger("timed_fixes"));
    assertEquals(0.9, row.getDouble("battery_start"));
    assertEquals(0.7, row.getDouble("battery_end"));
  }

  @Test
  void aTaskNotStartedHasNoScore() {
    String open = kit.createTask("not started");
    assertNull(kit.get(open, MANAGER).body().getValue("trackCompleteness"));
  }

  private String at(long secondsAfterStart) {
    return HHMM.format(Instant.ofEpochMilli(start + secondsAfterStart * 1000));
  }
}
