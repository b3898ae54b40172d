package io.tracklane.gateway.access;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@link RiderTasks} from the back office's {@code tasks}: {@code claimed_by = rider AND status =
 * 'in_progress'} (index {@code tasks_claimed_by}), non-blocking, cached per rider for a TTL and
 * dropped at once by a task status notification about the rider or the cached task ({@link
 * #changed}). Callers get their answer on their own Vert.x context.
 */
public final class PgRiderTasks implements RiderTasks {
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  static final String QUERY =
      "SELECT id, started_at FROM tasks WHERE claimed_by = $1 AND status = 'in_progress' "
          + "ORDER BY id LIMIT 1";

  private final AsyncTtlCache<String, InProgress> cache;

  public PgRiderTasks(Pool pool, Duration ttl) {
    this(query(pool), ttl, DEFAULT_MAX_ENTRIES, System::nanoTime);
  }

  PgRiderTasks(
      Function<String, Future<InProgress>> loader,
      Duration ttl,
      int maxEntries,
      LongSupplier nanoClock) {
    this.cache = new AsyncTtlCache<>(loader, ttl, maxEntries, nanoClock);
  }

  static Function<String, Future<InProgress>> query(Pool pool) {
    Objects.requireNonNull(pool);
    return riderId ->
        pool.preparedQuery(QUERY)
            .execute(Tuple.of(riderId))
            .map(
                rows -> {
                  var it = rows.iterator();
                  if (!it.hasNext()) return InProgress.NONE;
                  Row r = it.next();
                  OffsetDateTime started = r.getOffsetDateTime("started_at");
                  return new InProgress(
                      r.getString("id"),
                      started == null ? null : started.toInstant().toEpochMilli());
                });
  }

  @Override
  public Future<InProgress> current(String riderId) {
    return cache.get(riderId);
  }

  @Override
  public void changed(String riderId, String taskId) {
    if (riderId != null) cache.invalidate(riderId);
    // a release may not name the rider: drop whoever had this task cached as in progress
    if (taskId != null) cache.removeIf(p -> taskId.equals(p.taskId()));
  }

  @Override
  public void forgetAll() {
    cache.clear();
  }
}
