package io.tracklane.backoffice.common;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

  /** Applies what is missing; completes with the number applied. */
  public static Future<Integer> apply(Pool pool) {
    List<Migration> all = onClasspath();
    return pool.withConnection(
        conn ->
            conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")")
                .execute()
                .compose(
                    v ->
                        conn.query(
                                "CREATE TABLE IF NOT EXISTS schema_version (version int PRIMARY KEY, "
                                    + "name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
                            .execute())
                .compose(v -> applyFrom(conn, all, 0, 0))
                .eventually(
                    () -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute()));
  }

  private static Future<Integer> applyFrom(
      SqlConnection conn, List<Migration> all, int i, int applied) {
    if (i == all.size()) return Future.succeededFuture(applied);
    Migration m = all.get(i);
    return conn.preparedQuery("SELECT checksum FROM schema_version WHERE version = $1")
        .execute(Tuple.of(m.version()))
        .compose(
            rows -> {
              if (rows.size() > 0) {
                String had = rows.iterator().next().getString(0);
                if (!had.equals(m.checksum())) {
                  return Future.failedFuture(
                      new IllegalStateException(
                          "migration "
                              + m.name()
                              + " was changed after it was applied; add a new migration instead"));
                }
                return applyFrom(conn, all, i + 1, applied);
              }
              log.info("applying migration {}", m.name());
              return conn.begin()
                  .compose(
                      tx ->
                          conn.query(m.sql())
                              .execute()
                              .compose(
                                  r ->
                                      conn.preparedQuery(
                                              "INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)")
                                          .execute(Tuple.of(m.version(), m.name(), m.checksum())))
                              .compose(r -> tx.commit())
                              .recover(
                                  err ->
                                      tx.rollback()
                                          .transform(
                                              x ->
                                                  Future.failedFuture(
                                                      new IllegalStateException(
                                                          "migration "
                                                              + m.name()
                                                              + " failed: "
                                                              + err.getMessage(),
                                                          err)))))
                  .compose(v -> applyFrom(conn, all, i + 1, applied + 1));
            });
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
