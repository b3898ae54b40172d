package io.tracklane.backoffice.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Signs access tokens: ES256 JWTs with the private JWK in {@code TRACKLANE_SIGNING_KEY}, claims
 * {@code sub}, {@code role}, {@code iss}, {@code aud}, {@code iat}, {@code exp} (from the context's
 * clock) and the header {@code kid}. Built once per container (init phase).
 *
 * <p>The JWKS it publishes is the signing key's public part, plus any other keys listed in {@code
 * TRACKLANE_JWKS} (e.g. the previous key during a rotation). The authorizer may be given only
 * {@code TRACKLANE_JWKS}, so it never holds private key material.
 */
public final class TokenIssuer {
  public static final String ALGORITHM = "ES256";

  /**
   * Members of a JWK that are private (EC {@code d}; RSA and symmetric members too, to be safe).
   */
  private static final Set<String> PRIVATE_MEMBERS =
      Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  /** A signed access token and its lifetime. */
  public record AccessToken(String token, Instant issuedAt, Instant expiresAt, int expiresIn) {
    @Override
    public String toString() {
      return "AccessToken[expiresAt=" + expiresAt + "]"; // never the token
    }
  }

  private final JWSSigner signer;
  private final JWSHeader header;
  private final String kid;
  private final JsonObject jwks;
  private final String issuer;
  private final String audience;
  private final int ttlSeconds;
  private final Clock clock;

  public TokenIssuer(BackofficeConfig config, Clock clock) {
    JsonObject privateJwk = signingKey(config);
    this.kid = privateJwk.getString("kid");
    this.header =
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT).build();
    try {
      this.signer = new ECDSASigner(ECKey.parse(privateJwk.encode()));
    } catch (ParseException | JOSEException | RuntimeException e) {
      // Never echo the key itself.
      throw new IllegalStateException(
          BackofficeSettings.SIGNING_KEY.env()
              + " is not a usable EC P-256 private JWK: "
              + e.getClass().getSimpleName());
    }
    this.jwks = verificationJwks(config);
    this.issuer = config.get(BackofficeSettings.JWT_ISSUER);
    this.audience = config.get(BackofficeSettings.JWT_AUDIENCE);
    this.ttlSeconds = (int) config.get(AuthSettings.ACCESS_TOKEN_TTL_SECONDS).toSeconds();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The auth unit's issuer: every auth setting is validated first, all bad ones named at once. */
  public TokenIssuer(BackofficeContext ctx) {
    this(validated(ctx.config()), ctx.clock());
  }

  private static BackofficeConfig validated(BackofficeConfig config) {
    config.read(AuthSettings.ALL, AuthSettings.RULES);
    return config;
  }

