package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskSql.utc;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.SqlSession;
import io.tracklane.core.progress.TrackReview;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's life after the claim: each method is one row of {@link TaskTransition} plus what goes
 * with it (the bonus, the stored ride, the event's details), inside the caller's transaction. Time
 * checks use the database clock ({@code now()}, the transaction's start). A cancelled or expired
 * task keeps {@code claimed_by} as a record of who had it.
 */
final class TaskLifecycle {
  private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);

  private TaskLifecycle() {}

  /** Creates an open task on a current route (400 naming routeId otherwise); event "created". */
  static Task create(SqlSession sql, String adminId, NewTask in) {
    // FOR SHARE: a concurrent edit or delete of the route waits for this task to exist (and then
    // sees it).
    DbRow route =
        sql.one(
            "SELECT id, superseded_by, deleted_at FROM routes WHERE id = $1 FOR SHARE",
            in.routeId());
    String problem = null;
    if (route == null) {
      problem = "no route with this id";
    } else if (route.getValue("deleted_at") != null) {
      problem = "the route was deleted";
    } else if (route.getString("superseded_by") != null) {
      problem =
          "the route was superseded by "
              + route.getString("superseded_by")
              + "; use the current version";
    }
    if (problem != null) {
      throw ApiException.badRequest(
          "routeId: " + problem, List.of(new FieldError("routeId", problem)));
    }
    DbRow row =
        sql.one(
            "INSERT INTO tasks AS t (route_id, title, description, "
                + "bonus_amount, bonus_currency, window_start, window_end, created_by) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "
                + Task.COLUMNS,
            in.routeId(),
            in.title(),
            in.description(),
            in.bonusAmount(),
            in.bonusCurrency(),
            utc(in.windowStart()),
            utc(in.windowEnd()),
            adminId);
    Task task = Task.from(row);
    TaskTransitions.event(sql, task.id(), "created", null, Task.OPEN, adminId, new JsonObject());
    log.info("task {} created by {} on route {}", task.id(), adminId, in.routeId());
    return task;
  }

  /** claimed → open, by the claimer, before it was started. */
  static Task release(SqlSession sql, String riderId, String taskId) {
    return byClaimer(sql, TaskTransition.RELEASE, riderId, taskId);
  }

  /**
   * claimed → in_progress, by the claimer, from 15 minutes before window_start until window_end.
   */
  static Task start(SqlSession sql, String riderId, String taskId) {
    return byClaimer(sql, TaskTransition.START, riderId, taskId);
  }

  private static Task byClaimer(SqlSession sql, TaskTransition tr, String riderId, String taskId) {
    TaskTransitions.Moved moved = TaskTransitions.move(sql, tr, taskId, riderId, null, 0);
    if (moved == null) throw TaskTransitions.refusal(sql, tr, taskId, riderId);
    TaskTransitions.record(sql, tr, moved, riderId, new JsonObject(), riderId);
    log.info("task {} {} by {}", taskId, tr.event, riderId);
    return moved.task();
  }

  /**
   * in_progress → completed: credits the bonus to the rider's ledger (at most once per task) and
   * stores the ride's {@link TrackReview} for reports. The caller is the claimer, or an admin; a
   * ride that did not arrive needs an admin's {@code overrideReason} (the handler enforces it, the
   * table's CHECK makes sure). {@code evidence} goes into the audit event.
   */
  static Task complete(
      SqlSession sql,
      Caller caller,
      CompletionTarget target,
      TrackReview review,
      RideEvidence evidence,
      TrackCompleteness track,
      String overrideReason) {
    String riderId = target.riderId();
    TaskTransitions.Moved moved = moveForRider(sql, TaskTransition.COMPLETE, caller, target);
    Task task = moved.task();
    String taskId = task.id();
    boolean credited = TaskLedger.creditBonus(sql, task);
    TaskRides.store(
        sql,
        task,
        target.routeId(),
        review,
        overrideReason,
        overrideReason == null ? null : caller.userId(),
        track);
    JsonObject details =
        new JsonObject()
            .put("bonusAmount", task.bonusAmount().toPlainString())
            .put("bonusCurrency", task.bonusCurrency())
            .put("credited", credited)
            .put("arrived", review.arrived())
            .put("distanceM", review.toJson().getDouble("distanceM"))
            .put("rideCheck", evidence.toJson());
    if (overrideReason != null)
      details.put("overrideReason", overrideReason).put("shortfalls", review.shortfalls());
    TaskTransitions.record(sql, TaskTransition.COMPLETE, moved, caller.userId(), details, riderId);
    log.info(
        "task {} completed by {} for {}; {} m ridden{}; bonus {} {} {}",
        taskId,
        caller.userId(),
        riderId,
        Math.round(review.distanceM()),
        overrideReason == null ? "" : "; arrival check overridden",
        task.bonusAmount(),
        task.bonusCurrency(),
        credited ? "credited" : "was already credited");
    return task;
  }

  /**
   * in_progress → needs_review: the ride arrived but was uploaded in a burst ({@link
   * RideEvidence}), so no bonus yet. The ride is stored (the admin reviews it; completed_at is when
   * the rider asked) and a "held_for_review" event says why. An admin then approves or rejects it.
   */
  static Task holdForReview(
      SqlSession sql,
      Caller caller,
      CompletionTarget target,
      TrackReview review,
      RideEvidence evidence,
      TrackCompleteness track) {
    TaskTransitions.Moved moved = moveForRider(sql, TaskTransition.HOLD_FOR_REVIEW, caller, target);
    Task task = moved.task();
    TaskRides.store(sql, task, target.routeId(), review, null, null, track);
    JsonObject details =
        new JsonObject()
            .put("reasons", new JsonArray(new ArrayList<>(evidence.reasons())))
            .put("bonusAmount", task.bonusAmount().toPlainString())
            .put("bonusCurrency", task.bonusCurrency())
            .put("credited", false)
            .put("arrived", review.arrived())
            .put("distanceM", review.toJson().getDouble("distanceM"))
            .put("rideCheck", evidence.toJson());
    TaskTransitions.record(
        sql, TaskTransition.HOLD_FOR_REVIEW, moved, caller.userId(), details, target.riderId());
    log.info(
        "task {} completion by {} held for review: {}",
        task.id(),
        caller.userId(),
        String.join("; ", evidence.reasons()));
    return task;
  }

  /**
   * A completion moves the claimer's task; an admin completing it is explained to as the claimer.
   */
  private static TaskTransitions.Moved moveForRider(
      SqlSession sql, TaskTransition tr, Caller caller, CompletionTarget target) {
    TaskTransitions.Moved moved =
        TaskTransitions.move(sql, tr, target.taskId(), target.riderId(), null, 0);
    if (moved == null) {
      throw TaskTransitions.refusal(
          sql, tr, target.taskId(), caller.isAdmin() ? target.riderId() : caller.userId());
    }
    return moved;
  }

  /**
   * needs_review → completed, by an admin: the bonus is credited (once); {@code note} is optional.
   */
  static Task approve(SqlSession sql, String adminId, String taskId, String note) {
    TaskTransitions.Moved moved = byAdmin(sql, TaskTransition.APPROVE, adminId, taskId, null);
    Task task = moved.task();
    boolean credited = TaskLedger.creditBonus(sql, task);
    JsonObject details =
        new JsonObject()
            .put("bonusAmount", task.bonusAmount().toPlainString())
            .put("bonusCurrency", task.bonusCurrency())
            .put("credited", credited)
            .put("note", note);
    TaskTransitions.record(sql, TaskTransition.APPROVE, moved, adminId, details, null);
    log.info(
        "task {} held completion approved by {}; bonus {} {} {}",
        taskId,
        adminId,
        task.bonusAmount(),
        task.bonusCurrency(),
        credited ? "credited" : "was already credited");
    return task;
  }

  /**
   * needs_review → cancelled, by an admin, with a reason (the task's cancelReason): no bonus. The
   * stored ride is dropped (reports count completed rides only); the held_for_review event keeps
   * its figures.
   */
  static Task reject(SqlSession sql, String adminId, String taskId, String reason) {
    TaskTransitions.Moved moved = byAdmin(sql, TaskTransition.REJECT, adminId, taskId, reason);
    TaskRides.delete(sql, taskId);
    TaskTransitions.record(
        sql, TaskTransition.REJECT, moved, adminId, new JsonObject().put("reason", reason), null);
    log.info("task {} held completion rejected by {}", taskId, adminId);
    return moved.task();
  }

  /** open, claimed or in_progress → cancelled, by an admin, with a reason (stored verbatim). */
  static Task cancel(SqlSession sql, String adminId, String taskId, String reason) {
    TaskTransitions.Moved moved = byAdmin(sql, TaskTransition.CANCEL, adminId, taskId, reason);
    TaskTransitions.record(
        sql, TaskTransition.CANCEL, moved, adminId, new JsonObject().put("reason", reason), null);
    log.info("task {} cancelled by {} (was {})", taskId, adminId, moved.from());
    return moved.task();
  }

  private static TaskTransitions.Moved byAdmin(
      SqlSession sql, TaskTransition tr, String adminId, String taskId, String reason) {
    TaskTransitions.Moved moved = TaskTransitions.move(sql, tr, taskId, null, reason, 0);
    if (moved == null) throw TaskTransitions.refusal(sql, tr, taskId, adminId);
    return moved;
  }

  /** The expiry sweep ({@link TaskTransitions#expireDue}); returns how many expired. */
  static int expireDue(SqlSession sql) {
    int n = TaskTransitions.expireDue(sql);
    if (n > 0) log.info("expiry sweep: {} task{} expired", n, n == 1 ? "" : "s");
    return n;
  }
}
