package io.tracklane.gateway.it;

import static io.tracklane.gateway.offers.BackOfficeDb.await;

import io.tracklane.core.StatusChannels;
import io.tracklane.gateway.access.DeviceKeys;
import io.tracklane.gateway.offers.BackOfficeDb;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * What the back office does for phone apps, in a real back-office database: a device key created as
 * the devices API creates one (32 random bytes base64url, stored as its SHA-256), revoked by SQL,
 * and task transitions with their {@code tracklane_task_status} notification in the same
 * transaction.
 */
final class PhoneAppsBackOffice {
  private static final SecureRandom RANDOM = new SecureRandom();

  private PhoneAppsBackOffice() {}

  static String newKey() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A device of {@code userId}; returns its key (only its hash is stored). */
  static String addDevice(BackOfficeDb db, String userId, String topicDevice) {
    String key = newKey();
    await(
        db.pool
            .preparedQuery(
                "INSERT INTO rider_devices (user_id, name, topic_device, key_hash) VALUES ($1, $2, $3, $4)")
            .execute(Tuple.of(userId, "phone " + topicDevice, topicDevice, DeviceKeys.hash(key))));
    return key;
  }

  static void revoke(BackOfficeDb db, String key) {
    await(
        db.pool
            .preparedQuery("UPDATE rider_devices SET revoked_at = now() WHERE key_hash = $1")
            .execute(Tuple.of(DeviceKeys.hash(key))));
  }

  /** An open task of a new route, claimed by {@code riderId}. */
  static String claimedTask(BackOfficeDb db, String riderId) {
    String route = db.route("r-" + riderId, 31.23, 121.47, 2000);
    String task = db.createTask(route, "task of " + riderId, "5.00", "CNY", 120);
    if (!db.claim(task, riderId)) throw new IllegalStateException("claim failed");
    return task;
  }

  static void start(BackOfficeDb db, String taskId, String riderId) {
    transition(db, taskId, riderId, "status = 'in_progress', started_at = now()", "in_progress");
  }

  static void complete(BackOfficeDb db, String taskId, String riderId) {
    transition(db, taskId, riderId, "status = 'completed', completed_at = now()", "completed");
  }

  /** The UPDATE and its status notification in one transaction, as the tasks API does. */
  static void transition(
      BackOfficeDb db, String taskId, String riderId, String set, String status) {
    String note =
        new JsonObject()
            .put("taskId", taskId)
            .put("status", status)
            .put("riderId", riderId)
            .put("at", Instant.now().toString())
            .encode();
    await(
        db.pool.withTransaction(
            c ->
                c.preparedQuery("UPDATE tasks SET " + set + ", updated_at = now() WHERE id = $1")
                    .execute(Tuple.of(taskId))
                    .compose(
                        r ->
                            c.preparedQuery(
                                    "SELECT pg_notify('" + StatusChannels.TASK_STATUS + "', $1)")
                                .execute(Tuple.of(note)))));
  }
}
