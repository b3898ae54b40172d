package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.SqlSession;
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
    return db.withSession(sql -> issue(sql, userId, clock.instant()));
  }

  private String issue(SqlSession sql, String userId, Instant now) {
    String token = newToken();
    sql.update(
        "DELETE FROM refresh_tokens WHERE user_id = $1 AND expires_at < $2",
        userId,
        UserStore.utc(now));
    sql.update(
        "INSERT INTO refresh_tokens (user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)",
        userId,
        hash(token),
        UserStore.utc(now.plusSeconds(ttlSeconds)),
        UserStore.utc(now));
    return token;
  }

  /**
   * Rotates {@code presented}; see {@link Outcome}. Side effects (revocations) are committed
   * whatever the outcome.
   */
  Rotation rotate(String presented) {
    Instant now = clock.instant();
    OffsetDateTime at = UserStore.utc(now);
    return db.inTransaction(
        sql -> {
          DbRow row =
              sql.one(
                  "SELECT rt.id AS token_id, rt.expires_at, rt.revoked_at, u.id, u.username, u.display_name, u.role, "
                      + "u.active, u.created_at, u.updated_at "
                      + "FROM refresh_tokens rt JOIN users u ON u.id = rt.user_id WHERE rt.token_hash = $1 FOR UPDATE OF rt",
                  hash(presented));
          if (row == null) return new Rotation(Outcome.UNKNOWN, null, null);
          UserStore.User user = UserStore.user(row);
          if (row.getOffsetDateTime("revoked_at") != null) {
            log.warn(
                "revoked refresh token presented again for user {}: revoking all of the user's refresh tokens",
                user.id());
            revokeAll(sql, user.id(), at);
            return new Rotation(Outcome.REUSED, user, null);
          }
          if (!row.getOffsetDateTime("expires_at").toInstant().isAfter(now)) {
            return new Rotation(Outcome.EXPIRED, user, null);
          }
          if (!user.active()) {
            revokeAll(sql, user.id(), at);
            return new Rotation(Outcome.INACTIVE, user, null);
          }
          sql.update(
              "UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1",
              row.getString("token_id"),
              at);
          return new Rotation(Outcome.ROTATED, user, issue(sql, user.id(), now));
        });
  }

  private static void revokeAll(SqlSession sql, String userId, OffsetDateTime at) {
    sql.update(
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        userId,
        at);
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
