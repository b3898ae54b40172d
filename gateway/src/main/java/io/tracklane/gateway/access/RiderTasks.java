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
        public Future<String> taskInProgress(String riderId) {
          return Future.succeededFuture(null);
        }

        @Override
        public void changed(String riderId, String taskId) {}

        @Override
        public void forgetAll() {}
      };

  /** The id of the task claimed by {@code riderId} and in progress, or null. */
  Future<String> taskInProgress(String riderId);

  /** A task changed status: forget what is known about its rider (may be null) and about it. */
  void changed(String riderId, String taskId);

  void forgetAll();
}
