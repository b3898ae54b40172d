package io.tracklane.gateway.auth;

import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.TokenVerifier;
import io.tracklane.core.auth.VerifiedToken;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies tokens with the back office's current public keys, so a signing key can rotate without a
 * gateway restart. The JWKS is read again every {@code refreshMs}, and at once when a token names a
 * key id ({@code kid}) not in hand — but at most once per {@code unknownKidMinIntervalMs} since the
 * last read began, so a flood of tokens with made-up key ids costs one fetch. Reads are
 * non-blocking and bounded by the source's timeout; concurrent callers share one read in flight. A
 * failed read keeps the keys in hand (logged), so a back-office outage does not lock riders out.
 *
 * <p>Runs on the gateway's event loop; the fields are volatile only so diagnostics may read them
 * from elsewhere.
 */
public final class JwksVerifier {
  private static final Logger log = LoggerFactory.getLogger(JwksVerifier.class);

  private final Vertx vertx;
  private final Supplier<Future<JsonObject>> source;
  private final String issuer;
  private final String audience;
  private final long unknownKidMinIntervalMs;
  private final GatewayMetrics metrics;
  private volatile TokenVerifier current;
  private volatile long lastReadStartedAt;
  private Future<TokenVerifier> reading;
  private long refreshTimer = -1;

  private JwksVerifier(
      Vertx vertx,
      Supplier<Future<JsonObject>> source,
      String issuer,
      String audience,
      long unknownKidMinIntervalMs,
      GatewayMetrics metrics) {
    this.vertx = vertx;
    this.source = source;
    this.issuer = issuer;
    this.audience = audience;
    this.unknownKidMinIntervalMs = unknownKidMinIntervalMs;
    this.metrics = metrics;
  }

  /**
   * Reads the keys once (the future fails if that read fails: the gateway cannot start without
   * keys), then every {@code refreshMs} on {@code context} (the gateway's, where tokens are
   * verified).
   */
  public static Future<JwksVerifier> start(
      Context context,
      Supplier<Future<JsonObject>> source,
      String issuer,
      String audience,
      long refreshMs,
      long unknownKidMinIntervalMs,
      GatewayMetrics metrics) {
    Vertx vertx = context.owner();
    JwksVerifier v =
        new JwksVerifier(vertx, source, issuer, audience, unknownKidMinIntervalMs, metrics);
    return v.read("start")
        .map(
            first -> {
              v.refreshTimer =
                  vertx.setPeriodic(
                      refreshMs, refreshMs, id -> context.runOnContext(x -> v.read("scheduled")));
              return v;
            });
  }

  public void close() {
    if (refreshTimer >= 0) vertx.cancelTimer(refreshTimer);
  }

  /** Fails with {@link TokenRejected} naming why; never echoes the token. */
  public Future<VerifiedToken> verifyToken(String token) {
    String kid = TokenVerifier.keyIdOf(token);
    TokenVerifier keys = current;
    if (kid == null || keys.keyIds().contains(kid)) return verifyWith(keys, token);
    return keysFor(kid)
        .compose(
            fresh ->
                fresh.keyIds().contains(kid)
                    ? verifyWith(fresh, token)
                    : Future.failedFuture(
                        new TokenRejected(
                            "invalid token: signed with a key the gateway does not know")));
  }

  /**
   * Verification is CPU-only (one signature check, well under a millisecond), so it runs here on
   * the caller's thread, the event loop included: a hop to a worker would cost more than it saves.
   */
  private static Future<VerifiedToken> verifyWith(TokenVerifier keys, String token) {
    try {
      return Future.succeededFuture(keys.verifyToken(token));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  public Future<Principal> verify(String token) {
    return verifyToken(token).map(VerifiedToken::principal);
  }

  /**
   * The keys after a read for an unknown {@code kid}: a read in flight, a new one, or the keys in
   * hand.
   */
  private Future<TokenVerifier> keysFor(String kid) {
    if (reading != null) return reading.recover(err -> Future.succeededFuture(current));
    if (System.currentTimeMillis() - lastReadStartedAt < unknownKidMinIntervalMs) {
      return Future.succeededFuture(current);
    }
    return read("unknown_kid").recover(err -> Future.succeededFuture(current));
  }

  private Future<TokenVerifier> read(String why) {
    if (reading != null) return reading;
    lastReadStartedAt = System.currentTimeMillis();
    Future<TokenVerifier> r;
    try {
      r = source.get().map(jwks -> TokenVerifier.fromJwks(jwks, issuer, audience));
    } catch (RuntimeException e) {
      r = Future.failedFuture(e);
    }
    reading = r;
    return r.andThen(
        ar -> {
          reading = null;
          metrics.jwksRead(why, ar.succeeded());
          if (ar.succeeded()) {
            TokenVerifier before = current;
            current = ar.result();
            if (before != null && !before.keyIds().equals(current.keyIds())) {
              log.info("JWKS keys changed ({}): now {}", why, current.keyIds());
            }
          } else if (current != null) {
            log.warn(
                "JWKS read ({}) failed, keeping the keys in hand: {}", why, ar.cause().toString());
          }
        });
  }
}
