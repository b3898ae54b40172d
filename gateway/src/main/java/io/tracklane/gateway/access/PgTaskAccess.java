package io.tracklane.gateway.access;

import io.tracklane.gateway.config.PgClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@link TaskAccess} backed by the back office's Postgres {@code tasks} table: a rider may publish
 * fixes for a task only while it is {@code in_progress} and {@code claimed_by} them.
 *
 * <p>Non-blocking (it runs on the gateway's event loop): one {@code SELECT status, claimed_by FROM
 * tasks WHERE id = $1} per task, its answer cached for a short TTL (a rider's phone sends many
 * payloads per task, the back office changes a task rarely). Concurrent checks of a task whose row
 * is being read share that one query. Unknown tasks are cached too (so a flood of bogus ids costs
 * one query each per TTL). A failed query is not cached: its future fails, the gateway answers with
 * a retryable error, and the next check asks the database again. The cache is an LRU bounded to
 * {@code maxEntries} tasks.
 *
 * <p>Callers get their answer on their own Vert.x context, whichever context ran the query.
 */
public final class PgTaskAccess implements TaskAccess {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  static final String QUERY = "SELECT status, claimed_by FROM tasks WHERE id = $1";

  /** What the gateway needs of a task row; {@link #UNKNOWN} when there is none. */
  record TaskRow(String status, String claimedBy) {
    static final TaskRow UNKNOWN = new TaskRow(null, null);
  }

  private final AsyncTtlCache<String, TaskRow> cache;

  /** With the default TTL (5 s) and bound (100,000 tasks). */
  public PgTaskAccess(Pool pool) {
    this(pool, DEFAULT_TTL, DEFAULT_MAX_ENTRIES);
  }

  /** With the default bound (100,000 tasks). */
  public PgTaskAccess(Pool pool, Duration ttl) {
    this(pool, ttl, DEFAULT_MAX_ENTRIES);
  }

  public PgTaskAccess(Pool pool, Duration ttl, int maxEntries) {
    this(query(pool), ttl, maxEntries, System::nanoTime);
  }

  /** For tests: any loader (e.g. one that counts or delays queries) and a controllable clock. */
  PgTaskAccess(
      Function<String, Future<TaskRow>> loader,
      Duration ttl,
      int maxEntries,
      LongSupplier nanoClock) {
    this.cache = new AsyncTtlCache<>(loader, ttl, maxEntries, nanoClock);
  }

  /**
   * A pool for this class from a {@code postgresql://user:pass@host:port/db} URI, over TLS unless
   * the URI says otherwise ({@link PgClientOptions}; prepared statements cached: the one query is
   * prepared once per connection).
   */
  public static Pool pool(Vertx vertx, String uri, int maxSize) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(maxSize))
        .connectingTo(PgClientOptions.of(uri, "", "").setCachePreparedStatements(true))
        .using(vertx)
        .build();
  }

  /** The query against {@code pool}, as a loader. */
  static Function<String, Future<TaskRow>> query(Pool pool) {
    Objects.requireNonNull(pool);
    return taskId ->
        pool.preparedQuery(QUERY)
            .execute(Tuple.of(taskId))
            .map(
                rows -> {
                  var it = rows.iterator();
                  if (!it.hasNext()) return TaskRow.UNKNOWN;
                  Row r = it.next();
                  return new TaskRow(r.getString("status"), r.getString("claimed_by"));
                });
  }

  @Override
  public Future<Decision> check(String riderId, String taskId) {
    return cache.get(taskId).map(row -> decide(row, riderId));
  }

  static Decision decide(TaskRow row, String riderId) {
    if (row == TaskRow.UNKNOWN || row.status() == null) return Decision.UNKNOWN_TASK;
    if (!Objects.equals(row.claimedBy(), riderId)) return Decision.NOT_ASSIGNED_TO_RIDER;
    if (!"in_progress".equals(row.status())) return Decision.NOT_IN_PROGRESS;
    return Decision.ALLOWED;
  }

  /** Forgets what is cached about a task (e.g. when told it changed). */
  @Override
  public void invalidate(String taskId) {
    cache.invalidate(taskId);
  }

  /** Tasks currently cached (including lookups in flight). */
  public int size() {
    return cache.size();
  }
}
