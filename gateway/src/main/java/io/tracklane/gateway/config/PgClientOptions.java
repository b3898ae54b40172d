package io.tracklane.gateway.config;

import io.tracklane.core.config.PgSsl;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connect options for the Vert.x Postgres client, TLS by default like the back office's JDBC pool
 * ({@link PgSsl}): {@code sslmode=require} (encrypted; Vert.x would otherwise connect in
 * plaintext), or {@code verify-full} against {@code TRACKLANE_PG_SSL_ROOT_CERT}. An {@code sslmode}
 * in the URL wins; a weaker one is logged.
 */
public final class PgClientOptions {
  private static final Logger log = LoggerFactory.getLogger(PgClientOptions.class);

  private PgClientOptions() {}

  /** From the gateway's settings. */
  public static PgConnectOptions of(GatewayConfig config) {
    return of(
        config.get(GatewaySettings.PG_URL),
        config.get(GatewaySettings.PG_PASSWORD),
        config.get(GatewaySettings.PG_SSL_ROOT_CERT));
  }

  /**
   * {@code postgresql://user:pass@host:port/db[?sslmode=…]}; {@code password} (empty = the URL's)
   * and the CA file {@code caFile} (empty = none).
   */
  public static PgConnectOptions of(String url, String password, String caFile) {
    PgSsl ssl = PgSsl.resolve(url, caFile);
    if (ssl.weak()) {
      log.warn(
          "{} asks sslmode={}: connections to Postgres may travel unencrypted",
          GatewaySettings.PG_URL.env(),
          ssl.mode());
    }
    PgConnectOptions connect = PgConnectOptions.fromUri(url);
    if (password != null && !password.isEmpty()) connect.setPassword(password);
    connect.setSslMode(SslMode.of(ssl.mode()));
    ClientSSLOptions tls = new ClientSSLOptions();
    if (ssl.verifies()) {
      tls.setTrustOptions(new PemTrustOptions().addCertPath(ssl.rootCert()));
      // verify-ca checks the chain only; verify-full the host name as well, as libpq does
      tls.setHostnameVerificationAlgorithm(ssl.mode().equals("verify-full") ? "HTTPS" : "");
    } else {
      // require (and the weaker modes): encrypted, the server not verified, as libpq does
      tls.setTrustAll(true).setHostnameVerificationAlgorithm("");
    }
    return connect.setSslOptions(tls);
  }
}