  /**
   * An access token for the user, valid for {@code TRACKLANE_ACCESS_TOKEN_TTL_SECONDS} from the
   * clock's now.
   */
  public AccessToken issue(String userId, String role) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(role, "role");
    long now = clock.instant().getEpochSecond();
    long exp = now + ttlSeconds;
    // iat/exp from our clock; aud a single string, as the verifiers expect either way
    JsonObject claims =
        new JsonObject()
            .put("sub", userId)
            .put("role", role)
            .put("iss", issuer)
            .put("aud", audience)
            .put("iat", now)
            .put("exp", exp);
    JWSObject jws = new JWSObject(header, new Payload(claims.encode()));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing the access token failed", e);
    }
    String token = jws.serialize();
    return new AccessToken(
        token, Instant.ofEpochSecond(now), Instant.ofEpochSecond(exp), ttlSeconds);
  }

  /** {@code {"keys":[public JWK, …]}}: what {@code GET /.well-known/jwks.json} serves. */
  public JsonObject jwks() {
    return jwks.copy();
  }

  public String kid() {
    return kid;
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  public int accessTokenTtlSeconds() {
    return ttlSeconds;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The private signing JWK from {@code TRACKLANE_SIGNING_KEY}: a JSON JWK, or a JWKS whose first
   * key has a private part. Must be EC P-256; {@code alg} becomes ES256 and a missing {@code kid}
   * becomes the RFC 7638 thumbprint. Errors never contain the key.
   */
  public static JsonObject signingKey(BackofficeConfig config) {
    String raw = config.get(BackofficeSettings.SIGNING_KEY);
    if (raw.isBlank())
      throw new IllegalStateException(BackofficeSettings.SIGNING_KEY.env() + " is required");
    JsonObject json;
    try {
      json = new JsonObject(raw.trim());
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException(
          BackofficeSettings.SIGNING_KEY.env() + " is not a JSON object (a private JWK)");
    }
    JsonObject jwk = json;
    if (json.getValue("keys") instanceof JsonArray keys) {
      jwk = null;
      for (int i = 0; i < keys.size() && jwk == null; i++) {
        if (keys.getValue(i) instanceof JsonObject k && k.containsKey("d")) jwk = k;
      }
      if (jwk == null)
        throw new IllegalStateException(
            BackofficeSettings.SIGNING_KEY.env() + " holds no private key");
    }
    jwk = jwk.copy();
    if (!"EC".equals(jwk.getValue("kty")) || !"P-256".equals(jwk.getValue("crv"))) {
      throw new IllegalStateException(
          BackofficeSettings.SIGNING_KEY.env() + " must be an EC P-256 JWK (kty EC, crv P-256)");
    }
    for (String member : List.of("x", "y", "d")) {
      if (!(jwk.getValue(member) instanceof String s) || s.isBlank()) {
        throw new IllegalStateException(
            BackofficeSettings.SIGNING_KEY.env() + " lacks the JWK member " + member);
      }
    }
    Object alg = jwk.getValue("alg");
    if (alg != null && !ALGORITHM.equals(alg)) {
      throw new IllegalStateException(
          BackofficeSettings.SIGNING_KEY.env() + " has alg " + alg + "; expected " + ALGORITHM);
    }
    jwk.put("alg", ALGORITHM);
    if (!(jwk.getValue("kid") instanceof String k) || k.isBlank()) jwk.put("kid", thumbprint(jwk));
    return jwk;
  }

  /** A JWK without any private member. */
  public static JsonObject publicJwk(JsonObject jwk) {
    JsonObject pub = jwk.copy();
    PRIVATE_MEMBERS.forEach(pub::remove);
    return pub;
  }

  /**
   * The keys tokens are verified with: the keys of {@code TRACKLANE_JWKS} if set, plus the public
   * part of {@code TRACKLANE_SIGNING_KEY} if set and not already listed (by kid). Private members
   * are always stripped. Fails if neither yields a key.
   */
  public static JsonObject verificationJwks(BackofficeConfig config) {
    Map<String, JsonObject> byKid = new LinkedHashMap<>();
    if (!config.get(BackofficeSettings.SIGNING_KEY).isBlank()) {
      JsonObject pub = publicJwk(signingKey(config));
      byKid.put(pub.getString("kid"), pub);
    }
    String listed = config.get(AuthSettings.JWKS);
    if (!listed.isBlank()) {
      JsonArray keys;
      try {
        keys = new JsonObject(listed.trim()).getJsonArray("keys");
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalStateException(
            AuthSettings.JWKS.env() + " is not a JWKS ({\"keys\":[…]})");
      }
      if (keys == null)
        throw new IllegalStateException(AuthSettings.JWKS.env() + " has no \"keys\" array");
      for (int i = 0; i < keys.size(); i++) {
        if (!(keys.getValue(i) instanceof JsonObject key))
          throw new IllegalStateException(
              AuthSettings.JWKS.env() + " keys[" + i + "] is not an object");
        JsonObject pub = publicJwk(key);
        String kid = pub.getValue("kid") instanceof String k && !k.isBlank() ? k : "jwks-" + i;
        byKid.putIfAbsent(kid, pub);
      }
    }
    if (byKid.isEmpty()) {
      throw new IllegalStateException(
          "no verification keys: set "
              + BackofficeSettings.SIGNING_KEY.env()
              + " or "
              + AuthSettings.JWKS.env());
    }
    JsonArray keys = new JsonArray();
    byKid.values().forEach(keys::add);
    return new JsonObject().put("keys", keys);
  }

  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC key. */
  static String thumbprint(JsonObject ecJwk) {
    // Required members in lexicographic order, no whitespace.
    String canonical =
        "{\"crv\":\""
            + ecJwk.getString("crv")
            + "\",\"kty\":\""
            + ecJwk.getString("kty")
            + "\",\"x\":\""
            + ecJwk.getString("x")
            + "\",\"y\":\""
            + ecJwk.getString("y")
            + "\"}";
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
