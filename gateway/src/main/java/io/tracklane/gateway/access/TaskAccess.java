package io.tracklane.gateway.access;

import io.vertx.core.Future;

/**
 * Decides whether a rider may publish fixes for a task: only for a task claimed by them and in
 * progress. The back office backs this with Postgres; {@link StaticTaskAccess} serves development.
 */
public interface TaskAccess {

  enum Decision {
    ALLOWED,
    UNKNOWN_TASK,
    NOT_ASSIGNED_TO_RIDER,
    NOT_IN_PROGRESS
  }

  Future<Decision> check(String riderId, String taskId);

  /**
   * Forgets what is known about {@code taskId}, so the next check asks again: called when the
   * task's status changes. Nothing to forget for an implementation that does not cache.
   */
  default void invalidate(String taskId) {}
}
