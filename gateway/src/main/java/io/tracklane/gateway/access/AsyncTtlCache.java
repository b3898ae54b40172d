package io.tracklane.gateway.access;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Answers of a non-blocking lookup (a Postgres query), each cached for a TTL in an LRU bounded to
 * {@code maxEntries} keys. Concurrent lookups of one key share one load; a failed load is not
 * cached (the next lookup asks again). Callers get their answer on their own Vert.x context,
 * whichever context ran the load. Guarded by its map: uncontended on one event loop, safe on
 * several.
 */
final class AsyncTtlCache<K, V> {

  private static final class Entry<V> {
    final Promise<V> value = Promise.promise();

    /** True while the load runs: the entry is fresh until its answer arrives. */
    boolean pending = true;

    /** Clock nanos at which the answer turns stale (set when it arrives). */
    long expiresAt;

    boolean fresh(long now) {
      return pending || now - expiresAt < 0;
    }
  }

  private final Function<K, Future<V>> loader;
  private final long ttlNanos;
  private final LongSupplier nanoClock;

  /** Access-ordered LRU. */
  private final LinkedHashMap<K, Entry<V>> map;

  AsyncTtlCache(
      Function<K, Future<V>> loader, Duration ttl, int maxEntries, LongSupplier nanoClock) {
    if (ttl.isNegative()) throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    if (maxEntries < 1)
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    this.loader = Objects.requireNonNull(loader);
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /**
   * The cached answer, or a load shared with concurrent callers; completes on the caller's context.
   */
  Future<V> get(K key) {
    Context caller = Vertx.currentContext();
    Future<V> answer = load(key);
    if (caller == null || answer.isComplete()) return answer;
    Promise<V> onCaller = Promise.promise();
    answer.onComplete(
        ar -> {
          if (Vertx.currentContext() == caller) onCaller.handle(ar);
          else caller.runOnContext(v -> onCaller.handle(ar));
        });
    return onCaller.future();
  }

  /**
   * Caches {@code value} as the answer for {@code key} from now on (e.g. when told by a
   * notification).
   */
  void put(K key, V value) {
    Entry<V> e = new Entry<>();
    e.pending = false;
    e.expiresAt = nanoClock.getAsLong() + ttlNanos;
    e.value.complete(value);
    synchronized (map) {
      map.put(key, e);
    }
  }

  /** The cached answer if it is settled and fresh; else null. */
  V settled(K key) {
    synchronized (map) {
      Entry<V> e = map.get(key);
      if (e == null || e.pending || !e.fresh(nanoClock.getAsLong())) return null;
      Future<V> f = e.value.future();
      return f.succeeded() ? f.result() : null;
    }
  }

  void invalidate(K key) {
    synchronized (map) {
      map.remove(key);
    }
  }

  /**
   * Drops every entry whose settled answer matches, and every load still in flight (its answer
   * cannot be tested yet; callers that must not see it check again when it arrives).
   */
  void removeIf(Predicate<V> matches) {
    synchronized (map) {
      map.values()
          .removeIf(
              e ->
                  e.pending
                      || (e.value.future().succeeded() && matches.test(e.value.future().result())));
    }
  }

  void clear() {
    synchronized (map) {
      map.clear();
    }
  }

  /** Keys cached, loads in flight included. */
  int size() {
    synchronized (map) {
      return map.size();
    }
  }

  private Future<V> load(K key) {
    Entry<V> entry;
    synchronized (map) {
      Entry<V> cached = map.get(key);
      if (cached != null && cached.fresh(nanoClock.getAsLong())) return cached.value.future();
      entry = new Entry<>();
      map.put(key, entry);
    }
    Future<V> loaded;
    try {
      loaded = loader.apply(key);
    } catch (RuntimeException e) {
      loaded = Future.failedFuture(e);
    }
    loaded.onComplete(
        ar -> {
          synchronized (map) {
            entry.pending = false;
            entry.expiresAt = nanoClock.getAsLong() + ttlNanos;
            // a failure is not an answer: the next lookup asks again
            if (ar.failed() && map.get(key) == entry) map.remove(key);
          }
          entry.value.handle(ar);
        });
    return entry.value.future();
  }
}
