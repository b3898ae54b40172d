package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.core.progress.TrackReview;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks, their life cycle and the riders' earnings: all SQL of the tasks unit, shared by
 * {@link TasksHandler} and {@link TaskExpiryHandler}. Methods block the calling (Lambda or
 * worker) thread; refusals are {@link ApiException}s.
 *
 * <p>Every transition is one conditional {@code UPDATE … WHERE status = <expected> [AND
 * claimed_by = <caller>] RETURNING …} plus its {@code task_events} row and a {@code pg_notify} on
 * {@link #STATUS_CHANNEL} (the gateway's live stream listens), in one transaction. When
 * the UPDATE matches no row, the task is read again in the same transaction to say why (404,
 * 403 or 409). Time checks use the database clock ({@code now()}, the transaction's start).
 *
 * <p>Lifecycle: open → claimed (claim) → in_progress (start) → completed (complete, bonus
 * credited once); in_progress → needs_review (complete, but the ride was uploaded in a burst, see
 * {@link RideEvidence}) → completed (approve, bonus credited) or cancelled (reject, no bonus);
 * claimed → open (release); open/claimed/in_progress → cancelled (cancel);
 * open/claimed with window_end passed → expired (the sweep). A cancelled or expired task keeps
 * {@code claimed_by} as a record of who had it.
 */
public final class TaskService {
  private static final Logger log = LoggerFactory.getLogger(TaskService.class);

  /** A claimed task may be started this long before its window opens. */
  public static final int START_EARLY_MINUTES = 15;
  public static final int MAX_CANCEL_REASON = 500;
  /** Postgres NOTIFY channel of task status changes: payload {@code {"taskId","status","riderId","at"}}. */
  public static final String STATUS_CHANNEL = "tracklane_task_status";

  private static final String ACTIVE = "('claimed', 'in_progress')";
  /** A rider sees open tasks whose window has not passed, and every task they claimed. */
  private static final String RIDER_VISIBLE = "((t.status = 'open' AND t.window_end > now()) OR t.claimed_by = %s)";
  private static final double EARTH_RADIUS_KM = 6371.0088;

  private final BackofficeContext ctx;
  private final int maxActiveTasks;

  public TaskService(BackofficeContext ctx) {
    this.ctx = ctx;
    // every tasks setting is validated here, at init, all bad ones named at once
    this.maxActiveTasks = ctx.config().read(TaskSettings.ALL).get(TaskSettings.MAX_ACTIVE_TASKS_PER_RIDER);
  }

  public int maxActiveTasks() { return maxActiveTasks; }

  // --- records -------------------------------------------------------------------------------

  /** A page of a list; {@code nextCursor} is null on the last page. */
  public record Page<T>(List<T> items, String nextCursor) {}

  /**
   * Filters of a task list. {@code near} = {lat, lon} with {@code radiusKm}; {@code after} = the
   * decoded cursor; {@code claimedBy} restricts to one rider's tasks ({@code GET /riders/me/tasks}).
   */
  public record TaskFilter(String status, double[] near, Double radiusKm, int limit, PageCursor.TimeKey after,
      String claimedBy) {}

  /** One row of the audit trail. */
  public record TaskEvent(long id, String taskId, String type, String fromStatus, String toStatus, String actorId,
      JsonObject details, Instant at) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("taskId", taskId).put("type", type).put("fromStatus", fromStatus)
          .put("toStatus", toStatus).put("actorId", actorId).put("details", details).put("at", at.toString());
    }
  }

  /** A rider's earnings: totals per currency over every entry, and one page of entries, newest first. */
  public record Earnings(String riderId, List<Total> totals, List<LedgerEntry> entries, String nextCursor) {
    public JsonObject toJson() {
      JsonArray t = new JsonArray();
      totals.forEach(x -> t.add(new JsonObject().put("currency", x.currency()).put("amount", x.amount().toPlainString())));
      JsonArray e = new JsonArray();
      entries.forEach(x -> e.add(x.toJson()));
      JsonObject o = new JsonObject().put("riderId", riderId).put("totals", t).put("entries", e);
      if (nextCursor != null) o.put("nextCursor", nextCursor);
      return o;
    }
  }

  public record Total(String currency, BigDecimal amount) {}

  public record LedgerEntry(long id, String taskId, String kind, BigDecimal amount, String currency, String note,
      Instant createdAt) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("taskId", taskId).put("kind", kind)
          .put("amount", amount.toPlainString()).put("currency", currency).put("note", note)
          .put("createdAt", createdAt.toString());
    }
  }

  // --- create, read --------------------------------------------------------------------------

  /** Creates an open task on a current route (400 naming routeId otherwise); event "created". */
  public Task create(String adminId, NewTask in) {
    return inTransaction(conn -> {
      // FOR SHARE: a concurrent edit or delete of the route waits for this task to exist (and then sees it).
      Row route = one(Database.await(conn.preparedQuery(
          "SELECT id, superseded_by, deleted_at FROM routes WHERE id = $1 FOR SHARE").execute(Tuple.of(in.routeId()))));
      String problem = null;
      if (route == null) {
        problem = "no route with this id";
      } else if (route.getValue("deleted_at") != null) {
        problem = "the route was deleted";
      } else if (route.getString("superseded_by") != null) {
        problem = "the route was superseded by " + route.getString("superseded_by") + "; use the current version";
      }
      if (problem != null) {
        throw ApiException.badRequest("routeId: " + problem, List.of(new FieldError("routeId", problem)));
      }
      Row row = one(Database.await(conn.preparedQuery("INSERT INTO tasks AS t (route_id, title, description, "
              + "bonus_amount, bonus_currency, window_start, window_end, created_by) "
              + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING " + Task.COLUMNS)
          .execute(Tuple.tuple(values(in.routeId(), in.title(), in.description(), Numeric.create(in.bonusAmount()),
              in.bonusCurrency(), utc(in.windowStart()), utc(in.windowEnd()), adminId)))));
      Task task = Task.from(row);
      event(conn, task.id(), "created", null, Task.OPEN, adminId, new JsonObject());
      log.info("task {} created by {} on route {}", task.id(), adminId, in.routeId());
      return task;
    });
  }

  /** One task; riders only see open ones (window not passed) and their own, else 404 (not 403: don't reveal). */
  public Task get(Caller caller, String taskId) {
    List<Object> params = new ArrayList<>(List.of(taskId));
    String where = "t.id = $1";
    if (!caller.isStaff()) {
      params.add(caller.userId());
      where += " AND " + RIDER_VISIBLE.formatted("$2");
    }
    Row row = one(Database.await(ctx.db().pool().preparedQuery("SELECT " + Task.COLUMNS + " FROM tasks t WHERE " + where)
        .execute(Tuple.tuple(params))));
    if (row == null) throw noTask(taskId);
    return Task.from(row);
  }

  /**
   * A page of tasks, newest first (keyset on created_at, id). Staff see all; riders see open tasks
   * whose window has not passed plus their own. With {@code near}, only tasks whose route starts
   * within {@code radiusKm} of the point (haversine in SQL), each with its distanceKm.
   */
  public Page<Task> list(Caller caller, TaskFilter f) {
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT ").append(Task.COLUMNS);
    if (f.near() != null) {
      sql.append(", d.distance_km FROM tasks t JOIN routes r ON r.id = t.route_id ")
          // the route's first position [lon, lat]; a route without numeric coordinates has no distance
          .append("CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(r.geometry #> '{coordinates,0,0}') = 'number' ")
          .append("AND jsonb_typeof(r.geometry #> '{coordinates,0,1}') = 'number' ")
          .append("THEN (r.geometry #>> '{coordinates,0,0}')::float8 END AS lon, ")
          .append("CASE WHEN jsonb_typeof(r.geometry #> '{coordinates,0,1}') = 'number' ")
          .append("THEN (r.geometry #>> '{coordinates,0,1}')::float8 END AS lat) s ");
      String lat = param(params, f.near()[0]);
      String lon = param(params, f.near()[1]);
      sql.append("CROSS JOIN LATERAL (SELECT 2 * ").append(EARTH_RADIUS_KM).append(" * asin(least(1.0, sqrt(")
          .append("power(sin(radians(s.lat - ").append(lat).append("::float8) / 2), 2) + cos(radians(")
          .append(lat).append("::float8)) * cos(radians(s.lat)) * power(sin(radians(s.lon - ").append(lon)
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
      where.add("(t.created_at, t.id) < (" + param(params, utc(f.after().at())) + "::timestamptz, "
          + param(params, f.after().id()) + ")");
    }
    if (!where.isEmpty()) sql.append("WHERE ").append(String.join(" AND ", where)).append(' ');
    sql.append("ORDER BY t.created_at DESC, t.id DESC LIMIT ").append(param(params, (long) f.limit() + 1));
    RowSet<Row> rows = Database.await(ctx.db().pool().preparedQuery(sql.toString()).execute(Tuple.tuple(params)));
    List<Task> items = new ArrayList<>();
    for (Row r : rows) {
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

  /** 404 unless the caller may read the task's track: staff any existing task, a rider only one they claimed. */
  public void requireTrackAccess(Caller caller, String taskId) {
    Row row = one(Database.await(ctx.db().pool().preparedQuery("SELECT claimed_by FROM tasks WHERE id = $1")
        .execute(Tuple.of(taskId))));
    if (row == null || (!caller.isStaff() && !caller.userId().equals(row.getString("claimed_by")))) {
      throw noTask(taskId);
    }
  }

  /** The audit trail of a task, oldest first; 404 for an unknown task. */
  public List<TaskEvent> events(String taskId) {
    RowSet<Row> rows = Database.await(ctx.db().pool().preparedQuery(
        "SELECT e.id, e.task_id, e.type, e.from_status, e.to_status, e.actor_id, e.details, e.at, t.id AS found "
            + "FROM (SELECT id FROM tasks WHERE id = $1) t LEFT JOIN task_events e ON e.task_id = t.id "
            + "ORDER BY e.at, e.id").execute(Tuple.of(taskId)));
    if (rows.size() == 0) throw noTask(taskId);
    List<TaskEvent> events = new ArrayList<>();
    for (Row r : rows) {
      if (r.getValue("id") == null) continue; // the task exists but has no events
      Object details = r.getValue("details");
      events.add(new TaskEvent(r.getLong("id"), r.getString("task_id"), r.getString("type"),
          r.getString("from_status"), r.getString("to_status"), r.getString("actor_id"),
          details instanceof JsonObject o ? o : new JsonObject(), Task.instant(r, "at")));
    }
    return events;
  }

  /** A rider's ledger: totals per currency and a page of entries, newest first. 404 for an unknown user. */
  public Earnings earnings(String riderId, int limit, PageCursor.TimeKey after) {
    var pool = ctx.db().pool();
    if (one(Database.await(pool.preparedQuery("SELECT 1 FROM users WHERE id = $1").execute(Tuple.of(riderId)))) == null) {
      throw ApiException.notFound("no rider " + riderId);
    }
    List<Total> totals = new ArrayList<>();
    for (Row r : Database.await(pool.preparedQuery("SELECT currency, sum(amount) AS amount FROM rider_ledger "
        + "WHERE rider_id = $1 GROUP BY currency ORDER BY currency").execute(Tuple.of(riderId)))) {
      totals.add(new Total(r.getString("currency"), Task.money(r.getBigDecimal("amount"))));
    }
    long afterId = 0;
    if (after != null) {
      try {
        afterId = Long.parseLong(after.id());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("cursor: is not a cursor returned by this operation",
            List.of(new FieldError("cursor", "is not a cursor returned by this operation")));
      }
    }
    String sql = "SELECT id, task_id, kind, amount, currency, note, created_at FROM rider_ledger WHERE rider_id = $1 "
        + (after == null ? "" : "AND (created_at, id) < ($3::timestamptz, $4) ")
        + "ORDER BY created_at DESC, id DESC LIMIT $2";
    Tuple params = after == null ? Tuple.of(riderId, (long) limit + 1) : Tuple.of(riderId, (long) limit + 1, utc(after.at()), afterId);
    RowSet<Row> rows = Database.await(pool.preparedQuery(sql).execute(params));
    List<LedgerEntry> entries = new ArrayList<>();
    for (Row r : rows) {
      if (entries.size() == limit) break;
      entries.add(new LedgerEntry(r.getLong("id"), r.getString("task_id"), r.getString("kind"),
          Task.money(r.getBigDecimal("amount")), r.getString("currency"), r.getString("note"),
          Task.instant(r, "created_at")));
    }
    String next = null;
    if (rows.size() > limit) {
      LedgerEntry last = entries.get(entries.size() - 1);
      next = new PageCursor.TimeKey(last.createdAt(), Long.toString(last.id())).encode(PageCursor.LEDGER);
    }
    return new Earnings(riderId, totals, entries, next);
  }

  // --- transitions ---------------------------------------------------------------------------

  /**
   * open → claimed by {@code riderId}: one conditional UPDATE, so of any number of concurrent
   * claims exactly one matches (the others re-check {@code status = 'open'} after the winner
   * commits and match nothing). The rider's active-task limit is part of the same UPDATE; the
   * rider's user row is locked first so two claims by one rider cannot both pass it.
   */
  public Task claim(String riderId, String taskId) {
    return inTransaction(conn -> {
      if (one(Database.await(conn.preparedQuery("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE")
          .execute(Tuple.of(riderId)))) == null) {
        throw ApiException.forbidden("unknown rider account " + riderId);
      }
      Row row = one(Database.await(conn.preparedQuery("UPDATE tasks t SET status = 'claimed', claimed_by = $2, "
              + "claimed_at = now(), updated_at = now() "
              + "WHERE t.id = $1 AND t.status = 'open' AND t.window_end > now() "
              + "AND (SELECT count(*) FROM tasks a WHERE a.claimed_by = $2 AND a.status IN " + ACTIVE + ") < $3 "
              + "RETURNING " + Task.COLUMNS)
          .execute(Tuple.of(taskId, riderId, (long) maxActiveTasks))));
      if (row == null) throw whyNotClaimed(conn, riderId, taskId);
      event(conn, taskId, "claimed", Task.OPEN, Task.CLAIMED, riderId, new JsonObject());
      Task task = Task.from(row);
      notifyStatus(conn, task);
      log.info("task {} claimed by {}", taskId, riderId);
      return task;
    });
  }

  /** claimed → open, by the claimer, before it was started. */
  public Task release(String riderId, String taskId) {
    return riderTransition(riderId, taskId, "released", "release", Task.CLAIMED, Task.OPEN,
        "claimed_by = NULL, claimed_at = NULL", "");
  }

  /** claimed → in_progress, by the claimer, from 15 minutes before window_start until window_end. */
  public Task start(String riderId, String taskId) {
    return riderTransition(riderId, taskId, "started", "start", Task.CLAIMED, Task.IN_PROGRESS, "started_at = now()",
        " AND now() >= t.window_start - interval '" + START_EARLY_MINUTES + " minutes' AND now() <= t.window_end");
  }

  /**
   * What completing a task needs before its track is read: who rides it, along which route, when
   * it was started and when completion was asked (the database clock).
   */
  public record CompletionTarget(String taskId, String riderId, String routeId, JsonObject geometry,
      JsonArray checkpoints, Instant startedAt, Instant askedAt) {}

  /**
   * Checks, without locking, that {@code caller} may complete {@code taskId} now — its claimer, or
   * an admin — and returns its rider and route. The transition itself re-checks in its UPDATE.
   */
  public CompletionTarget completionTarget(Caller caller, String taskId) {
    Row r = one(Database.await(ctx.db().pool().preparedQuery("SELECT t.status, t.claimed_by, t.route_id, "
            + "t.started_at, now() AS now, r.geometry, r.checkpoints FROM tasks t JOIN routes r ON r.id = t.route_id "
            + "WHERE t.id = $1")
        .execute(Tuple.of(taskId))));
    if (r == null) throw noTask(taskId);
    String status = r.getString("status");
    String claimedBy = r.getString("claimed_by");
    if (!caller.isAdmin() && claimedBy != null && !claimedBy.equals(caller.userId())) {
      throw ApiException.forbidden("task " + taskId + " was claimed by another rider; only its claimer may complete it");
    }
    if (!Task.IN_PROGRESS.equals(status)) {
      throw ApiException.conflict("task is " + status
          + (Task.OPEN.equals(status) ? "; claim it first" : "; only a in_progress task can be completed"));
    }
    return new CompletionTarget(taskId, claimedBy, r.getString("route_id"), (JsonObject) r.getValue("geometry"),
        (JsonArray) r.getValue("checkpoints"), Task.instant(r, "started_at"), Task.instant(r, "now"));
  }

  /**
   * in_progress → completed: credits the bonus to the rider's ledger (at most once per task) and
   * stores the ride's {@link TrackReview} for reports. The caller is the claimer, or an admin; a
   * ride that did not arrive needs an admin's {@code overrideReason} (the handler enforces it, the
   * table's CHECK makes sure). {@code evidence} goes into the audit event.
   */
  public Task complete(Caller caller, CompletionTarget target, TrackReview review, RideEvidence evidence,
      String overrideReason) {
    String riderId = target.riderId();
    return inTransaction(conn -> {
      Row row = one(Database.await(conn.preparedQuery("UPDATE tasks t SET status = 'completed', completed_at = now(), "
              + "updated_at = now() WHERE t.id = $1 AND t.status = 'in_progress' AND t.claimed_by = $2 RETURNING "
              + Task.COLUMNS)
          .execute(Tuple.of(target.taskId(), riderId))));
      if (row == null) throw whyNot(conn, caller.isAdmin() ? riderId : caller.userId(), target.taskId(), "complete",
          Task.IN_PROGRESS, false);
      Task task = Task.from(row);
      String taskId = task.id();
      boolean credited = creditBonus(conn, task);
      storeRide(conn, task, target.routeId(), review, overrideReason, overrideReason == null ? null : caller.userId());
      JsonObject details = new JsonObject()
          .put("bonusAmount", task.bonusAmount().toPlainString()).put("bonusCurrency", task.bonusCurrency())
          .put("credited", credited)
          .put("arrived", review.arrived()).put("distanceM", review.toJson().getDouble("distanceM"))
          .put("rideCheck", evidence.toJson());
      if (overrideReason != null) details.put("overrideReason", overrideReason).put("shortfalls", review.shortfalls());
      event(conn, taskId, "completed", Task.IN_PROGRESS, Task.COMPLETED, caller.userId(), details);
      notifyStatus(conn, task);
      log.info("task {} completed by {} for {}; {} m ridden{}; bonus {} {} {}", taskId, caller.userId(), riderId,
          Math.round(review.distanceM()), overrideReason == null ? "" : "; arrival check overridden",
          task.bonusAmount(), task.bonusCurrency(), credited ? "credited" : "was already credited");
      return task;
    });
  }

  /**
   * in_progress → needs_review: the ride arrived but was uploaded in a burst ({@link RideEvidence}),
   * so no bonus yet. The ride is stored (the admin reviews it; completed_at is when the rider asked)
   * and a "held_for_review" event says why. An admin then approves or rejects it.
   */
  public Task holdForReview(Caller caller, CompletionTarget target, TrackReview review, RideEvidence evidence) {
    String riderId = target.riderId();
    return inTransaction(conn -> {
      Row row = one(Database.await(conn.preparedQuery("UPDATE tasks t SET status = 'needs_review', "
              + "completed_at = now(), updated_at = now() WHERE t.id = $1 AND t.status = 'in_progress' "
              + "AND t.claimed_by = $2 RETURNING " + Task.COLUMNS)
          .execute(Tuple.of(target.taskId(), riderId))));
      if (row == null) throw whyNot(conn, caller.isAdmin() ? riderId : caller.userId(), target.taskId(), "complete",
          Task.IN_PROGRESS, false);
      Task task = Task.from(row);
      storeRide(conn, task, target.routeId(), review, null, null);
      JsonObject details = new JsonObject()
          .put("reasons", new JsonArray(new ArrayList<>(evidence.reasons())))
          .put("bonusAmount", task.bonusAmount().toPlainString()).put("bonusCurrency", task.bonusCurrency())
          .put("credited", false)
          .put("arrived", review.arrived()).put("distanceM", review.toJson().getDouble("distanceM"))
          .put("rideCheck", evidence.toJson());
      event(conn, task.id(), "held_for_review", Task.IN_PROGRESS, Task.NEEDS_REVIEW, caller.userId(), details);
      notifyStatus(conn, task);
      log.info("task {} completion by {} held for review: {}", task.id(), caller.userId(),
          String.join("; ", evidence.reasons()));
      return task;
    });
  }

  /** needs_review → completed, by an admin: the bonus is credited (once); {@code note} is optional. */
  public Task approve(String adminId, String taskId, String note) {
    return inTransaction(conn -> {
      Row row = one(Database.await(conn.preparedQuery("UPDATE tasks t SET status = 'completed', updated_at = now() "
          + "WHERE t.id = $1 AND t.status = 'needs_review' RETURNING " + Task.COLUMNS).execute(Tuple.of(taskId))));
      if (row == null) throw notHeld(conn, taskId, "approved");
      Task task = Task.from(row);
      boolean credited = creditBonus(conn, task);
      JsonObject details = new JsonObject()
          .put("bonusAmount", task.bonusAmount().toPlainString()).put("bonusCurrency", task.bonusCurrency())
          .put("credited", credited).put("note", note);
      event(conn, taskId, "approved", Task.NEEDS_REVIEW, Task.COMPLETED, adminId, details);
      notifyStatus(conn, task);
      log.info("task {} held completion approved by {}; bonus {} {} {}", taskId, adminId, task.bonusAmount(),
          task.bonusCurrency(), credited ? "credited" : "was already credited");
      return task;
    });
  }

  /**
   * needs_review → cancelled, by an admin, with a reason (the task's cancelReason): no bonus. The
   * stored ride is dropped (reports count completed rides only); the held_for_review event keeps
   * its figures.
   */
  public Task reject(String adminId, String taskId, String reason) {
    return inTransaction(conn -> {
      Row row = one(Database.await(conn.preparedQuery("UPDATE tasks t SET status = 'cancelled', completed_at = NULL, "
              + "cancelled_at = now(), cancel_reason = $2, updated_at = now() WHERE t.id = $1 "
              + "AND t.status = 'needs_review' RETURNING " + Task.COLUMNS)
          .execute(Tuple.of(taskId, reason))));
      if (row == null) throw notHeld(conn, taskId, "rejected");
      Database.await(conn.preparedQuery("DELETE FROM task_completions WHERE task_id = $1").execute(Tuple.of(taskId)));
      Task task = Task.from(row);
      event(conn, taskId, "rejected", Task.NEEDS_REVIEW, Task.CANCELLED, adminId, new JsonObject().put("reason", reason));
      notifyStatus(conn, task);
      log.info("task {} held completion rejected by {}", taskId, adminId);
      return task;
    });
  }

  private static ApiException notHeld(SqlConnection conn, String taskId, String verb) {
    Row cur = one(Database.await(conn.preparedQuery("SELECT status FROM tasks WHERE id = $1").execute(Tuple.of(taskId))));
    if (cur == null) return noTask(taskId);
    return ApiException.conflict("task is " + cur.getString("status") + "; only a needs_review task can be " + verb);
  }

  /** The task's bonus into its rider's ledger; false when it was credited before. */
  private static boolean creditBonus(SqlConnection conn, Task task) {
    // The unique (task_id, kind) key: a second credit for the same task is impossible.
    RowSet<Row> credited = Database.await(conn.preparedQuery("INSERT INTO rider_ledger (rider_id, task_id, kind, "
            + "amount, currency, note) VALUES ($1, $2, 'task_bonus', $3, $4, $5) "
            + "ON CONFLICT (task_id, kind) DO NOTHING RETURNING id")
        .execute(Tuple.of(task.claimedBy(), task.id(), Numeric.create(task.bonusAmount()), task.bonusCurrency(),
            "bonus for task " + task.id())));
    return credited.size() == 1;
  }

  private static void storeRide(SqlConnection conn, Task task, String routeId, TrackReview review,
      String overrideReason, String overriddenBy) {
    JsonObject ride = review.toJson();
    Database.await(conn.preparedQuery("INSERT INTO task_completions (task_id, rider_id, route_id, completed_at, "
            + "arrived, distance_m, active_s, stopped_s, fixes, accepted_fixes, first_fix_at, last_fix_at, "
            + "end_distance_m, percent, off_route_alerts, checkpoints, override_reason, overridden_by) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)")
        .execute(Tuple.tuple(values(task.id(), task.claimedBy(), routeId, task.completedAt().atOffset(ZoneOffset.UTC),
            review.arrived(), review.distanceM(), review.activeMs() / 1000, review.stoppedMs() / 1000,
            review.fixes(), review.acceptedFixes(), epochMs(review.firstFixTs()), epochMs(review.lastFixTs()),
            review.endDistanceM(), review.percent(), review.offRouteAlerts(), ride.getJsonArray("checkpoints"),
            overrideReason, overriddenBy))));
  }

  /** The stored ride of a completed or held task, or null (neither, or completed before V3). */
  public JsonObject completion(String taskId) {
    Row r = one(Database.await(ctx.db().pool().preparedQuery("SELECT arrived, distance_m, active_s, stopped_s, fixes, "
            + "accepted_fixes, first_fix_at, last_fix_at, end_distance_m, percent, off_route_alerts, checkpoints, "
            + "override_reason, overridden_by FROM task_completions WHERE task_id = $1")
        .execute(Tuple.of(taskId))));
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

  /** open, claimed or in_progress → cancelled, by an admin, with a reason (stored verbatim). */
  public Task cancel(String adminId, String taskId, String reason) {
    return inTransaction(conn -> {
      Row row = one(Database.await(conn.preparedQuery("WITH cur AS (SELECT id, status FROM tasks WHERE id = $1 FOR UPDATE) "
              + "UPDATE tasks t SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2, updated_at = now() "
              + "FROM cur WHERE t.id = cur.id AND cur.status IN ('open', 'claimed', 'in_progress') "
              + "RETURNING cur.status AS from_status, " + Task.COLUMNS)
          .execute(Tuple.of(taskId, reason))));
      if (row == null) {
        Row cur = one(Database.await(conn.preparedQuery("SELECT status FROM tasks WHERE id = $1").execute(Tuple.of(taskId))));
        if (cur == null) throw noTask(taskId);
        throw ApiException.conflict("task is " + cur.getString("status")
            + "; only open, claimed or in-progress tasks can be cancelled");
      }
      String from = row.getString("from_status");
      event(conn, taskId, "cancelled", from, Task.CANCELLED, adminId, new JsonObject().put("reason", reason));
      Task task = Task.from(row);
      notifyStatus(conn, task);
      log.info("task {} cancelled by {} (was {})", taskId, adminId, from);
      return task;
    });
  }

  /**
   * The expiry sweep: every open or claimed task whose window_end has passed becomes expired, each
   * with an "expired" event (actor null), in one statement. Rows another sweep is expiring right
   * now are skipped, so concurrent sweeps never double an event. Returns how many expired.
   */
  public int expireDue() {
    return inTransaction(conn -> {
      RowSet<Row> rows = Database.await(conn.query(
          "WITH due AS (SELECT id, status FROM tasks WHERE status IN ('open', 'claimed') AND window_end <= now() "
              + "FOR UPDATE SKIP LOCKED), "
              + "upd AS (UPDATE tasks t SET status = 'expired', updated_at = now() FROM due WHERE t.id = due.id "
              + "RETURNING t.id, due.status AS from_status, t.claimed_by, t.updated_at), "
              + "ev AS (INSERT INTO task_events (task_id, type, from_status, to_status, actor_id) "
              + "SELECT id, 'expired', from_status, 'expired', NULL FROM upd) "
              + "SELECT id, claimed_by, updated_at FROM upd").execute());
      List<String> notifications = new ArrayList<>();
      for (Row r : rows) {
        notifications.add(statusJson(r.getString("id"), Task.EXPIRED, r.getString("claimed_by"),
            Task.instant(r, "updated_at")));
      }
      if (!notifications.isEmpty()) {
        Database.await(conn.preparedQuery("SELECT pg_notify('" + STATUS_CHANNEL + "', n) FROM unnest($1::text[]) AS n")
            .execute(Tuple.of(notifications.toArray(new String[0]))));
      }
      int n = rows.size();
      if (n > 0) log.info("expiry sweep: {} task{} expired", n, n == 1 ? "" : "s");
      return n;
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private Task riderTransition(String riderId, String taskId, String eventType, String verb, String from, String to,
      String set, String extraCondition) {
    return inTransaction(conn -> {
      Row row = one(Database.await(conn.preparedQuery("UPDATE tasks t SET status = '" + to + "', " + set
              + ", updated_at = now() WHERE t.id = $1 AND t.status = '" + from + "' AND t.claimed_by = $2"
              + extraCondition + " RETURNING " + Task.COLUMNS)
          .execute(Tuple.of(taskId, riderId))));
      if (row == null) throw whyNot(conn, riderId, taskId, verb, from, !extraCondition.isEmpty());
      event(conn, taskId, eventType, from, to, riderId, new JsonObject());
      Task task = Task.from(row);
      // a released task has no rider any more: the notification names the one who let it go
      notifyStatus(conn, task.id(), task.status(), task.claimedBy() != null ? task.claimedBy() : riderId,
          task.updatedAt());
      log.info("task {} {} by {}", taskId, eventType, riderId);
      return task;
    });
  }

  /** Why a claimer's transition matched no row: 404, 403 (not the claimer) or 409 (state or time window). */
  private static ApiException whyNot(SqlConnection conn, String riderId, String taskId, String verb, String expected,
      boolean windowChecked) {
    Row r = one(Database.await(conn.preparedQuery("SELECT status, claimed_by, window_start, window_end, now() AS now, "
            + "window_start - interval '" + START_EARLY_MINUTES + " minutes' AS earliest FROM tasks WHERE id = $1")
        .execute(Tuple.of(taskId))));
    if (r == null) return noTask(taskId);
    String status = r.getString("status");
    String claimedBy = r.getString("claimed_by");
    if (claimedBy != null && !claimedBy.equals(riderId)) {
      return ApiException.forbidden("task " + taskId + " was claimed by another rider; only its claimer may " + verb + " it");
    }
    if (!status.equals(expected)) {
      String hint = Task.OPEN.equals(status) ? "; claim it first" : "; only a " + expected + " task can be " + pastTense(verb);
      return ApiException.conflict("task is " + status + hint);
    }
    if (windowChecked) {
      Instant now = Task.instant(r, "now");
      if (now.isBefore(Task.instant(r, "earliest"))) {
        return ApiException.conflict("task window has not opened yet: it can be started from "
            + Task.instant(r, "earliest") + " (" + START_EARLY_MINUTES + " minutes before windowStart)");
      }
      return ApiException.conflict("task window has passed (windowEnd " + Task.instant(r, "window_end") + ")");
    }
    return ApiException.conflict("task is " + status);
  }

  private ApiException whyNotClaimed(SqlConnection conn, String riderId, String taskId) {
    Row r = one(Database.await(conn.preparedQuery("SELECT status, claimed_by, window_end > now() AS live, "
            + "(SELECT count(*) FROM tasks a WHERE a.claimed_by = $2 AND a.status IN " + ACTIVE + ") AS active "
            + "FROM tasks WHERE id = $1")
        .execute(Tuple.of(taskId, riderId))));
    if (r == null) return noTask(taskId);
    String status = r.getString("status");
    if (Task.CLAIMED.equals(status) || Task.IN_PROGRESS.equals(status)) {
      return ApiException.conflict(riderId.equals(r.getString("claimed_by"))
          ? "task already claimed by you (it is " + status + ")" : "task already claimed by another rider");
    }
    if (!Task.OPEN.equals(status)) return ApiException.conflict("task is " + status);
    if (!r.getBoolean("live")) return ApiException.conflict("task window has passed");
    long active = r.getLong("active");
    return ApiException.conflict("rider already has " + active + " active task" + (active == 1 ? "" : "s")
        + " (claimed or in progress); at most " + maxActiveTasks + " at a time: finish or release one first");
  }

  private static String pastTense(String verb) {
    return switch (verb) {
      case "release" -> "released";
      case "start" -> "started";
      case "complete" -> "completed";
      default -> verb + "ed";
    };
  }

  private static void event(SqlConnection conn, String taskId, String type, String from, String to, String actorId,
      JsonObject details) {
    Database.await(conn.preparedQuery("INSERT INTO task_events (task_id, type, from_status, to_status, actor_id, details) "
        + "VALUES ($1, $2, $3, $4, $5, $6)").execute(Tuple.tuple(values(taskId, type, from, to, actorId, details))));
  }

  /**
   * Tells listeners (the gateway's live stream) that a task changed status: {@code pg_notify} on
   * {@link #STATUS_CHANNEL} inside the transition's transaction, so Postgres delivers it only if
   * the transaction commits, and in commit order.
   */
  private static void notifyStatus(SqlConnection conn, Task task) {
    notifyStatus(conn, task.id(), task.status(), task.claimedBy(), task.updatedAt());
  }

  private static void notifyStatus(SqlConnection conn, String taskId, String status, String riderId, Instant at) {
    Database.await(conn.preparedQuery("SELECT pg_notify('" + STATUS_CHANNEL + "', $1)")
        .execute(Tuple.of(statusJson(taskId, status, riderId, at))));
  }

  /** {@code {"taskId", "status", "riderId", "at"}}: riderId may be null, at is ISO-8601 UTC (the transaction's time). */
  static String statusJson(String taskId, String status, String riderId, Instant at) {
    return new JsonObject().put("taskId", taskId).put("status", status).put("riderId", riderId)
        .put("at", at == null ? null : at.toString()).encode();
  }

  private static ApiException noTask(String taskId) {
    return ApiException.notFound("no task " + taskId);
  }

  /** Runs {@code work} in one transaction (see {@link Database#inBlockingTransaction}). */
  private <T> T inTransaction(Database.BlockingWork<T> work) {
    return ctx.db().inBlockingTransaction(work);
  }

  /** Adds a bind parameter and returns its placeholder ($n). */
  private static String param(List<Object> params, Object value) {
    params.add(value);
    return "$" + params.size();
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  /** A list that may hold nulls. */
  private static List<Object> values(Object... values) {
    return Arrays.asList(values);
  }

  private static Row one(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? it.next() : null;
  }
}
