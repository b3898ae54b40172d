package io.tracklane.core.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a Postgres client secures its connection, decided once for the gateway (Vert.x pg client) and
 * the back office (pgjdbc) alike. TLS is the default: {@code sslmode=require} (encrypted, the
 * server not verified), or {@code verify-full} against a CA bundle when {@link
 * SharedSettings#PG_SSL_ROOT_CERT} names one (e.g. the RDS bundle). An {@code sslmode} written in
 * the URL wins; a weaker one than {@code require} is allowed but {@link #weak()} so the caller logs
 * it rather than downgrading silently.
 *
 * @param mode libpq sslmode name: disable, allow, prefer, require, verify-ca or verify-full
 * @param rootCert PEM CA file or bundle; empty when none is configured
 */
public record PgSsl(String mode, String rootCert) {
  /** The libpq modes, weakest first. */
  public static final List<String> MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** From a {@code postgresql://} URL and the CA setting ({@code caFile} null or empty = none). */
  public static PgSsl resolve(String url, String caFile) {
    String ca = caFile == null ? "" : caFile.strip();
    String explicit = queryParameter(url, "sslmode");
    String mode;
    if (explicit == null) {
      mode = ca.isEmpty() ? "require" : "verify-full";
    } else if (MODES.contains(explicit)) {
      mode = explicit;
    } else {
      throw new IllegalArgumentException(
          SharedSettings.PG_URL.env()
              + ": sslmode="
              + explicit
              + " is not one of "
              + String.join(", ", MODES));
    }
    PgSsl ssl = new PgSsl(mode, ca);
    if (ssl.verifies() && ca.isEmpty()) {
      throw new IllegalArgumentException(
          SharedSettings.PG_URL.env()
              + ": sslmode="
              + mode
              + " needs a CA file in "
              + SharedSettings.PG_SSL_ROOT_CERT.env());
    }
    return ssl;
  }

  /** The server's certificate is checked against {@link #rootCert}. */
  public boolean verifies() {
    return mode.equals("verify-ca") || mode.equals("verify-full");
  }

  /** The connection may go without TLS (an explicit disable, allow or prefer). */
  public boolean weak() {
    return MODES.indexOf(mode) < MODES.indexOf("require");
  }

  /** The decoded value of {@code name} in the URL's query, or null when absent. */
  static String queryParameter(String url, String name) {
    String query = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url).getRawQuery();
    if (query == null) return null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
