package io.tracklane.gateway.auth;

import io.tracklane.core.auth.TokenVerifier;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/** Loads the back office's public keys named by the configuration: a JWKS file, else a URL. */
public final class JwksSource {
  private JwksSource() {}

  public static Future<TokenVerifier> verifier(Vertx vertx, GatewayConfig config) {
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
    return jwks.map(keys -> TokenVerifier.fromJwks(vertx, keys, config.string(Setting.JWT_ISSUER),
        config.string(Setting.JWT_AUDIENCE)));
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
}
