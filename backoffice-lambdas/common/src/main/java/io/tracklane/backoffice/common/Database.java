package io.tracklane.backoffice.common;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tracklane.core.config.PgSsl;
import io.tracklane.core.config.Settings;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Postgres over JDBC (pgjdbc, a small HikariCP pool). Lambda runs one request at a time on its own
 * thread, so plain blocking calls suit it: no event loop, no reactive client. In AWS the URL points
 * at RDS Proxy, which pools across containers; the pool here only keeps this container's
 * connection(s) open between invocations.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * From {@code TRACKLANE_PG_URL} (postgresql://user:pass@host:port/db?sslmode=...); a password may
   * come from {@code TRACKLANE_PG_PASSWORD}, a CA bundle from {@code TRACKLANE_PG_SSL_ROOT_CERT}.
   */
  public static Database create(BackofficeConfig config) {
    Settings settings = config.read(BackofficeSettings.DATABASE);
    return connect(
        settings.get(BackofficeSettings.PG_URL),
        settings.get(BackofficeSettings.PG_PASSWORD),
        settings.get(BackofficeSettings.PG_POOL_SIZE),
        settings.get(BackofficeSettings.PG_SSL_ROOT_CERT));
  }

  /** A pool of at most {@code size} TLS connections ({@code sslmode=require}) to {@code url}. */
  public static Database connect(String url, String password, int size) {
    return connect(url, password, size, "");
  }

  /**
   * A pool of at most {@code size} connections to a {@code postgresql://} URL, secured as {@link
   * PgSsl#resolve} decides from the URL and the CA file {@code caFile} (empty = none).
   */
  public static Database connect(String url, String password, int size, String caFile) {
    HikariConfig hc = new HikariConfig();
    Properties props = new Properties();
    PgSsl ssl = PgSsl.resolve(url, caFile);
    if (ssl.weak()) {
      log.warn(
          "{} asks sslmode={}: connections to Postgres may travel unencrypted",
          BackofficeSettings.PG_URL.env(),
          ssl.mode());
    }
    hc.setJdbcUrl(jdbcUrl(url, props));
    // an sslmode in the URL stays there; otherwise these apply (pgjdbc's own default, prefer,
    // would fall back to plaintext)
    hc.addDataSourceProperty("sslmode", ssl.mode());
    if (!ssl.rootCert().isEmpty()) hc.addDataSourceProperty("sslrootcert", ssl.rootCert());
    if (props.containsKey("user")) hc.setUsername(props.getProperty("user"));
    if (props.containsKey("password")) hc.setPassword(props.getProperty("password"));
    if (password != null && !password.isEmpty()) hc.setPassword(password);
    hc.setMaximumPoolSize(size);
    // connect on first use, not at construction: a Lambda whose database is down still answers 5xx
    hc.setMinimumIdle(0);
    hc.setInitializationFailTimeout(-1);
    hc.setConnectionTimeout(10_000);
    hc.setPoolName("tracklane-pg");
    // by class, not through DriverManager: in a Lambda the driver sits in the layer's class loader
    hc.setDriverClassName(Driver.class.getName());
    // strings go over untyped, so Postgres infers uuid, jsonb, enums from the statement as before
    hc.addDataSourceProperty("stringtype", "unspecified");
    hc.addDataSourceProperty("ApplicationName", "tracklane-backoffice");
    return new Database(new HikariDataSource(hc));
  }

  /** {@code postgresql://user:pass@host:port/db?k=v} as a JDBC URL; user and password to props. */
  static String jdbcUrl(String url, Properties props) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new IllegalArgumentException("TRACKLANE_PG_URL must start with postgresql://");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      props.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
      if (colon >= 0) props.setProperty("password", decode(userInfo.substring(colon + 1)));
    }
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return "jdbc:postgresql://" + host + ":" + port + path + query;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** Work on one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(SqlSession sql);
  }

  /**
   * Runs {@code work} in one transaction on its own connection; commits on return, rolls back on
   * any exception (rethrown, with a failed rollback attached as suppressed).
   */
  public <T> T inTransaction(Work<T> work) {
    try (Connection conn = pool.getConnection()) {
      conn.setAutoCommit(false);
      T result;
      try {
        result = work.run(new SqlSession(conn));
      } catch (RuntimeException | Error e) {
        try {
          conn.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      }
      conn.commit();
      return result;
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** Runs {@code work} on one connection, each statement committed on its own. */
  public <T> T withSession(Work<T> work) {
    try (Connection conn = pool.getConnection()) {
      conn.setAutoCommit(true);
      return work.run(new SqlSession(conn));
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  /** One statement on its own ({@link SqlSession#query}). */
  public DbRows query(String sql, Object... args) {
    return withSession(s -> s.query(sql, args));
  }

  /** The first row of one statement, or null. */
  public DbRow one(String sql, Object... args) {
    return withSession(s -> s.one(sql, args));
  }

  /** One INSERT, UPDATE or DELETE on its own; the number of rows it touched. */
  public int update(String sql, Object... args) {
    return withSession(s -> s.update(sql, args));
  }

  @Override
  public void close() {
    pool.close();
  }
}
