package io.tracklane.gateway.auth;

import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where the back office's public keys come from, as named by the configuration: a JWKS file, else
 * an SSM parameter, else a URL. Each {@link #load()} reads them afresh (non-blocking), bounded by
 * the fetch timeout.
 */
public final class JwksSource implements Supplier<Future<JsonObject>> {
  private final Vertx vertx;
  private final String file;
  private final String url;
  private final SsmJwks ssm;
  private final long timeoutMs;
  private HttpClient client;

  private JwksSource(Vertx vertx, String file, SsmJwks ssm, String url, long timeoutMs) {
    this.vertx = vertx;
    this.file = file;
    this.ssm = ssm;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }

  /** The source the configuration names; fails naming the settings when it names none. */
  public static JwksSource of(Vertx vertx, GatewayConfig config) {
    String file = config.get(GatewaySettings.JWKS_FILE);
    String parameter = config.get(GatewaySettings.JWKS_SSM_PARAMETER);
    String url = config.get(GatewaySettings.JWKS_URL);
    if (file.isEmpty() && parameter.isEmpty() && url.isEmpty()) {
      throw new IllegalArgumentException(
          "no token verification keys: set "
              + GatewaySettings.JWKS_FILE.env()
              + ", "
              + GatewaySettings.JWKS_SSM_PARAMETER.env()
              + " or "
              + GatewaySettings.JWKS_URL.env());
    }
    Duration timeout = config.get(GatewaySettings.JWKS_FETCH_TIMEOUT_MS);
    SsmJwks ssm =
        !file.isEmpty() || parameter.isEmpty()
            ? null
            : new SsmJwks(
                vertx,
                SsmJwks.client(
                    config.get(GatewaySettings.AWS_REGION),
                    config.get(GatewaySettings.SSM_ENDPOINT),
                    timeout),
                parameter);
    return new JwksSource(vertx, file, ssm, url, timeout.toMillis());
  }

  /**
   * Where the keys are read from (for logs; a URL, file path or parameter name holds no secret).
   */
  public String location() {
    if (!file.isEmpty()) return file;
    return ssm != null ? "ssm:" + ssm.parameter() : url;
  }

  /**
   * Reads the JWKS once; fails on a timeout, a non-200 answer, an SSM error or a value that is not
   * a JWKS.
   */
  public Future<JsonObject> load() {
    Future<JsonObject> jwks;
    if (!file.isEmpty()) jwks = vertx.fileSystem().readFile(file).map(b -> b.toJsonObject());
    else if (ssm != null) jwks = ssm.load();
    else jwks = fetch();
    return jwks.timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<JsonObject> get() {
    return load();
  }

  public Future<Void> close() {
    Future<Void> http = client == null ? Future.succeededFuture() : client.close();
    Future<Void> parameter = ssm == null ? Future.succeededFuture() : ssm.close();
    return Future.all(http, parameter).mapEmpty();
  }

  private Future<JsonObject> fetch() {
    if (client == null) {
      int timeoutSeconds = (int) Math.max(1, (timeoutMs + 999) / 1000);
      client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                  .setIdleTimeout(timeoutSeconds));
    }
    return client
        .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.statusCode() == 200
                    ? resp.body()
                    : resp.body()
                        .transform(
                            ignored ->
                                Future.failedFuture(
                                    "JWKS " + url + " answered " + resp.statusCode())))
        .map(body -> body.toJsonObject());
  }
}
