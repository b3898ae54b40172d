package io.tracklane.core.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies the back office's JWTs (ES256/RS256) against its public keys (JWKS). The signature,
 * expiry, issuer and audience must all hold; a token without {@code exp} is refused, since a device
 * token that never expires cannot be revoked. Shared by the gateway, the Lambda authorizer and
 * local-api.
 */
public final class TokenVerifier {
  private final JWTAuth jwt;
  private final Set<String> keyIds;

  private TokenVerifier(JWTAuth jwt, Set<String> keyIds) {
    this.jwt = jwt;
    this.keyIds = Set.copyOf(keyIds);
  }

  public static TokenVerifier fromJwks(
      Vertx vertx, JsonObject jwks, String issuer, String audience) {
    JsonArray keys = jwks.getJsonArray("keys");
    if (keys == null || keys.isEmpty()) throw new IllegalArgumentException("JWKS has no keys");
    JWTAuthOptions options =
        new JWTAuthOptions()
            .setJWTOptions(
                new JWTOptions().setIssuer(issuer).setAudience(List.of(audience)).setLeeway(30));
    Set<String> kids = new LinkedHashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i).copy();
      key.remove("d"); // never hold private material in the gateway
      options.addJwk(key);
      if (key.getValue("kid") instanceof String kid) kids.add(kid);
    }
    return new TokenVerifier(JWTAuth.create(vertx, options), kids);
  }

  /** The key ids ({@code kid}) of the keys this verifier trusts. */
  public Set<String> keyIds() {
    return keyIds;
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

  /** Fails with {@link TokenRejected} naming why; never echoes the token. */
  public Future<Principal> verify(String token) {
    return verifyToken(token).map(VerifiedToken::principal);
  }

  /** Like {@link #verify}, with the token's expiry. */
  public Future<VerifiedToken> verifyToken(String token) {
    if (token == null || token.isBlank())
      return Future.failedFuture(new TokenRejected("missing token"));
    return jwt.authenticate(new TokenCredentials(token))
        .recover(
            err -> Future.failedFuture(new TokenRejected("invalid token: " + err.getMessage())))
        .compose(TokenVerifier::verifiedOf);
  }

  private static Future<VerifiedToken> verifiedOf(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    String sub = claims.getString("sub");
    Object role = claims.getValue("role");
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return Future.failedFuture(new TokenRejected("token has no expiry (exp)"));
    }
    if (sub == null || sub.isBlank())
      return Future.failedFuture(new TokenRejected("token has no subject (sub)"));
    if (!(role instanceof String r) || r.isBlank())
      return Future.failedFuture(new TokenRejected("token has no role"));
    return Future.succeededFuture(
        new VerifiedToken(new Principal(sub, r), exp.longValue() * 1000L));
  }
}
