package io.tracklane.gateway.access;

import io.vertx.core.Future;

/** Whether a user's account is active: a deactivated user's still-valid tokens are refused. */
public interface UserStatus {
  /** Every user is active (development task access, where there is no users table). */
  UserStatus ALWAYS_ACTIVE =
      new UserStatus() {
        @Override
        public Future<Boolean> isActive(String userId) {
          return Future.succeededFuture(true);
        }

        @Override
        public void told(String userId, boolean active) {}

        @Override
        public void forgetAll() {}
      };

  /**
   * True if the user exists and is active; a failed lookup fails (the caller answers "retry
   * later").
   */
  Future<Boolean> isActive(String userId);

  /** The back office said the user is now (in)active: later checks answer that without a query. */
  void told(String userId, boolean active);

  /** Forgets every cached answer (e.g. when notifications may have been missed). */
  void forgetAll();
}
