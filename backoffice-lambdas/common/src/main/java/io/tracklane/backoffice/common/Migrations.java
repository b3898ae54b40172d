package io.tracklane.backoffice.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned SQL migrations: {@code db/migration/V<n>__<name>.sql} on the classpath, listed in
 * {@code db/migration/index.txt} (a jar cannot be listed portably). Applied in order, each in its
 * own transaction, under an advisory lock so concurrent starters don't race; a changed file that
 * was already applied is refused (its checksum differs).
 */
public final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_KEY = 0x7472616b6c616e65L; // "traklane"

  private Migrations() {}

  public record Migration(int version, String name, String sql) {
    String checksum() {
      return Integer.toHexString(sql.hashCode());
    }
  }

  public static List<Migration> onClasspath() {
    List<Migration> list = new ArrayList<>();
    String index = read("db/migration/index.txt");
    for (String line : index.split("\n")) {
      String file = line.trim();
      if (file.isEmpty() || file.startsWith("#")) continue;
      if (!file.matches("V\\d+__[A-Za-z0-9_]+\\.sql"))
        throw new IllegalStateException("bad migration file name " + file);
      int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
      if (!list.isEmpty() && list.get(list.size() - 1).version() >= version) {
        throw new IllegalStateException("migrations out of order at " + file);
      }
      list.add(new Migration(version, file, read("db/migration/" + file)));
    }
    return list;
  }

  /** Applies what is missing; returns the number applied. */
  public static int apply(Database db) {
    List<Migration> all = onClasspath();
    return db.withSession(
        sql -> {
          sql.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
          try {
            sql.query(
                "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, "
                    + "name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            int applied = 0;
            for (Migration m : all) {
              if (applyOne(sql, m)) applied++;
            }
            return applied;
          } finally {
            sql.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
          }
        });
  }

  /** Applies one migration in its own transaction; false when it was applied before. */
  private static boolean applyOne(SqlSession sql, Migration m) {
    DbRow had = sql.one("SELECT checksum FROM schema_version WHERE version = $1", m.version());
    if (had != null) {
      if (!had.getString(0).equals(m.checksum())) {
        throw new IllegalStateException(
            "migration "
                + m.name()
                + " was changed after it was applied; add a new migration instead");
      }
      return false;
    }
    log.info("applying migration {}", m.name());
    Connection conn = sql.connection();
    try {
      conn.setAutoCommit(false);
      try {
        sql.query(m.sql());
        sql.update(
            "INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)",
            m.version(),
            m.name(),
            m.checksum());
        conn.commit();
      } catch (RuntimeException e) {
        conn.rollback();
        throw new IllegalStateException("migration " + m.name() + " failed: " + e.getMessage(), e);
      } finally {
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
    return true;
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + resource);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
