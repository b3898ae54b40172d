package io.tracklane.gateway.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@link DeviceKeys} from the back office's {@code rider_devices}: one non-blocking query per key
 * hash, its answer cached for a TTL (a phone reports every few seconds; a key is revoked rarely).
 * The cache is keyed by the hash, so no key is kept in it. A revocation notification ({@link
 * #told}) drops the device's cached answer at once, and a lookup whose query was already running
 * when it came answers "unknown" too, so a revocation cannot be lost in a race; the TTL only bounds
 * staleness when a notification itself is lost. Unknown keys are cached too (a flood of bogus keys
 * costs one query per key per TTL). Callers get their answer on their own Vert.x context.
 */
public final class PgDeviceKeys implements DeviceKeys {
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  static final String QUERY =
      "SELECT id, user_id, topic_device FROM rider_devices WHERE key_hash = $1 AND revoked_at IS NULL";

  /** A cached answer: the device, or none. */
  record Found(Device device) {
    static final Found NONE = new Found(null);
  }

  private final AsyncTtlCache<String, Found> cache;

  /** Devices revoked by notification (bounded; revocations are rare). */
  private final Set<String> revoked = new LinkedHashSet<>();

  public PgDeviceKeys(Pool pool, Duration ttl) {
    this(query(pool), ttl, DEFAULT_MAX_ENTRIES, System::nanoTime);
  }

  PgDeviceKeys(
      Function<String, Future<Found>> loader,
      Duration ttl,
      int maxEntries,
      LongSupplier nanoClock) {
    this.cache = new AsyncTtlCache<>(loader, ttl, maxEntries, nanoClock);
  }

  static Function<String, Future<Found>> query(Pool pool) {
    Objects.requireNonNull(pool);
    return hash ->
        pool.preparedQuery(QUERY)
            .execute(Tuple.of(hash))
            .map(
                rows -> {
                  var it = rows.iterator();
                  if (!it.hasNext()) return Found.NONE;
                  Row r = it.next();
                  return new Found(
                      new Device(
                          r.getString("id"), r.getString("user_id"), r.getString("topic_device")));
                });
  }

  @Override
  public Future<Device> lookup(String key) {
    return cache
        .get(DeviceKeys.hash(key))
        .map(
            found -> {
              Device d = found.device();
              if (d == null) return null;
              synchronized (revoked) {
                return revoked.contains(d.deviceId()) ? null : d;
              }
            });
  }

  @Override
  public void told(String deviceId, boolean isRevoked) {
    synchronized (revoked) {
      if (isRevoked) {
        revoked.add(deviceId);
        if (revoked.size() > DEFAULT_MAX_ENTRIES) revoked.remove(revoked.iterator().next());
      } else {
        revoked.remove(deviceId);
      }
    }
    cache.removeIf(f -> f.device() != null && f.device().deviceId().equals(deviceId));
  }

  @Override
  public void forgetAll() {
    cache.clear();
  }
}
