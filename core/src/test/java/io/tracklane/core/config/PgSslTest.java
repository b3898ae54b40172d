package io.tracklane.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PgSslTest {
  private static final String URL = "postgresql://app@db.example:5432/tracklane";

  @Test
  void tlsIsTheDefaultAndACaTurnsOnFullVerification() {
    assertEquals(new PgSsl("require", ""), PgSsl.resolve(URL, ""));
    assertEquals(new PgSsl("require", ""), PgSsl.resolve(URL, null));
    PgSsl verified = PgSsl.resolve(URL, "/etc/rds/global-bundle.pem");
    assertEquals("verify-full", verified.mode());
    assertTrue(verified.verifies());
    assertFalse(verified.weak());
  }

  @Test
  void anSslmodeInTheUrlWinsAndAWeakOneIsFlagged() {
    assertEquals("verify-ca", PgSsl.resolve(URL + "?sslmode=verify-ca", "/ca.pem").mode());
    assertEquals("require", PgSsl.resolve(URL + "?x=1&sslmode=require", "/ca.pem").mode());
    PgSsl off = PgSsl.resolve(URL + "?sslmode=disable", "");
    assertEquals("disable", off.mode());
    assertTrue(off.weak());
    assertTrue(PgSsl.resolve(URL + "?sslmode=prefer", "").weak());
  }

  @Test
  void badModesAndVerificationWithoutACaAreNamed() {
    var bad =
        assertThrows(IllegalArgumentException.class, () -> PgSsl.resolve(URL + "?sslmode=on", ""));
    assertTrue(bad.getMessage().contains("TRACKLANE_PG_URL: sslmode=on"), bad.getMessage());
    var noCa =
        assertThrows(
            IllegalArgumentException.class, () -> PgSsl.resolve(URL + "?sslmode=verify-full", ""));
    assertTrue(noCa.getMessage().contains("TRACKLANE_PG_SSL_ROOT_CERT"), noCa.getMessage());
  }
}
