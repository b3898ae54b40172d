package io.tracklane.gateway.live;

import io.tracklane.core.progress.RouteGeometry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route of a task from the back office's Postgres: one query joining the task to the route
 * version it was created on. {@link LiveTracking} asks once per task and keeps the answer with the
 * task's tracker, so there is no cache here.
 */
public final class PgRouteSource implements RouteSource {
  private static final Logger log = LoggerFactory.getLogger(PgRouteSource.class);

  static final String QUERY =
      "SELECT r.id, r.geometry, r.checkpoints FROM tasks t JOIN routes r ON r.id = t.route_id "
          + "WHERE t.id = $1";

  private final Pool pool;

  public PgRouteSource(Pool pool) {
    this.pool = Objects.requireNonNull(pool);
  }

  @Override
  public Future<RouteGeometry> routeOf(String taskId) {
    Context caller = Vertx.currentContext();
    Future<RouteGeometry> route =
        pool.preparedQuery(QUERY)
            .execute(Tuple.of(taskId))
            .map(
                rows -> {
                  var it = rows.iterator();
                  return it.hasNext() ? parse(taskId, it.next()) : null;
                });
    if (caller == null) return route;
    // the pool may answer on another context: hand the answer back on the caller's
    Promise<RouteGeometry> onCaller = Promise.promise();
    route.onComplete(
        ar -> {
          if (Vertx.currentContext() == caller) {
            onCaller.handle(ar);
          } else {
            caller.runOnContext(v -> onCaller.handle(ar));
          }
        });
    return onCaller.future();
  }

  private static RouteGeometry parse(String taskId, Row row) {
    String routeId = row.getString("id");
    Object geometry = row.getValue("geometry");
    Object checkpoints = row.getValue("checkpoints");
    try {
      return RouteGeometry.fromGeoJson(
          routeId, (JsonObject) geometry, checkpoints instanceof JsonArray a ? a : new JsonArray());
    } catch (RuntimeException e) {
      // a route the engine cannot use: the task is still streamed live, without progress
      log.warn(
          "route {} of task {} is not usable for progress: {}", routeId, taskId, e.getMessage());
      return null;
    }
  }
}
