package io.tracklane.backoffice.localapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.tracklane.backoffice.common.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AuthorizerCacheTest {
  final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  final AtomicInteger calls = new AtomicInteger();

  Future<IamPolicyResponse> load() {
    calls.incrementAndGet();
    return Future.succeededFuture(
        IamPolicyResponse.builder().withPrincipalId("p" + calls.get()).build());
  }

  @Test
  void cachesPerIdentityForTheTtl() {
    AuthorizerCache cache = new AuthorizerCache(clock, Duration.ofSeconds(300));
    assertEquals("p1", cache.get("a", this::load).result().getPrincipalId());
    assertEquals("p1", cache.get("a", this::load).result().getPrincipalId());
    assertEquals("p2", cache.get("b", this::load).result().getPrincipalId());
    clock.advance(Duration.ofSeconds(300));
    assertEquals("p3", cache.get("a", this::load).result().getPrincipalId());
    assertEquals(3, calls.get());
  }

  @Test
  void concurrentCallsShareOneInvocationAndFailuresAreNotCached() {
    AuthorizerCache cache = new AuthorizerCache(clock, Duration.ofSeconds(300));
    Promise<IamPolicyResponse> pending = Promise.promise();
    Future<IamPolicyResponse> first =
        cache.get(
            "a",
            () -> {
              calls.incrementAndGet();
              return pending.future();
            });
    assertSame(first, cache.get("a", this::load));
    assertEquals(1, calls.get());
    pending.fail(new RuntimeException("Unauthorized"));
    assertEquals(0, cache.size());
    assertEquals("p2", cache.get("a", this::load).result().getPrincipalId());
  }

  @Test
  void aZeroTtlDisablesCaching() {
    AuthorizerCache cache = new AuthorizerCache(clock, Duration.ZERO);
    cache.get("a", this::load);
    cache.get("a", this::load);
    assertEquals(2, calls.get());
  }
}
