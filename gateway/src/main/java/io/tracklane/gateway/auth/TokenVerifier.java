package io.tracklane.gateway.auth;

import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
 * device token that never expires cannot be revoked.
 */
public final class TokenVerifier {
  private final JWTAuth jwt;

  private TokenVerifier(JWTAuth jwt) {
    this.jwt = jwt;
  }

  /** Loads the JWKS named by the configuration (file first, else URL). */
  public static Future<TokenVerifier> create(Vertx vertx, GatewayConfig config) {
    String file = config.string(Setting.JWKS_FILE);
    String url = config.string(Setting.JWKS_URL);
    Future<JsonObject> jwks;
    if (!file.isEmpty()) {
      jwks = vertx.fileSystem().readFile(file).map(b -> b.toJsonObject());
    } else if (!url.isEmpty()) {
      jwks = fetch(vertx, url);
    } else {
      return Future.failedFuture(new IllegalArgumentException(
          "no token verification keys: set " + Setting.JWKS_FILE.env() + " or " + Setting.JWKS_URL.env()));
    }
    return jwks.map(keys -> fromJwks(vertx, keys, config.string(Setting.JWT_ISSUER), config.string(Setting.JWT_AUDIENCE)));
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

  private static Future<JsonObject> fetch(Vertx vertx, String url) {
    var client = vertx.createHttpClient();
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
        .compose(req -> req.send())
        .compose(resp -> resp.statusCode() == 200 ? resp.body()
            : Future.failedFuture("JWKS " + url + " answered " + resp.statusCode()))
        .map(body -> body.toJsonObject())
        .eventually(() -> client.close());
  }

  /** Fails with {@link TokenRejected} naming why; never echoes the token. */
  public Future<RiderPrincipal> verify(String token) {
    if (token == null || token.isBlank()) return Future.failedFuture(new TokenRejected("missing token"));
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(new TokenRejected("invalid token: " + err.getMessage())))
        .compose(TokenVerifier::principalOf);
  }

  private static Future<RiderPrincipal> principalOf(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
    String sub = claims.getString("sub");
    Object role = claims.getValue("role");
    if (!claims.containsKey("exp")) return Future.failedFuture(new TokenRejected("token has no expiry (exp)"));
    if (sub == null || sub.isBlank()) return Future.failedFuture(new TokenRejected("token has no subject (sub)"));
    if (!(role instanceof String r) || r.isBlank()) return Future.failedFuture(new TokenRejected("token has no role"));
    return Future.succeededFuture(new RiderPrincipal(sub, r));
  }
}
