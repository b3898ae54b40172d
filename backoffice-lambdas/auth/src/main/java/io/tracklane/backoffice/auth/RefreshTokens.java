package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opaque refresh tokens: 32 random bytes (base64url), stored only as their SHA-256 (hex), valid for
 * {@code TRACKLANE_REFRESH_TOKEN_TTL_SECONDS}. Each use rotates: the presented token is revoked and
 * a new one issued, in one transaction with the token row locked. Presenting a token that was
 * already revoked means it was copied (theft, or a replay): every refresh token of that user is
 * revoked, so the thief and the victim must both log in again.
 */
final class RefreshTokens {
  private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  enum Outcome {
    ROTATED,
    UNKNOWN,
    EXPIRED,
    REUSED,
    INACTIVE
  }

  /** What a refresh attempt came to; {@code user} and {@code newToken} only when rotated. */
  record Rotation(Outcome outcome, UserStore.User user, String newToken) {}

  private final Database db;
  private final Clock clock;
  private final long ttlSeconds;

  RefreshTokens(Database db, Clock clock, long ttlSeconds) {
    if (ttlSeconds <= 0)
      throw new IllegalStateException("the refresh token lifetime must be positive");
    this.db = db;
    this.clock = clock;
    this.ttlSeconds = ttlSeconds;
  }

  /** A new refresh token for the user (and the user's long-expired tokens are dropped). */
  String issue(String userId) {
    return Database.await(issue(db.pool(), userId, clock.instant()));
  }

  private Future<String> issue(SqlClient client, String userId, Instant now) {
    String token = newToken();
    return client
        .preparedQuery("DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at < $2")
        .execute(Tuple.of(userId, UserStore.utc(now)))
        .compose(
            r ->
                client
                    .preparedQuery(
                        "INSERT INTO refresh_tokens (user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)")
                    .execute(
                        Tuple.of(
                            userId,
                            hash(token),
                            UserStore.utc(now.plusSeconds(ttlSeconds)),
                            UserStore.utc(now))))
        .map(token);
  }

  /**
   * Rotates {@code presented}; see {@link Outcome}. Side effects (revocations) are committed
   * whatever the outcome.
   */
  Rotation rotate(String presented) {
    Instant now = clock.instant();
    OffsetDateTime at = UserStore.utc(now);
    return Database.await(
        db.inTransaction(
            conn ->
                conn.preparedQuery(
                        "SELECT rt.id AS token_id, rt.expires_at, rt.revoked_at, u.id, u.username, u.display_name, u.role, "
                            + "u.active, u.created_at, u.updated_at "
                            + "FROM refresh_tokens rt JOIN users u ON u.id = rt.user_id WHERE rt.token_hash = $1 FOR UPDATE OF rt")
                    .execute(Tuple.of(hash(presented)))
                    .compose(
                        rows -> {
                          if (rows.size() == 0)
                            return Future.succeededFuture(
                                new Rotation(Outcome.UNKNOWN, null, null));
                          Row row = rows.iterator().next();
                          UserStore.User user = UserStore.user(row);
                          if (row.getOffsetDateTime("revoked_at") != null) {
                            log.warn(
                                "revoked refresh token presented again for user {}: revoking all of the user's refresh tokens",
                                user.id());
                            return revokeAll(conn, user.id(), at)
                                .map(new Rotation(Outcome.REUSED, user, null));
                          }
                          if (!row.getOffsetDateTime("expires_at").toInstant().isAfter(now)) {
                            return Future.succeededFuture(
                                new Rotation(Outcome.EXPIRED, user, null));
                          }
                          if (!user.active()) {
                            return revokeAll(conn, user.id(), at)
                                .map(new Rotation(Outcome.INACTIVE, user, null));
                          }
                          return conn.preparedQuery(
                                  "UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1")
                              .execute(Tuple.of(row.getString("token_id"), at))
                              .compose(r -> issue(conn, user.id(), now))
                              .map(token -> new Rotation(Outcome.ROTATED, user, token));
                        })));
  }

  private static Future<Void> revokeAll(SqlConnection conn, String userId, OffsetDateTime at) {
    return conn.preparedQuery(
            "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(userId, at))
        .mapEmpty();
  }

  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return B64URL.encodeToString(bytes);
  }

  /** SHA-256 of the token, lower-case hex: what is stored. */
  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
