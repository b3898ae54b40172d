package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.DbRow;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code rider_devices} table: a rider's phone apps (OwnTracks, Traccar Client), each with a
 * key of 32 random bytes (base64url) that is returned once, at creation, and stored only as its
 * SHA-256 (the refresh-token format, {@link RefreshTokens#newToken}). Revocation sets {@code
 * revoked_at}; the table's trigger announces it to the gateways ({@code tracklane_device_status}).
 */
final class DeviceStore {
  static final int NAME_MAX = 64;

  /** The OwnTracks topic segment: {@code owntracks/{user}/{device}}. */
  static final int TOPIC_DEVICE_MAX = 32;

  private static final String COLUMNS =
      "id, user_id, name, topic_device, created_at, last_seen_at, revoked_at, revoked_by";

  /** A device as the API shows it: never with its key or the key's hash. */
  record Device(
      String id,
      String userId,
      String name,
      String topicDevice,
      Instant createdAt,
      Instant lastSeenAt,
      Instant revokedAt,
      String revokedBy) {
    /** {deviceId, riderId, name, topicDevice, createdAt, lastSeenAt, revokedAt} */
    JsonObject toJson() {
      return new JsonObject()
          .put("deviceId", id)
          .put("riderId", userId)
          .put("name", name)
          .put("topicDevice", topicDevice)
          .put("createdAt", createdAt.toString())
          .put("lastSeenAt", lastSeenAt == null ? null : lastSeenAt.toString())
          .put("revokedAt", revokedAt == null ? null : revokedAt.toString());
    }
  }

  /** A new device and its key (the only time the key exists outside the phone). */
  record Created(Device device, String key) {
    @Override
    public String toString() {
      return "Created[" + device.id() + "]";
    }
  }

  private final Database db;
  private final Clock clock;
  private final int maxPerRider;

  DeviceStore(Database db, Clock clock, int maxPerRider) {
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxPerRider = maxPerRider;
  }

  int maxPerRider() {
    return maxPerRider;
  }

  /**
   * A new device for {@code userId}; 409 when the rider already holds {@link #maxPerRider}
   * unrevoked ones. The rider's row is locked for the count, so two concurrent creations cannot
   * both pass the limit or take the same topic segment.
   */
  Created create(String userId, String name) {
    OffsetDateTime now = UserStore.utc(clock.instant());
    return db.inTransaction(
        sql -> {
          if (sql.one("SELECT id FROM users WHERE id = $1 FOR UPDATE", userId) == null)
            throw ApiException.notFound("your account no longer exists");
          Set<String> taken = new HashSet<>();
          sql.query(
                  "SELECT topic_device FROM rider_devices WHERE user_id = $1 AND revoked_at IS NULL",
                  userId)
              .forEach(r -> taken.add(r.getString("topic_device")));
          if (taken.size() >= maxPerRider) {
            throw new ApiException(
                409,
                "device_limit",
                "you already have "
                    + taken.size()
                    + " devices, the most a rider may have; revoke one you no longer use first",
                List.of());
          }
          String key = RefreshTokens.newToken();
          DbRow row =
              sql.one(
                  "INSERT INTO rider_devices (user_id, name, topic_device, key_hash, created_at) "
                      + "VALUES ($1, $2, $3, $4, $5) RETURNING "
                      + COLUMNS,
                  userId,
                  name,
                  freeTopicDevice(name, taken),
                  RefreshTokens.hash(key),
                  now);
          return new Created(device(row), key);
        });
  }

  /** The rider's unrevoked devices, newest first. */
  List<Device> list(String userId) {
    List<Device> devices = new ArrayList<>();
    db.query(
            "SELECT "
                + COLUMNS
                + " FROM rider_devices WHERE user_id = $1 AND revoked_at IS NULL "
                + "ORDER BY created_at DESC, id",
            userId)
        .forEach(r -> devices.add(device(r)));
    return devices;
  }

  /**
   * Revokes the rider's device (by {@code revokedBy}); empty if the rider has no such device, so
   * another rider's device is indistinguishable from none. Revoking a revoked device changes
   * nothing and succeeds (a retried DELETE).
   */
  Optional<Device> revoke(String userId, String deviceId, String revokedBy) {
    OffsetDateTime now = UserStore.utc(clock.instant());
    return db.inTransaction(
        sql -> {
          DbRow row =
              sql.one(
                  "SELECT "
                      + COLUMNS
                      + " FROM rider_devices WHERE id = $1 AND user_id = $2 FOR UPDATE",
                  deviceId,
                  userId);
          if (row == null) return Optional.empty();
          if (row.getOffsetDateTime("revoked_at") != null) return Optional.of(device(row));
          return Optional.of(
              device(
                  sql.one(
                      "UPDATE rider_devices SET revoked_at = $2, revoked_by = $3 WHERE id = $1 RETURNING "
                          + COLUMNS,
                      deviceId,
                      now,
                      revokedBy)));
        });
  }

  /**
   * The topic segment for a device named {@code name}: its letters and digits in lower case, other
   * runs as '-' (e.g. "Li's Pixel 8" → {@code li-s-pixel-8}; a name with none, e.g. in Chinese, →
   * {@code phone}), then {@code -2}, {@code -3}… until it is not among {@code taken}.
   */
  static String freeTopicDevice(String name, Set<String> taken) {
    String base =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (base.length() > TOPIC_DEVICE_MAX - 4)
      base = base.substring(0, TOPIC_DEVICE_MAX - 4).replaceAll("-+$", "");
    if (base.isEmpty()) base = "phone";
    String candidate = base;
    for (int n = 2; taken.contains(candidate); n++) candidate = base + "-" + n;
    return candidate;
  }

  private static Device device(DbRow r) {
    OffsetDateTime seen = r.getOffsetDateTime("last_seen_at");
    OffsetDateTime revoked = r.getOffsetDateTime("revoked_at");
    return new Device(
        r.getString("id"),
        r.getString("user_id"),
        r.getString("name"),
        r.getString("topic_device"),
        r.getOffsetDateTime("created_at").toInstant(),
        seen == null ? null : seen.toInstant(),
        revoked == null ? null : revoked.toInstant(),
        r.getString("revoked_by"));
  }
}
