package io.tracklane.backoffice.routes;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.DbRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Users, tasks and request bodies shared by the routes tests. */
final class RoutesTestSupport {
  static final Caller ADMIN = new Caller("u-admin-1", "admin");
  static final Caller MANAGER = new Caller("u-manager-1", "manager");
  static final Caller RIDER = new Caller("u-rider-1", "rider");

  /** People's Square → Nanjing Road East → the Bund, Shanghai ([lon, lat]). */
  static final double[][] SHANGHAI = {
    {121.4737, 31.2304}, {121.4800, 31.2350}, {121.4900, 31.2400}
  };

  /** The WGS-84 geodesic length of {@link #SHANGHAI} (Vincenty): 1,889.86 m. */
  static final double SHANGHAI_GEODESIC_M = 1889.86;

  private RoutesTestSupport() {}

  /**
   * The users the tests act as (the routes table references users; the hash is never checked here).
   */
  static void insertUsers(BackofficeContext ctx) {
    for (Caller c : new Caller[] {ADMIN, MANAGER, RIDER}) {
      ctx.db()
          .update(
              "INSERT INTO users (id, username, display_name, role, password_hash) "
                  + "VALUES ($1, $2, $3, $4, 'not-a-real-hash')",
              c.userId(),
              c.userId(),
              c.userId(),
              c.role());
    }
  }

  /** A task on the route, straight into the table (the tasks unit is not a dependency). */
  static String insertTask(BackofficeContext ctx, String routeId, String status) {
    String rider = status.equals("open") ? null : RIDER.userId();
    DbRow row =
        ctx.db()
            .one(
                "INSERT INTO tasks (route_id, title, bonus_amount, "
                    + "bonus_currency, window_start, window_end, status, claimed_by) "
                    + "VALUES ($1, 'deliver', 12.50, 'CNY', now(), now() + interval '2 hours', $2, $3) RETURNING id",
                routeId,
                status,
                rider);
    return row.getString("id");
  }

  static JsonArray line(double[][] lonLats) {
    JsonArray coordinates = new JsonArray();
    for (double[] p : lonLats) {
      JsonArray position = new JsonArray();
      for (double v : p) position.add(v);
      coordinates.add(position);
    }
    return coordinates;
  }

  static JsonObject geometry(double[][] lonLats) {
    return new JsonObject().put("type", "LineString").put("coordinates", line(lonLats));
  }

  static JsonObject checkpoint(String name, double lat, double lon, double radiusM) {
    return new JsonObject()
        .put("name", name)
        .put("lat", lat)
        .put("lon", lon)
        .put("radiusM", radiusM);
  }

  /** A valid body: the Shanghai line with a checkpoint at each end. */
  static JsonObject shanghai(String name) {
    return new JsonObject()
        .put("name", name)
        .put("description", "People's Square to the Bund")
        .put("geometry", geometry(SHANGHAI))
        .put(
            "checkpoints",
            new JsonArray()
                .add(checkpoint("People's Square", 31.2304, 121.4737, 30))
                .add(checkpoint("The Bund", 31.2400, 121.4900, 50)));
  }

  static APIGatewayProxyRequestEvent event(
      String method, String resource, Map<String, String> path, JsonObject body, Caller caller) {
    return ApiEvents.event(method, resource, path, body == null ? null : body.encode(), caller);
  }

  static JsonObject json(APIGatewayProxyResponseEvent response) {
    return new JsonObject(response.getBody());
  }
}
