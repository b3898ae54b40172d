package io.tracklane.gateway.offers;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Open tasks from the back office's Postgres, with the rule of the tasks API ({@code TaskQueries}):
 * a rider sees a task while it is {@code open} and its {@code window_end} has not passed. Every
 * rider sees every such task, so the pool is the same for all. The route's start is the first
 * position of its GeoJSON LineString, when numeric.
 */
public final class PgOfferSource implements OfferSource {
  static final String SELECT =
      "SELECT t.id, t.title, t.bonus_amount::text AS bonus_amount, "
          + "t.bonus_currency::text AS bonus_currency, t.window_start, t.window_end, "
          + "r.id AS route_id, r.name AS route_name, r.length_m, "
          + "CASE WHEN jsonb_typeof(r.geometry #> '{coordinates,0,0}') = 'number' "
          + "AND jsonb_typeof(r.geometry #> '{coordinates,0,1}') = 'number' "
          + "THEN (r.geometry #>> '{coordinates,0,1}')::float8 END AS start_lat, "
          + "CASE WHEN jsonb_typeof(r.geometry #> '{coordinates,0,0}') = 'number' "
          + "AND jsonb_typeof(r.geometry #> '{coordinates,0,1}') = 'number' "
          + "THEN (r.geometry #>> '{coordinates,0,0}')::float8 END AS start_lon "
          + "FROM tasks t JOIN routes r ON r.id = t.route_id "
          + "WHERE t.status = 'open' AND t.window_end > now()";

  static final String ONE = SELECT + " AND t.id = $1";
  static final String ALL = SELECT + " ORDER BY t.created_at, t.id";

  private final Pool pool;

  public PgOfferSource(Pool pool) {
    this.pool = Objects.requireNonNull(pool);
  }

  @Override
  public Future<Offer> openTask(String taskId) {
    return pool.preparedQuery(ONE)
        .execute(Tuple.of(taskId))
        .map(
            rows -> {
              var it = rows.iterator();
              return it.hasNext() ? offer(it.next()) : null;
            });
  }

  @Override
  public Future<List<Offer>> openTasks() {
    return pool.query(ALL)
        .execute()
        .map(
            rows -> {
              List<Offer> all = new ArrayList<>(rows.size());
              for (Row r : rows) all.add(offer(r));
              return all;
            });
  }

  private static Offer offer(Row r) {
    return new Offer(
        r.getString("id"),
        r.getString("title"),
        r.getString("bonus_amount"),
        r.getString("bonus_currency"),
        r.get(OffsetDateTime.class, "window_start").toInstant(),
        r.get(OffsetDateTime.class, "window_end").toInstant(),
        r.getString("route_id"),
        r.getString("route_name"),
        r.getDouble("length_m"),
        r.getDouble("start_lat"),
        r.getDouble("start_lon"));
  }
}
