package io.tracklane.backoffice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.devkit.LocalPostgres;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Lambdas' JDBC pool speaks TLS to Postgres by default, and verifies it when given a CA. */
class DatabaseTlsTest {
  private static final String SESSION_TLS =
      "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

  @Test
  void theDefaultConnectionIsEncrypted() {
    try (BackofficeContext ctx = TestDatabase.freshContext()) {
      assertEquals("true", ctx.db().one(SESSION_TLS).getString(0));
    }
  }

  @Test
  void aCaBundleSettingVerifiesTheServerFully() {
    LocalPostgres pg = LocalPostgres.shared();
    String url = "postgresql://postgres@localhost:" + pg.port() + "/postgres";
    BackofficeConfig config =
        BackofficeConfig.of(
            Map.of(
                BackofficeSettings.PG_URL.env(),
                url,
                BackofficeSettings.PG_SSL_ROOT_CERT.env(),
                pg.certificate().toString()));
    try (Database db = Database.create(config)) {
      assertEquals("true", db.one(SESSION_TLS).getString(0));
    }
  }
}
