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
import java.util.List;

/**
 * Verifies the back office's JWTs (ES256/RS256) against its public keys (JWKS). The signature,
 * expiry, issuer and audience must all hold; a token without {@code exp} is refused, since a
 * device token that never expires cannot be revoked. Shared by the gateway, the Lambda authorizer
 * and local-api.
 */
public final class TokenVerifier {
  private final JWTAuth jwt;

  private TokenVerifier(JWTAuth jwt) {
    this.jwt = jwt;
  }

  public static TokenVerifier fromJwks(Vertx vertx, JsonObject jwks, String issuer, String audience) {
    JsonArray keys = jwks.getJsonArray("keys");
    if (keys == null || keys.isEmpty()) throw new IllegalArgumentException("JWKS has no keys");
    JWTAuthOptions options = new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setIssuer(issuer).setAudience(List.of(audience)).setLeeway(30));
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i).copy();
      key.remove("d"); // never hold private material in the gateway
      options.addJwk(key);
    }
    return new TokenVerifier(JWTAuth.create(vertx, options));
  }

  /** Fails with {@link TokenRejected} naming why; never echoes the token. */
  public Future<Principal> verify(String token) {
    if (token == null || token.isBlank()) return Future.failedFuture(new TokenRejected("missing token"));
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(new TokenRejected("invalid token: " + err.getMessage())))
        .compose(TokenVerifier::principalOf);
  }

  private static Future<Principal> principalOf(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    String sub = claims.getString("sub");
    Object role = claims.getValue("role");
    if (!claims.containsKey("exp")) return Future.failedFuture(new TokenRejected("token has no expiry (exp)"));
    if (sub == null || sub.isBlank()) return Future.failedFuture(new TokenRejected("token has no subject (sub)"));
    if (!(role instanceof String r) || r.isBlank()) return Future.failedFuture(new TokenRejected("token has no role"));
    return Future.succeededFuture(new Principal(sub, r));
  }
}
