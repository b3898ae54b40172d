package io.tracklane.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.devkit.LocalPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's Vert.x Postgres client speaks TLS by default, against the TLS-only local server.
 */
class PgClientOptionsTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPlainUrlConnectsWithTlsRequired() throws Exception {
    PgConnectOptions options = PgClientOptions.of(LocalPostgres.shared().url("postgres"), "", "");
    assertEquals(SslMode.REQUIRE, options.getSslMode());
    assertEquals("true", sessionTls(options));
  }

  @Test
  void aCaFileVerifiesTheServerFully() throws Exception {
    LocalPostgres pg = LocalPostgres.shared();
    PgConnectOptions options =
        PgClientOptions.of(
            "postgresql://postgres@localhost:" + pg.port() + "/postgres",
            "",
            pg.certificate().toString());
    assertEquals(SslMode.VERIFY_FULL, options.getSslMode());
    assertEquals("true", sessionTls(options));
  }

  @Test
  void anSslmodeInTheUrlIsKeptAndThePlaintextOneIsRefusedByTheServer() {
    PgConnectOptions options =
        PgClientOptions.of(LocalPostgres.shared().url("postgres") + "?sslmode=disable", "", "");
    assertEquals(SslMode.DISABLE, options.getSslMode());
    ExecutionException e = assertThrows(ExecutionException.class, () -> sessionTls(options));
    assertTrue(e.getCause().getMessage().contains("no encryption"), e.getCause().getMessage());
  }

  private static String sessionTls(PgConnectOptions options) throws Exception {
    Pool pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
    try {
      Future<String> ssl =
          pool.query("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
              .execute()
              .map(rows -> rows.iterator().next().getString(0));
      return ssl.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } finally {
      pool.close();
    }
  }
}
