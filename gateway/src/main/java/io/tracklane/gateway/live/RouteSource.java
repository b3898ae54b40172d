package io.tracklane.gateway.live;

import io.tracklane.core.progress.RouteGeometry;
import io.vertx.core.Future;

/** Where the route of a task comes from (the back office's Postgres). */
public interface RouteSource {

  /** No routes (no Postgres): live tracking publishes fixes but no progress. */
  RouteSource NONE = taskId -> Future.succeededFuture(null);

  /**
   * The route of {@code taskId}, or {@code null} when the task is unknown or has no usable route.
   * The future completes on the caller's Vert.x context.
   */
  Future<RouteGeometry> routeOf(String taskId);
}
