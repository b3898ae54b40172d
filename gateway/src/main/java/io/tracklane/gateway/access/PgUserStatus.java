package io.tracklane.gateway.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@link UserStatus} from the back office's Postgres {@code users} table: {@code SELECT active FROM
 * users WHERE id = $1}, non-blocking, each answer cached for a TTL (a rider connects and posts far
 * more often than an admin deactivates them). A user without a row is not active. Concurrent checks
 * of one user share one query; a failed query is not cached. A notification ({@link #told})
 * replaces the cached answer at once, also for checks whose query is still running: they answer
 * what they were told, so a deactivation that races a CONNECT cannot let the CONNECT through. The
 * cache is an LRU bounded to {@code maxEntries} users.
 *
 * <p>Callers get their answer on their own Vert.x context.
 */
public final class PgUserStatus implements UserStatus {
  public static final int DEFAULT_MAX_ENTRIES = 100_000;
  static final String QUERY = "SELECT active FROM users WHERE id = $1";

  private final AsyncTtlCache<String, Boolean> cache;

  public PgUserStatus(Pool pool, Duration ttl) {
    this(query(pool), ttl, DEFAULT_MAX_ENTRIES, System::nanoTime);
  }

  PgUserStatus(
      Function<String, Future<Boolean>> loader,
      Duration ttl,
      int maxEntries,
      LongSupplier nanoClock) {
    this.cache = new AsyncTtlCache<>(loader, ttl, maxEntries, nanoClock);
  }

  static Function<String, Future<Boolean>> query(Pool pool) {
    Objects.requireNonNull(pool);
    return userId ->
        pool.preparedQuery(QUERY)
            .execute(Tuple.of(userId))
            .map(
                rows -> {
                  var it = rows.iterator();
                  return it.hasNext() && Boolean.TRUE.equals(it.next().getBoolean("active"));
                });
  }

  @Override
  public Future<Boolean> isActive(String userId) {
    return cache
        .get(userId)
        .transform(
            ar -> {
              // told since the query began? that is the newer answer
              Boolean told = cache.settled(userId);
              if (told != null) return Future.succeededFuture(told);
              return ar.succeeded()
                  ? Future.succeededFuture(ar.result())
                  : Future.failedFuture(ar.cause());
            });
  }

  @Override
  public void told(String userId, boolean active) {
    cache.put(userId, active);
  }

  @Override
  public void forgetAll() {
    cache.clear();
  }
}
