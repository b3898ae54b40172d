package io.tracklane.gateway.access;

import io.vertx.core.Future;

/**
 * The task a rider has in progress, if any: where a phone app's fixes go (its device key names the
 * rider, not a task).
 */
public interface RiderTasks {
  /** Riders have no tasks (development without Postgres): fixes are outside any task. */
  RiderTasks NONE =
      new RiderTasks() {
        @Override
        public Future<InProgress> current(String riderId) {
          return Future.succeededFuture(InProgress.NONE);
        }

        @Override
        public void changed(String riderId, String taskId) {}

        @Override
        public void forgetAll() {}
      };

  /**
   * The rider's task in progress: its id (null: none) and when it started (epoch ms; null if not
   * recorded).
   */
  record InProgress(String taskId, Long startedAtMs) {
    public static final InProgress NONE = new InProgress(null, null);
  }

  /** The task claimed by {@code riderId} and in progress, or {@link InProgress#NONE}. */
  Future<InProgress> current(String riderId);

  /** The id of the task claimed by {@code riderId} and in progress, or null. */
  default Future<String> taskInProgress(String riderId) {
    return current(riderId).map(InProgress::taskId);
  }

  /** A task changed status: forget what is known about its rider (may be null) and about it. */
  void changed(String riderId, String taskId);

  void forgetAll();
}
