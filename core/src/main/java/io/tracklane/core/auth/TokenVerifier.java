package io.tracklane.core.auth;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies the back office's JWTs (ES256/RS256) against its public keys (JWKS). The signature,
 * expiry, issuer and audience must all hold, with {@value #LEEWAY_SECONDS} s of leeway for clock
 * skew; a token without {@code exp} is refused, since a device token that never expires cannot be
 * revoked. Unsigned ({@code alg: none}) and HMAC tokens are refused: with public keys in hand, an
 * HMAC "signature" would prove nothing. The key is chosen by the token's {@code kid}.
 *
 * <p>Synchronous and CPU-only (one signature check, well under a millisecond), so it may run on any
 * thread, a Vert.x event loop included. Immutable and thread-safe. Shared by the gateway, the
 * Lambda authorizer and local-api.
 */
public final class TokenVerifier {
  /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}. */
  public static final long LEEWAY_SECONDS = 30;

  /** The only algorithms accepted: asymmetric signatures the back office's keys can make. */
  public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256);

  /** A harmless algorithm name may be repeated in an error; anything else is not. */
  private static final Pattern PRINTABLE_ALG = Pattern.compile("[A-Za-z0-9+_-]{1,16}");

  /** JWK members holding private or symmetric key material (EC, RSA, oct). */
  private static final List<String> PRIVATE_MEMBERS =
      List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  /** One trusted public key: its id (may be null), the algorithm it signs with, its verifier. */
  private record TrustedKey(String kid, JWSAlgorithm algorithm, JWSVerifier verifier, JWK jwk) {}

  private final List<TrustedKey> keys;
  private final Set<String> keyIds;
  private final String issuer;
  private final String audience;
  private final Clock clock;

  private TokenVerifier(List<TrustedKey> keys, String issuer, String audience, Clock clock) {
    this.keys = List.copyOf(keys);
    Set<String> kids = new LinkedHashSet<>();
    for (TrustedKey k : keys) if (k.kid() != null) kids.add(k.kid());
    this.keyIds = Set.copyOf(kids);
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A verifier trusting the keys of {@code jwks} ({@code {"keys":[…]}}), on the system clock. */
  public static TokenVerifier fromJwks(JsonObject jwks, String issuer, String audience) {
    return fromJwks(jwks, issuer, audience, Clock.systemUTC());
  }

  /**
   * A verifier trusting the EC P-256 (ES256) and RSA (RS256) keys of {@code jwks}, judging expiry
   * by {@code clock}. Private members of the keys are dropped before they are read. Keys of other
   * types, or meant for encryption, are skipped; fails if none is left or a key is malformed.
   */
  public static TokenVerifier fromJwks(
      JsonObject jwks, String issuer, String audience, Clock clock) {
    JsonArray listed = jwks == null ? null : jwks.getJsonArray("keys");
    if (listed == null || listed.isEmpty()) throw new IllegalArgumentException("JWKS has no keys");
    List<TrustedKey> keys = new ArrayList<>();
    for (int i = 0; i < listed.size(); i++) {
      if (!(listed.getValue(i) instanceof JsonObject key))
        throw new IllegalArgumentException("JWKS keys[" + i + "] is not an object");
      TrustedKey trusted = trustedKey(i, key);
      if (trusted != null) keys.add(trusted);
    }
    if (keys.isEmpty())
      throw new IllegalArgumentException("JWKS has no EC P-256 (ES256) or RSA (RS256) key");
    return new TokenVerifier(keys, issuer, audience, clock);
  }

  /** The key as a public-only verifier, or null if it is of a kind tokens are not checked with. */
  private static TrustedKey trustedKey(int index, JsonObject json) {
    Object kty = json.getValue("kty");
    if (!"EC".equals(kty) && !"RSA".equals(kty)) return null; // e.g. a symmetric (oct) key
    JsonObject pub = json.copy();
    PRIVATE_MEMBERS.forEach(pub::remove); // never hold private material
    JWK jwk;
    try {
      jwk = JWK.parse(pub.encode()).toPublicJWK();
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException(
          "JWKS keys[" + index + "] is not a valid public JWK: " + e.getMessage());
    }
    if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) return null;
    Algorithm declared = jwk.getAlgorithm();
    try {
      if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
        if (declared != null && !JWSAlgorithm.ES256.equals(declared)) return null;
        return new TrustedKey(jwk.getKeyID(), JWSAlgorithm.ES256, new ECDSAVerifier(ec), jwk);
      }
      if (jwk instanceof RSAKey rsa) {
        if (declared != null && !JWSAlgorithm.RS256.equals(declared)) return null;
        return new TrustedKey(jwk.getKeyID(), JWSAlgorithm.RS256, new RSASSAVerifier(rsa), jwk);
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException(
          "JWKS keys[" + index + "] cannot verify signatures: " + e.getMessage());
    }
    return null;
  }

  /** The key ids ({@code kid}) of the keys this verifier trusts. */
  public Set<String> keyIds() {
    return keyIds;
  }

  /** The public keys this verifier holds, as JWKs (for diagnostics and tests). */
  public JsonObject publicJwks() {
    JsonArray out = new JsonArray();
    keys.forEach(k -> out.add(new JsonObject(k.jwk().toJSONString())));
    return new JsonObject().put("keys", out);
  }

  /**
   * The {@code kid} in an (unverified) token's header; null when there is none or the token is not
   * a readable JWT. Only for choosing a key: the signature check decides whether the token is good.
   */
  public static String keyIdOf(String token) {
    if (token == null) return null;
    int dot = token.indexOf('.');
    if (dot <= 0 || dot > 4096) return null;
    try {
      JsonObject header =
          new JsonObject(
              new String(
                  Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8));
      return header.getValue("kid") instanceof String kid ? kid : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The token's principal; throws {@link TokenRejected} naming why. Never echoes the token. */
  public Principal verify(String token) {
    return verifyToken(token).principal();
  }

  /** Like {@link #verify}, with the token's expiry. */
  public VerifiedToken verifyToken(String token) {
    if (token == null || token.isBlank()) throw new TokenRejected("missing token");
    SignedJWT jwt = signed(token);
    checkSignature(jwt);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new TokenRejected("invalid token: the claims are not a valid JWT claims set");
    }
    return checkClaims(claims);
  }

  private static SignedJWT signed(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new TokenRejected("invalid token: not a JWT");
    }
    if (jwt instanceof PlainJWT)
      throw new TokenRejected("invalid token: unsigned (alg none) tokens are not accepted");
    if (!(jwt instanceof SignedJWT signed))
      throw new TokenRejected("invalid token: not a signed JWT (JWS)");
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (!ALGORITHMS.contains(alg)) {
      String name = alg == null ? "" : alg.getName();
      throw new TokenRejected(
          "invalid token: algorithm "
              + (PRINTABLE_ALG.matcher(name).matches() ? name + " " : "")
              + "is not accepted (ES256 or RS256 only)");
    }
    return signed;
  }

  /**
   * A token naming a {@code kid} is checked only with the key of that id; one without a kid with
   * every key of its algorithm.
   */
  private void checkSignature(SignedJWT jwt) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    String kid = jwt.getHeader().getKeyID();
    boolean anyKey = false;
    for (TrustedKey key : keys) {
      if (kid != null && !kid.equals(key.kid())) continue;
      if (!alg.equals(key.algorithm())) continue;
      anyKey = true;
      try {
        if (jwt.verify(key.verifier())) return;
      } catch (JOSEException | RuntimeException e) {
        // a signature of the wrong shape: as bad as a wrong one
      }
    }
    throw new TokenRejected(
        anyKey
            ? "invalid token: bad signature"
            : "invalid token: signed with a key this verifier does not know");
  }

  private VerifiedToken checkClaims(JWTClaimsSet claims) {
    long now = clock.instant().getEpochSecond();
    Date exp = claims.getExpirationTime();
    if (exp == null) throw new TokenRejected("token has no expiry (exp)");
    long expSeconds = exp.getTime() / 1000;
    if (now - LEEWAY_SECONDS >= expSeconds) throw new TokenRejected("invalid token: expired");
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() / 1000 > now + LEEWAY_SECONDS)
      throw new TokenRejected("invalid token: not valid yet (nbf)");
    Date iat = claims.getIssueTime();
    if (iat != null && iat.getTime() / 1000 > now + LEEWAY_SECONDS)
      throw new TokenRejected("invalid token: issued in the future (iat)");
    if (!issuer.equals(claims.getIssuer()))
      throw new TokenRejected("invalid token: wrong issuer (iss)");
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(audience))
      throw new TokenRejected("invalid token: wrong audience (aud)");
    String sub = claims.getSubject();
    if (sub == null || sub.isBlank()) throw new TokenRejected("token has no subject (sub)");
    if (!(claims.getClaim("role") instanceof String role) || role.isBlank())
      throw new TokenRejected("token has no role");
    return new VerifiedToken(new Principal(sub, role), expSeconds * 1000L);
  }
}
