package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.SqlSession;
import io.tracklane.core.progress.TrackReview;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The stored ride of a completed or held task ({@code task_completions}), which reports read. */
final class TaskRides {
  private final BackofficeContext ctx;

  TaskRides(BackofficeContext ctx) {
    this.ctx = ctx;
  }

  static void store(
      SqlSession sql,
      Task task,
      String routeId,
      TrackReview review,
      String overrideReason,
      String overriddenBy,
      TrackCompleteness track) {
    JsonObject ride = review.toJson();
    sql.update(
        "INSERT INTO task_completions (task_id, rider_id, route_id, completed_at, "
            + "arrived, distance_m, active_s, stopped_s, fixes, accepted_fixes, first_fix_at, last_fix_at, "
            + "end_distance_m, percent, off_route_alerts, checkpoints, override_reason, overridden_by, "
            + "cadence_s, expected_fixes, received_fixes, gaps, longest_gap_s, late_fixes, timed_fixes, "
            + "battery_start, battery_end, track_completeness) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
            + "$19, $20, $21, $22, $23, $24, $25, $26, $27, $28)",
        task.id(),
        task.claimedBy(),
        routeId,
        task.completedAt().atOffset(ZoneOffset.UTC),
        review.arrived(),
        review.distanceM(),
        review.activeMs() / 1000,
        review.stoppedMs() / 1000,
        review.fixes(),
        review.acceptedFixes(),
        epochMs(review.firstFixTs()),
        epochMs(review.lastFixTs()),
        review.endDistanceM(),
        review.percent(),
        review.offRouteAlerts(),
        ride.getJsonArray("checkpoints"),
        overrideReason,
        overriddenBy,
        track.cadenceMs() / 1000.0,
        track.expected(),
        track.received(),
        track.gaps().size(),
        track.longestGapMs() / 1000.0,
        track.late(),
        track.withReceivedAt(),
        track.batteryStart(),
        track.batteryEnd(),
        track.toJson());
  }

  /** Drops a held task's ride (a rejected completion counts for no report). */
  static void delete(SqlSession sql, String taskId) {
    sql.update("DELETE FROM task_completions WHERE task_id = $1", taskId);
  }

  /**
   * The track completeness stored with a completed or held task's ride, or null (neither, or
   * completed before V10).
   */
  JsonObject readCompleteness(String taskId) {
    DbRow r =
        ctx.db().one("SELECT track_completeness FROM task_completions WHERE task_id = $1", taskId);
    return r == null ? null : (JsonObject) r.getValue("track_completeness");
  }

  /** The stored ride of a completed or held task, or null (neither, or completed before V3). */
  JsonObject read(String taskId) {
    DbRow r =
        ctx.db()
            .one(
                "SELECT arrived, distance_m, active_s, stopped_s, fixes, "
                    + "accepted_fixes, first_fix_at, last_fix_at, end_distance_m, percent, off_route_alerts, checkpoints, "
                    + "override_reason, overridden_by FROM task_completions WHERE task_id = $1",
                taskId);
    if (r == null) return null;
    return new JsonObject()
        .put("arrived", r.getBoolean("arrived"))
        .put("distanceM", Math.round(r.getDouble("distance_m") * 10) / 10.0)
        .put("activeS", r.getLong("active_s"))
        .put("stoppedS", r.getLong("stopped_s"))
        .put("fixes", r.getInteger("fixes"))
        .put("acceptedFixes", r.getInteger("accepted_fixes"))
        .put("firstFixAt", instantText(r.getOffsetDateTime("first_fix_at")))
        .put("lastFixAt", instantText(r.getOffsetDateTime("last_fix_at")))
        .put("endDistanceM", r.getDouble("end_distance_m"))
        .put("percent", r.getDouble("percent"))
        .put("offRouteAlerts", r.getInteger("off_route_alerts"))
        .put("checkpoints", r.getValue("checkpoints"))
        .put("overrideReason", r.getString("override_reason"))
        .put("overriddenBy", r.getString("overridden_by"));
  }

  private static OffsetDateTime epochMs(Long ms) {
    return ms == null ? null : Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC);
  }

  private static String instantText(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
