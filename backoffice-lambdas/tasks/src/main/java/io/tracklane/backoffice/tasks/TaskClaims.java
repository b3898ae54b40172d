package io.tracklane.backoffice.tasks;

import static io.tracklane.backoffice.tasks.TaskSql.noTask;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.SqlSession;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim race: open → claimed by one rider. {@link TaskTransition#CLAIM} is one conditional
 * UPDATE, so of any number of concurrent claims exactly one matches (the others wait on the task's
 * row lock, then see it claimed and match nothing). The rider's active-task limit is part of the
 * same UPDATE; the rider's user row is locked first so two claims by one rider cannot both pass it.
 */
final class TaskClaims {
  private static final Logger log = LoggerFactory.getLogger(TaskClaims.class);

  private TaskClaims() {}

  static Task claim(SqlSession sql, String riderId, String taskId, int maxActiveTasks) {
    if (sql.one("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE", riderId) == null) {
      throw ApiException.forbidden("unknown rider account " + riderId);
    }
    TaskTransitions.Moved moved =
        TaskTransitions.move(sql, TaskTransition.CLAIM, taskId, riderId, null, maxActiveTasks);
    if (moved == null) throw whyNotClaimed(sql, riderId, taskId, maxActiveTasks);
    TaskTransitions.record(sql, TaskTransition.CLAIM, moved, riderId, new JsonObject(), riderId);
    log.info("task {} claimed by {}", taskId, riderId);
    return moved.task();
  }

  private static ApiException whyNotClaimed(
      SqlSession sql, String riderId, String taskId, int maxActiveTasks) {
    DbRow r =
        sql.one(
            "SELECT status, claimed_by, window_end > now() AS live, "
                + "(SELECT count(*) FROM tasks a WHERE a.claimed_by = $2 AND a.status IN ('claimed', 'in_progress')) "
                + "AS active FROM tasks WHERE id = $1",
            taskId,
            riderId);
    if (r == null) return noTask(taskId);
    String status = r.getString("status");
    if (Task.CLAIMED.equals(status) || Task.IN_PROGRESS.equals(status)) {
      return ApiException.conflict(
          riderId.equals(r.getString("claimed_by"))
              ? "task already claimed by you (it is " + status + ")"
              : "task already claimed by another rider");
    }
    if (!Task.OPEN.equals(status)) return ApiException.conflict("task is " + status);
    if (!r.getBoolean("live")) return ApiException.conflict("task window has passed");
    long active = r.getLong("active");
    return ApiException.conflict(
        "rider already has "
            + active
            + " active task"
            + (active == 1 ? "" : "s")
            + " (claimed or in progress); at most "
            + maxActiveTasks
            + " at a time: finish or release one first");
  }
}
