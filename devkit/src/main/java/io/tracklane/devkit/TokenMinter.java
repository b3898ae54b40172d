package io.tracklane.devkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Duration;
import java.util.Objects;

/**
 * Mints ES256 JWTs with a {@link DevSigningKeys} private key. Tokens carry iss, aud (one value),
 * sub, iat, exp, the header {@code kid} of the key, and the role in the {@code role} claim. Needs
 * no Vert.x instance; thread-safe.
 */
public final class TokenMinter {

  /** Claim holding the caller's role. */
  public static final String ROLE_CLAIM = "role";

  private final ECDSASigner signer;
  private final String kid;
  private final String issuer;
  private final String audience;

  TokenMinter(JsonObject privateJwk, String issuer, String audience) {
    try {
      this.signer = new ECDSASigner(ECKey.parse(privateJwk.encode()));
    } catch (ParseException | JOSEException e) {
      // never the key itself
      throw new IllegalArgumentException("not a usable EC P-256 private JWK");
    }
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
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = extraClaims == null ? new JsonObject() : extraClaims.copy();
    return sign(standard(claims, subject, now, now + seconds));
  }

  /** A correctly signed token whose {@code exp} is an hour in the past, for testing expiry. */
  public String mintExpired(String subject, String role) {
    Objects.requireNonNull(subject, "subject");
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put(ROLE_CLAIM, Objects.requireNonNull(role, "role"));
    return sign(standard(claims, subject, now - 7_200, now - 3_600));
  }

  private JsonObject standard(JsonObject claims, String subject, long iat, long exp) {
    return claims
        .put("iss", issuer)
        .put("aud", audience)
        .put("sub", subject)
        .put("iat", iat)
        .put("exp", exp);
  }

  private String sign(JsonObject claims) {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build(),
            new Payload(claims.encode()));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("ES256 signing failed", e);
    }
    return jws.serialize();
  }
}
