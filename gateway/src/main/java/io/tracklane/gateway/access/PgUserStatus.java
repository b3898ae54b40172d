package io.tracklane.gateway.access;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@link UserStatus} from the back office's Postgres {@code users} table: {@code SELECT active FROM
 * users WHERE id = $1}, non-blocking, each answer cached for a TTL (a rider connects and posts far
 * more often than an admin deactivates them). A user without a row is not active. Concurrent checks
 * of one user share one query; a failed query is not cached. A notification ({@link #told}) replaces
 * the cached answer at once, also for checks whose query is still running: they answer what they
 * were told, so a deactivation that races a CONNECT cannot let the CONNECT through. The cache is an
 * LRU bounded to {@code maxEntries} users.
 *
 * <p>Callers get their answer on their own Vert.x context.
 */
public final class PgUserStatus implements UserStatus {
  public static final int DEFAULT_MAX_ENTRIES = 100_000;
  static final String QUERY = "SELECT active FROM users WHERE id = $1";

  private static final class Entry {
    final Promise<Boolean> active = Promise.promise();
    boolean pending = true;
    long expiresAt;

    boolean fresh(long now) {
      return pending || now - expiresAt < 0;
    }
  }

  private final Function<String, Future<Boolean>> loader;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  /** Access-ordered LRU, guarded by itself. */
  private final LinkedHashMap<String, Entry> cache;

  public PgUserStatus(Pool pool, Duration ttl) {
    this(query(pool), ttl, DEFAULT_MAX_ENTRIES, System::nanoTime);
  }

  PgUserStatus(Function<String, Future<Boolean>> loader, Duration ttl, int maxEntries, LongSupplier nanoClock) {
    if (ttl.isNegative()) throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    this.loader = Objects.requireNonNull(loader);
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  static Function<String, Future<Boolean>> query(Pool pool) {
    Objects.requireNonNull(pool);
    return userId -> pool.preparedQuery(QUERY).execute(Tuple.of(userId)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() && Boolean.TRUE.equals(it.next().getBoolean("active"));
    });
  }

  @Override
  public Future<Boolean> isActive(String userId) {
    Context caller = Vertx.currentContext();
    Promise<Boolean> answer = Promise.promise();
    entry(userId).active.future().onComplete(ar -> {
      Runnable reply = () -> {
        // told since the query began? that is the newer answer
        Boolean told = toldAnswer(userId);
        if (told != null) answer.complete(told); else answer.handle(ar);
      };
      if (caller == null || Vertx.currentContext() == caller) reply.run(); else caller.runOnContext(v -> reply.run());
    });
    return answer.future();
  }

  @Override
  public void told(String userId, boolean active) {
    Entry e = new Entry();
    e.pending = false;
    e.expiresAt = nanoClock.getAsLong() + ttlNanos;
    e.active.complete(active);
    synchronized (cache) {
      cache.put(userId, e);
    }
  }

  @Override
  public void forgetAll() {
    synchronized (cache) {
      cache.clear();
    }
  }

  /** The cached answer if it is a settled, fresh one; else null. */
  private Boolean toldAnswer(String userId) {
    synchronized (cache) {
      Entry e = cache.get(userId);
      if (e == null || e.pending || !e.fresh(nanoClock.getAsLong())) return null;
      Future<Boolean> f = e.active.future();
      return f.succeeded() ? f.result() : null;
    }
  }

  private Entry entry(String userId) {
    Entry entry;
    synchronized (cache) {
      Entry cached = cache.get(userId);
      if (cached != null && cached.fresh(nanoClock.getAsLong())) return cached;
      entry = new Entry();
      cache.put(userId, entry);
    }
    Future<Boolean> query;
    try {
      query = loader.apply(userId);
    } catch (RuntimeException e) {
      query = Future.failedFuture(e);
    }
    query.onComplete(ar -> {
      synchronized (cache) {
        entry.pending = false;
        entry.expiresAt = nanoClock.getAsLong() + ttlNanos;
        if (ar.failed() && cache.get(userId) == entry) cache.remove(userId);
      }
      entry.active.handle(ar);
    });
    return entry;
  }
}
