package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.core.StatusChannels;
import io.tracklane.core.progress.TrackReview;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the tasks unit does, for {@link TasksHandler} and {@link TaskExpiryHandler}: each write in
 * one transaction. The work is split by concern: {@link TaskQueries} (reading), {@link TaskClaims}
 * (the claim race), {@link TaskLifecycle} over the {@link TaskTransition} table (every other status
 * change), {@link TaskLedger} (earnings) and {@link TaskRides} (stored rides). Methods block the
 * calling (Lambda or worker) thread; refusals are {@link ApiException}s.
 */
public final class TaskService {
  /** A claimed task may be started this long before its window opens. */
  public static final int START_EARLY_MINUTES = TaskTransition.START_EARLY_MINUTES;

  public static final int MAX_CANCEL_REASON = 500;

  /** Where task status changes are announced (the gateway's live stream listens). */
  public static final String STATUS_CHANNEL = StatusChannels.TASK_STATUS;

  private final BackofficeContext ctx;
  private final int maxActiveTasks;
  private final TaskQueries queries;
  private final TaskLedger ledger;
  private final TaskRides rides;

  public TaskService(BackofficeContext ctx) {
    this.ctx = ctx;
    // every tasks setting is validated here, at init, all bad ones named at once
    this.maxActiveTasks =
        ctx.config().read(TaskSettings.ALL).get(TaskSettings.MAX_ACTIVE_TASKS_PER_RIDER);
    this.queries = new TaskQueries(ctx);
    this.ledger = new TaskLedger(ctx);
    this.rides = new TaskRides(ctx);
  }

  public int maxActiveTasks() {
    return maxActiveTasks;
  }

  // --- reading -------------------------------------------------------------------------------

  /**
   * One task; riders only see open ones (window not passed) and their own, else 404 (not 403: don't
   * reveal).
   */
  public Task get(Caller caller, String taskId) {
    return queries.get(caller, taskId);
  }

  /** A page of tasks, newest first; see {@link TaskQueries#list}. */
  public Page<Task> list(Caller caller, TaskFilter filter) {
    return queries.list(caller, filter);
  }

  /**
   * 404 unless the caller may read the task's track: staff any existing task, a rider only one they
   * claimed.
   */
  public void requireTrackAccess(Caller caller, String taskId) {
    queries.requireTrackAccess(caller, taskId);
  }

  /** The audit trail of a task, oldest first; 404 for an unknown task. */
  public List<TaskEvent> events(String taskId) {
    return queries.events(taskId);
  }

  /**
   * A rider's ledger: totals per currency and a page of entries, newest first. 404 for an unknown
   * user.
   */
  public Earnings earnings(String riderId, int limit, PageCursor.TimeKey after) {
    return ledger.earnings(riderId, limit, after);
  }

  /** The stored ride of a completed or held task, or null (neither, or completed before V3). */
  public JsonObject completion(String taskId) {
    return rides.read(taskId);
  }

  /** The track completeness stored when the task was completed or held, or null. */
  public JsonObject storedCompleteness(String taskId) {
    return rides.readCompleteness(taskId);
  }

  /** Who may complete the task now and along which route (no lock; the transition re-checks). */
  public CompletionTarget completionTarget(Caller caller, String taskId) {
    return queries.completionTarget(caller, taskId);
  }

  // --- writing -------------------------------------------------------------------------------

  /** Creates an open task on a current route (400 naming routeId otherwise); event "created". */
  public Task create(String adminId, NewTask in) {
    return inTransaction(sql -> TaskLifecycle.create(sql, adminId, in));
  }

  /** open → claimed by {@code riderId} ({@link TaskClaims}). */
  public Task claim(String riderId, String taskId) {
    return inTransaction(sql -> TaskClaims.claim(sql, riderId, taskId, maxActiveTasks));
  }

  public Task release(String riderId, String taskId) {
    return inTransaction(sql -> TaskLifecycle.release(sql, riderId, taskId));
  }

  public Task start(String riderId, String taskId) {
    return inTransaction(sql -> TaskLifecycle.start(sql, riderId, taskId));
  }

  public Task complete(
      Caller caller,
      CompletionTarget target,
      TrackReview review,
      RideEvidence evidence,
      TrackCompleteness track,
      String overrideReason) {
    return inTransaction(
        sql ->
            TaskLifecycle.complete(sql, caller, target, review, evidence, track, overrideReason));
  }

  public Task holdForReview(
      Caller caller,
      CompletionTarget target,
      TrackReview review,
      RideEvidence evidence,
      TrackCompleteness track) {
    return inTransaction(
        sql -> TaskLifecycle.holdForReview(sql, caller, target, review, evidence, track));
  }

  public Task approve(String adminId, String taskId, String note) {
    return inTransaction(sql -> TaskLifecycle.approve(sql, adminId, taskId, note));
  }

  public Task reject(String adminId, String taskId, String reason) {
    return inTransaction(sql -> TaskLifecycle.reject(sql, adminId, taskId, reason));
  }

  public Task cancel(String adminId, String taskId, String reason) {
    return inTransaction(sql -> TaskLifecycle.cancel(sql, adminId, taskId, reason));
  }

  /** Every open or claimed task whose window has passed becomes expired; returns how many. */
  public int expireDue() {
    return inTransaction(TaskLifecycle::expireDue);
  }

  /** Runs {@code work} in one transaction (see {@link Database#inTransaction}). */
  private <T> T inTransaction(Database.Work<T> work) {
    return ctx.db().inTransaction(work);
  }
}
