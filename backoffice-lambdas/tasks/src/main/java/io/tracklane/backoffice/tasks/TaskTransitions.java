package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskSql.noTask;
import static io.tracklane.backoffice.tasks.TaskSql.param;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.DbRows;
import io.tracklane.backoffice.common.SqlSession;
import io.tracklane.core.StatusChannels;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carries out a row of {@link TaskTransition}: one conditional {@code UPDATE} built from the row
 * (the task is locked, its status must be one of the row's from-statuses, the claimer must match
 * when the claimer makes it, the guard must hold), then the {@code task_events} row and a {@code
 * pg_notify} on {@link StatusChannels#TASK_STATUS} in the caller's transaction, so Postgres
 * delivers it only if the transaction commits, in commit order. When the UPDATE matches no row,
 * {@link #refusal} reads the task again to say why (404, 403 or 409).
 */
final class TaskTransitions {
  private TaskTransitions() {}

  /** The task a transition moved, and the status it left. */
  record Moved(Task task, String from) {}

  /**
   * Moves {@code taskId} by {@code tr}; null when the row did not match (then ask {@link
   * #refusal}).
   *
   * @param claimer the rider the task is (or becomes) claimed by; null when {@code tr} needs none
   * @param reason the cancel reason for transitions that stamp one
   * @param activeLimit the claimer's active-task limit ({@link TaskTransition.Guard#CLAIMABLE})
   */
  static Moved move(
      SqlSession sql,
      TaskTransition tr,
      String taskId,
      String claimer,
      String reason,
      int activeLimit) {
    List<Object> params = new ArrayList<>();
    Map<String, String> named = new HashMap<>();
    Map<String, Object> values = new HashMap<>();
    values.put(":claimer", claimer);
    values.put(":reason", reason);
    values.put(":limit", (long) activeLimit);
    String id = param(params, taskId);
    StringBuilder set = new StringBuilder("status = ").append(param(params, tr.to));
    for (TaskTransition.Stamp stamp : TaskTransition.Stamp.values()) {
      if (tr.stamps.contains(stamp))
        set.append(", ").append(bind(stamp.set, params, named, values));
    }
    StringBuilder where =
        new StringBuilder("t.id = cur.id AND cur.status = ANY(")
            .append(param(params, tr.from.toArray(new String[0])))
            .append("::text[])");
    if (tr.byClaimer())
      where.append(" AND t.claimed_by = ").append(bind(":claimer", params, named, values));
    if (tr.guard.condition != null)
      where.append(" AND ").append(bind(tr.guard.condition, params, named, values));
    DbRow row =
        sql.one(
            "WITH cur AS (SELECT id, status FROM tasks WHERE id = "
                + id
                + " FOR UPDATE) UPDATE tasks t SET "
                + set
                + ", updated_at = now() FROM cur WHERE "
                + where
                + " RETURNING cur.status AS from_status, "
                + Task.COLUMNS,
            params.toArray());
    return row == null ? null : new Moved(Task.from(row), row.getString("from_status"));
  }

  /** Each named parameter of {@code sql} becomes one placeholder, shared by its every use. */
  private static String bind(
      String sql, List<Object> params, Map<String, String> named, Map<String, Object> values) {
    String out = sql;
    for (var v : values.entrySet()) {
      if (out.contains(v.getKey())) {
        out =
            out.replace(
                v.getKey(), named.computeIfAbsent(v.getKey(), k -> param(params, v.getValue())));
      }
    }
    return out;
  }

  /**
   * Why {@code tr} matched no row for {@code asker}: 404 (no task), 403 (claimed by another rider,
   * for the claimer's transitions) or 409 (its status, or its time window).
   */
  static ApiException refusal(SqlSession sql, TaskTransition tr, String taskId, String asker) {
    DbRow r =
        sql.one(
            "SELECT status, claimed_by, window_start, window_end, now() AS now, "
                + "window_start - interval '"
                + TaskTransition.START_EARLY_MINUTES
                + " minutes' AS earliest "
                + "FROM tasks WHERE id = $1",
            taskId);
    if (r == null) return noTask(taskId);
    String status = r.getString("status");
    String onlyFrom = "; only " + tr.accepted() + " can be " + tr.pastTense;
    if (!tr.byClaimer()) return ApiException.conflict("task is " + status + onlyFrom);
    String claimedBy = r.getString("claimed_by");
    if (claimedBy != null && !claimedBy.equals(asker)) {
      return ApiException.forbidden(
          "task "
              + taskId
              + " was claimed by another rider; only its claimer may "
              + tr.verb
              + " it");
    }
    if (!tr.from.contains(status)) {
      return ApiException.conflict(
          "task is " + status + (Task.OPEN.equals(status) ? "; claim it first" : onlyFrom));
    }
    if (tr.guard == TaskTransition.Guard.START_WINDOW) {
      Instant now = Task.instant(r, "now");
      if (now.isBefore(Task.instant(r, "earliest"))) {
        return ApiException.conflict(
            "task window has not opened yet: it can be started from "
                + Task.instant(r, "earliest")
                + " ("
                + TaskTransition.START_EARLY_MINUTES
                + " minutes before windowStart)");
      }
      return ApiException.conflict(
          "task window has passed (windowEnd " + Task.instant(r, "window_end") + ")");
    }
    return ApiException.conflict("task is " + status);
  }

  /**
   * The audit event of a move and the status notification. A task that lost its rider (released) is
   * announced with {@code claimer}, the rider who let it go.
   */
  static void record(
      SqlSession sql,
      TaskTransition tr,
      Moved moved,
      String actorId,
      JsonObject details,
      String claimer) {
    Task task = moved.task();
    event(sql, task.id(), tr.event, moved.from(), tr.to, actorId, details);
    notifyStatus(
        sql,
        task.id(),
        task.status(),
        task.claimedBy() != null ? task.claimedBy() : claimer,
        task.updatedAt());
  }

  /**
   * The expiry sweep: every task in {@link TaskTransition#EXPIRE}'s from-statuses whose window has
   * passed moves, each with its event (actor null), in one statement. Rows another sweep is
   * expiring right now are skipped, so concurrent sweeps never double an event. Returns how many.
   */
  static int expireDue(SqlSession sql) {
    TaskTransition tr = TaskTransition.EXPIRE;
    DbRows rows =
        sql.query(
            "WITH due AS (SELECT t.id, t.status FROM tasks t WHERE t.status = ANY($1::text[]) AND "
                + tr.guard.condition
                + " FOR UPDATE SKIP LOCKED), "
                + "upd AS (UPDATE tasks t SET status = $2::text, updated_at = now() FROM due WHERE t.id = due.id "
                + "RETURNING t.id, due.status AS from_status, t.claimed_by, t.updated_at), "
                + "ev AS (INSERT INTO task_events (task_id, type, from_status, to_status, actor_id) "
                + "SELECT id, $3::text, from_status, $2::text, NULL FROM upd) "
                + "SELECT id, claimed_by, updated_at FROM upd",
            tr.from.toArray(new String[0]),
            tr.to,
            tr.event);
    List<String> notifications = new ArrayList<>();
    for (DbRow r : rows) {
      notifications.add(
          statusJson(
              r.getString("id"), tr.to, r.getString("claimed_by"), Task.instant(r, "updated_at")));
    }
    if (!notifications.isEmpty()) {
      sql.query(
          "SELECT pg_notify('"
              + StatusChannels.TASK_STATUS
              + "', n) "
              + "FROM unnest($1::text[]) AS n",
          notifications);
    }
    return rows.size();
  }

  static void event(
      SqlSession sql,
      String taskId,
      String type,
      String from,
      String to,
      String actorId,
      JsonObject details) {
    sql.update(
        "INSERT INTO task_events (task_id, type, from_status, to_status, actor_id, details) "
            + "VALUES ($1, $2, $3, $4, $5, $6)",
        taskId,
        type,
        from,
        to,
        actorId,
        details);
  }

  private static void notifyStatus(
      SqlSession sql, String taskId, String status, String riderId, Instant at) {
    sql.query(
        "SELECT pg_notify('" + StatusChannels.TASK_STATUS + "', $1)",
        statusJson(taskId, status, riderId, at));
  }

  /**
   * {@code {"taskId", "status", "riderId", "at"}}: riderId may be null, at is ISO-8601 UTC (the
   * transaction's time).
   */
  static String statusJson(String taskId, String status, String riderId, Instant at) {
    return new JsonObject()
        .put("taskId", taskId)
        .put("status", status)
        .put("riderId", riderId)
        .put("at", at == null ? null : at.toString())
        .encode();
  }
}
