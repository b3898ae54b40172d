package io.tracklane.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The local Postgres speaks TLS and only TLS, as RDS with rds.force_ssl = 1 does. */
class LocalPostgresTlsTest {

  private static String jdbc(String sslmode) {
    return "jdbc:postgresql://127.0.0.1:"
        + LocalPostgres.shared().port()
        + "/postgres?user=postgres&sslmode="
        + sslmode;
  }

  @Test
  void aPlaintextClientIsRefused() {
    SQLException e =
        assertThrows(
            SQLException.class, () -> DriverManager.getConnection(jdbc("disable")).close());
    // pg_hba.conf matched nothing for a connection without TLS
    assertTrue(e.getMessage().contains("no encryption"), e.getMessage());
  }

  @Test
  void aClientRequiringTlsGetsAnEncryptedSession() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbc("require"));
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      assertTrue(rs.next());
      assertTrue(rs.getBoolean("ssl"));
      assertTrue(rs.getString("version").startsWith("TLSv1."), rs.getString("version"));
    }
  }

  @Test
  void theCertificateVerifiesForLocalhostAgainstItself() throws SQLException {
    // the generated certificate is a real one: full verification (CA + host name) passes with it
    String url =
        jdbc("verify-full").replace("127.0.0.1", "localhost")
            + "&sslrootcert="
            + LocalPostgres.shared().certificate();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
  }
}
