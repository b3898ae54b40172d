package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * API Gateway's authorizer result cache: one policy per identity source value (the {@code
 * Authorization} header) for the TTL ({@code authorizerResultTtlInSeconds}), evaluated again
 * against every request's methodArn. Concurrent requests with the same token share one authorizer
 * call; failures (401, errors) are not cached. A TTL of zero disables caching.
 */
public final class AuthorizerCache {
  private static final int PRUNE_ABOVE = 10_000;

  private record Entry(Future<IamPolicyResponse> result, Instant expires) {}

  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public AuthorizerCache(Clock clock, Duration ttl) {
    if (ttl.isNegative()) throw new IllegalArgumentException("ttl must be >= 0");
    this.clock = clock;
    this.ttl = ttl;
  }

  public Future<IamPolicyResponse> get(
      String identity, Supplier<Future<IamPolicyResponse>> authorizer) {
    if (ttl.isZero()) return authorizer.get();
    Instant now = clock.instant();
    Entry cached = entries.get(identity);
    if (cached != null && now.isBefore(cached.expires())) return cached.result();
    if (entries.size() > PRUNE_ABOVE) entries.values().removeIf(e -> !now.isBefore(e.expires()));
    Entry entry = new Entry(authorizer.get(), now.plus(ttl));
    entries.put(identity, entry);
    entry.result().onFailure(err -> entries.remove(identity, entry));
    return entry.result();
  }

  public int size() {
    return entries.size();
  }

  public void clear() {
    entries.clear();
  }
}
