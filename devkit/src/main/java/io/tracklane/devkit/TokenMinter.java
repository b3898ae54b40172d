package io.tracklane.devkit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Mints ES256 JWTs with a {@link DevSigningKeys} private key. Tokens carry iss, aud (one value),
 * sub, iat, exp, the header {@code kid} of the key, and the role in the {@code role} claim.
 */
public final class TokenMinter {

  /** Claim holding the caller's role. */
  public static final String ROLE_CLAIM = "role";

  private final JWTAuth jwt;
  private final String kid;
  private final String issuer;
  private final String audience;

  TokenMinter(Vertx vertx, JsonObject privateJwk, String issuer, String audience) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(privateJwk));
    this.kid = privateJwk.getString("kid");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audience = Objects.requireNonNull(audience, "audience");
  }

  /** A token for {@code subject} with claim {@code role}, valid for {@code ttl}. */
  public String mint(String subject, String role, Duration ttl) {
    return mint(
        new JsonObject().put(ROLE_CLAIM, Objects.requireNonNull(role, "role")), subject, ttl);
  }

  /**
   * A token for {@code subject} with the given extra claims, valid for {@code ttl} (at least one
   * second: JWT times have second precision). Standard claims set here override same-named extras.
   */
  public String mint(JsonObject extraClaims, String subject, Duration ttl) {
    Objects.requireNonNull(subject, "subject");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "ttl must be positive; use mintExpired for expired tokens");
    }
    long seconds = Math.max(1, ttl.toSeconds());
    if (seconds > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("ttl too long: " + ttl);
    }
    JsonObject claims = extraClaims == null ? new JsonObject() : extraClaims.copy();
    // generateToken keeps caller-supplied exp/iat/iss/sub; remove them so the options win.
    claims.remove("exp");
    claims.remove("iat");
    claims.remove("iss");
    claims.remove("sub");
    claims.remove("aud");
    return jwt.generateToken(claims, baseOptions(subject).setExpiresInSeconds((int) seconds));
  }

  /**
   * A correctly signed token whose {@code exp} is an hour in the past, for testing that expiry is
   * enforced. iat/exp are set by hand because JWTOptions cannot express a past expiry.
   */
  public String mintExpired(String subject, String role) {
    Objects.requireNonNull(subject, "subject");
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims =
        new JsonObject()
            .put(ROLE_CLAIM, Objects.requireNonNull(role, "role"))
            .put("iat", now - 7_200)
            .put("exp", now - 3_600);
    return jwt.generateToken(claims, baseOptions(subject).setNoTimestamp(true));
  }

  private JWTOptions baseOptions(String subject) {
    return new JWTOptions()
        .setAlgorithm("ES256")
        .setHeader(new JsonObject().put("kid", kid))
        .setIssuer(issuer)
        .setAudience(List.of(audience))
        .setSubject(subject);
  }
}
