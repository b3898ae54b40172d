package io.tracklane.gateway.offers;

import io.tracklane.devkit.LocalPostgres;
import io.tracklane.gateway.access.PgTaskAccess;
import io.tracklane.gateway.it.GatewayHarness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real back-office database for gateway tests: a fresh database in the shared embedded Postgres
 * with the back office's own migrations applied (read from {@code backoffice-lambdas/common}, so
 * the tasks trigger under test is the one that ships), and the writes the tasks API makes.
 */
public final class BackOfficeDb implements AutoCloseable {
  public final String url;
  public final Pool pool;

  private BackOfficeDb(String url, Pool pool) {
    this.url = url;
    this.pool = pool;
  }

  public static BackOfficeDb create(String prefix) {
    String url =
        LocalPostgres.shared()
            .createDatabase(
                prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    BackOfficeDb db = new BackOfficeDb(url, PgTaskAccess.pool(GatewayHarness.testVertx(), url, 4));
    Path dir = migrationsDir();
    try {
      for (String line : Files.readAllLines(dir.resolve("index.txt"))) {
        String file = line.trim();
        if (file.isEmpty() || file.startsWith("#")) continue;
        await(db.pool.query(Files.readString(dir.resolve(file))).execute());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return db;
  }

  /** The back office's migrations, found from the module directory the tests run in. */
  static Path migrationsDir() {
    Path rel = Path.of("backoffice-lambdas/common/src/main/resources/db/migration");
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(rel))) return p.resolve(rel);
    }
    throw new IllegalStateException(
        "cannot find " + rel + " above " + Path.of("").toAbsolutePath());
  }

  public void user(String id, String role) {
    await(
        pool.preparedQuery(
                "INSERT INTO users (id, username, display_name, role, password_hash) "
                    + "VALUES ($1, $1, $1, $2, 'x')")
            .execute(Tuple.of(id, role)));
  }

  /** A straight route east from (lat, lon0), about {@code lengthM} long. */
  public String route(String name, double lat, double lon0, double lengthM) {
    double lon1 = lon0 + lengthM / (111_320.0 * Math.cos(Math.toRadians(lat)));
    JsonObject line =
        new JsonObject()
            .put("type", "LineString")
            .put(
                "coordinates",
                new JsonArray()
                    .add(new JsonArray().add(lon0).add(lat))
                    .add(new JsonArray().add(lon1).add(lat)));
    Row r =
        await(
                pool.preparedQuery(
                        "INSERT INTO routes (lineage_id, name, geometry, checkpoints, length_m) "
                            + "VALUES (gen_random_uuid()::text, $1, $2, '[]'::jsonb, $3) RETURNING id")
                    .execute(Tuple.of(name, line, lengthM)))
            .iterator()
            .next();
    return r.getString("id");
  }

  /**
   * Creates an open task as the tasks API does (INSERT, then its 'created' audit event, in one
   * transaction); returns its id once committed.
   */
  public String createTask(
      String routeId, String title, String bonus, String currency, int windowMinutes) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return await(
        pool.withTransaction(
            c ->
                c.preparedQuery(
                        "INSERT INTO tasks AS t (route_id, title, description, bonus_amount, "
                            + "bonus_currency, window_start, window_end, created_by) "
                            + "VALUES ($1, $2, NULL, $3, $4, $5, $6, NULL) RETURNING t.id")
                    .execute(
                        Tuple.of(
                            routeId,
                            title,
                            new BigDecimal(bonus),
                            currency,
                            now,
                            now.plusMinutes(windowMinutes)))
                    .compose(
                        rows -> {
                          String id = rows.iterator().next().getString("id");
                          return c.preparedQuery(
                                  "INSERT INTO task_events (task_id, type, from_status, to_status) "
                                      + "VALUES ($1, 'created', NULL, 'open')")
                              .execute(Tuple.of(id))
                              .map(id);
                        })));
  }

  /** {@code n} open tasks created in one statement (one commit, {@code n} notifications). */
  public List<String> createTasks(String routeId, String titlePrefix, int n) {
    RowSet<Row> rows =
        await(
            pool.preparedQuery(
                    "INSERT INTO tasks (route_id, title, bonus_amount, bonus_currency, window_start, "
                        + "window_end) SELECT $1, $2 || i, 1.00, 'CNY', now(), now() + interval '1 hour' "
                        + "FROM generate_series(1, $3) AS i RETURNING id")
                .execute(Tuple.of(routeId, titlePrefix, n)));
    List<String> ids = new ArrayList<>();
    for (Row r : rows) ids.add(r.getString("id"));
    return ids;
  }

  /** The claim's conditional UPDATE; true when this rider won. */
  public boolean claim(String taskId, String riderId) {
    return transition(
            taskId,
            "status = 'claimed', claimed_by = $2, claimed_at = now()",
            "status = 'open'",
            riderId)
        == 1;
  }

  public void release(String taskId, String riderId) {
    transition(
        taskId,
        "status = 'open', claimed_by = NULL, claimed_at = NULL",
        "status = 'claimed' AND claimed_by = $2",
        riderId);
  }

  public void start(String taskId, String riderId) {
    transition(
        taskId,
        "status = 'in_progress', started_at = now()",
        "status = 'claimed' AND claimed_by = $2",
        riderId);
  }

  public void cancel(String taskId) {
    transition(
        taskId,
        "status = 'cancelled', cancelled_at = now(), cancel_reason = 'test'",
        "status IN ('open', 'claimed') AND $2::text IS NULL",
        null);
  }

  private int transition(String taskId, String set, String where, String riderId) {
    RowSet<Row> rows =
        await(
            pool.preparedQuery(
                    "UPDATE tasks SET " + set + ", updated_at = now() WHERE id = $1 AND " + where)
                .execute(Tuple.of(taskId, riderId)));
    return rows.rowCount();
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    await(pool.close());
  }
}
