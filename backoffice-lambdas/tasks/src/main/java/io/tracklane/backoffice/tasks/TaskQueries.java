package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskSql.noTask;
import static io.tracklane.backoffice.tasks.TaskSql.param;
import static io.tracklane.backoffice.tasks.TaskSql.utc;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.DbRows;
import io.tracklane.backoffice.common.PageCursor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading tasks: one, a page, the audit trail, and what completing one needs. Visibility rules live
 * here.
 */
final class TaskQueries {
  /** A rider sees open tasks whose window has not passed, and every task they claimed. */
  private static final String RIDER_VISIBLE =
      "((t.status = 'open' AND t.window_end > now()) OR t.claimed_by = %s)";

  private static final double EARTH_RADIUS_KM = 6371.0088;

  private final BackofficeContext ctx;

  TaskQueries(BackofficeContext ctx) {
    this.ctx = ctx;
  }

  /**
   * One task; riders only see open ones (window not passed) and their own, else 404 (not 403: don't
   * reveal).
   */
  Task get(Caller caller, String taskId) {
    List<Object> params = new ArrayList<>(List.of(taskId));
    String where = "t.id = $1";
    if (!caller.isStaff()) {
      params.add(caller.userId());
      where += " AND " + RIDER_VISIBLE.formatted("$2");
    }
    DbRow row =
        ctx.db().one("SELECT " + Task.COLUMNS + " FROM tasks t WHERE " + where, params.toArray());
    if (row == null) throw noTask(taskId);
    return Task.from(row);
  }

  /**
   * A page of tasks, newest first (keyset on created_at, id). Staff see all; riders see open tasks
   * whose window has not passed plus their own. With {@code near}, only tasks whose route starts
   * within {@code radiusKm} of the point (haversine in SQL), each with its distanceKm.
   */
  Page<Task> list(Caller caller, TaskFilter f) {
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT ").append(Task.COLUMNS);
    if (f.near() != null) {
      sql.append(", d.distance_km FROM tasks t JOIN routes r ON r.id = t.route_id ")
          // the route's first position [lon, lat]; a route without numeric coordinates has no
          // distance
          .append(
              "CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(r.geometry #> '{coordinates,0,0}') = 'number' ")
          .append("AND jsonb_typeof(r.geometry #> '{coordinates,0,1}') = 'number' ")
          .append("THEN (r.geometry #>> '{coordinates,0,0}')::float8 END AS lon, ")
          .append("CASE WHEN jsonb_typeof(r.geometry #> '{coordinates,0,1}') = 'number' ")
          .append("THEN (r.geometry #>> '{coordinates,0,1}')::float8 END AS lat) s ");
      String lat = param(params, f.near()[0]);
      String lon = param(params, f.near()[1]);
      sql.append("CROSS JOIN LATERAL (SELECT 2 * ")
          .append(EARTH_RADIUS_KM)
          .append(" * asin(least(1.0, sqrt(")
          .append("power(sin(radians(s.lat - ")
          .append(lat)
          .append("::float8) / 2), 2) + cos(radians(")
          .append(lat)
          .append("::float8)) * cos(radians(s.lat)) * power(sin(radians(s.lon - ")
          .append(lon)
          .append("::float8) / 2), 2)))) AS distance_km) d ");
      where.add("d.distance_km <= " + param(params, f.radiusKm()) + "::float8");
    } else {
      sql.append(" FROM tasks t ");
    }
    if (f.claimedBy() != null) {
      where.add("t.claimed_by = " + param(params, f.claimedBy()));
    } else if (!caller.isStaff()) {
      where.add(RIDER_VISIBLE.formatted(param(params, caller.userId())));
    }
    if (f.status() != null) where.add("t.status = " + param(params, f.status()));
    if (f.after() != null) {
      where.add(
          "(t.created_at, t.id) < ("
              + param(params, utc(f.after().at()))
              + "::timestamptz, "
              + param(params, f.after().id())
              + ")");
    }
    if (!where.isEmpty()) sql.append("WHERE ").append(String.join(" AND ", where)).append(' ');
    sql.append("ORDER BY t.created_at DESC, t.id DESC LIMIT ")
        .append(param(params, (long) f.limit() + 1));
    DbRows rows = ctx.db().query(sql.toString(), params.toArray());
    List<Task> items = new ArrayList<>();
    for (DbRow r : rows) {
      if (items.size() == f.limit()) break;
      items.add(Task.from(r));
    }
    String next = null;
    if (rows.size() > f.limit()) {
      Task last = items.get(items.size() - 1);
      next = new PageCursor.TimeKey(last.createdAt(), last.id()).encode(PageCursor.TASKS);
    }
    return new Page<>(items, next);
  }

  /**
   * 404 unless the caller may read the task's track: staff any existing task, a rider only one they
   * claimed.
   */
  void requireTrackAccess(Caller caller, String taskId) {
    DbRow row = ctx.db().one("SELECT claimed_by FROM tasks WHERE id = $1", taskId);
    if (row == null
        || (!caller.isStaff() && !caller.userId().equals(row.getString("claimed_by")))) {
      throw noTask(taskId);
    }
  }

  /** The audit trail of a task, oldest first; 404 for an unknown task. */
  List<TaskEvent> events(String taskId) {
    DbRows rows =
        ctx.db()
            .query(
                "SELECT e.id, e.task_id, e.type, e.from_status, e.to_status, e.actor_id, e.details, e.at, t.id AS found "
                    + "FROM (SELECT id FROM tasks WHERE id = $1) t LEFT JOIN task_events e ON e.task_id = t.id "
                    + "ORDER BY e.at, e.id",
                taskId);
    if (rows.size() == 0) throw noTask(taskId);
    List<TaskEvent> events = new ArrayList<>();
    for (DbRow r : rows) {
      if (r.getValue("id") == null) continue; // the task exists but has no events
      Object details = r.getValue("details");
      events.add(
          new TaskEvent(
              r.getLong("id"),
              r.getString("task_id"),
              r.getString("type"),
              r.getString("from_status"),
              r.getString("to_status"),
              r.getString("actor_id"),
              details instanceof JsonObject o ? o : new JsonObject(),
              Task.instant(r, "at")));
    }
    return events;
  }

  /**
   * Checks, without locking, that {@code caller} may complete {@code taskId} now — its claimer, or
   * an admin — and returns its rider and route. The transition itself re-checks in its UPDATE.
   */
  CompletionTarget completionTarget(Caller caller, String taskId) {
    DbRow r =
        ctx.db()
            .one(
                "SELECT t.status, t.claimed_by, t.route_id, "
                    + "t.started_at, now() AS now, r.geometry, r.checkpoints FROM tasks t JOIN routes r ON r.id = t.route_id "
                    + "WHERE t.id = $1",
                taskId);
    if (r == null) throw noTask(taskId);
    String status = r.getString("status");
    String claimedBy = r.getString("claimed_by");
    if (!caller.isAdmin() && claimedBy != null && !claimedBy.equals(caller.userId())) {
      throw ApiException.forbidden(
          "task " + taskId + " was claimed by another rider; only its claimer may complete it");
    }
    if (!Task.IN_PROGRESS.equals(status)) {
      throw ApiException.conflict(
          "task is "
              + status
              + (Task.OPEN.equals(status)
                  ? "; claim it first"
                  : "; only a in_progress task can be completed"));
    }
    return new CompletionTarget(
        taskId,
        claimedBy,
        r.getString("route_id"),
        (JsonObject) r.getValue("geometry"),
        (JsonArray) r.getValue("checkpoints"),
        Task.instant(r, "started_at"),
        Task.instant(r, "now"));
  }
}
