package io.tracklane.localstack;

import io.tracklane.backoffice.auth.UserStore;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Database;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Demo data for the local stack: an admin, a manager, three riders, a route through central
 * Shanghai and open tasks on it. Idempotent: users are created if absent, the route once, and tasks
 * only while fewer than three are open.
 */
public final class DemoSeed {
  /** The riders the demo fleet simulator rides as. */
  public static final List<String> RIDERS = List.of("rider1", "rider2", "rider3");

  /** A rider the simulator leaves alone, for the banner's try-it commands. */
  public static final String TRY_IT_RIDER = "rider4";

  /** Open demo tasks kept at every start: one per simulated rider, and one for the try-it rider. */
  public static final int OPEN_TASKS = RIDERS.size() + 1;

  public static final String DEMO_ROUTE_ID = "demo-route-bund";

  /** People's Square → Nanjing Road → The Bund (lon, lat). */
  static final double[][] ROUTE = {
    {121.4737, 31.2304},
    {121.4768, 31.2338},
    {121.4810, 31.2355},
    {121.4855, 31.2373},
    {121.4902, 31.2394},
    {121.4906, 31.2360}
  };

  private DemoSeed() {}

  public record Seeded(
      Map<String, String> passwords,
      Map<String, String> userIds,
      String routeId,
      List<String> openTaskIds) {}

  /**
   * @param passwordFor the password of each demo user (generated per machine, never in code)
   */
  public static Seeded seed(BackofficeContext ctx, UnaryOperator<String> passwordFor) {
    Map<String, String> passwords = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    user(ctx, "admin", "Demo Admin", "admin", passwordFor, passwords, ids);
    user(ctx, "manager", "Demo Manager", "manager", passwordFor, passwords, ids);
    for (String r : RIDERS)
      user(ctx, r, "Rider " + r.substring(5), "rider", passwordFor, passwords, ids);
    user(
        ctx,
        TRY_IT_RIDER,
        "Rider " + TRY_IT_RIDER.substring(5),
        "rider",
        passwordFor,
        passwords,
        ids);

    List<GeoPoint> pts = new ArrayList<>();
    JsonArray coords = new JsonArray();
    for (double[] c : ROUTE) {
      pts.add(GeoPoint.fromLonLat(c[0], c[1]));
      coords.add(new JsonArray().add(c[0]).add(c[1]));
    }
    double length = Polyline.of(pts).lengthM();
    JsonObject geometry = new JsonObject().put("type", "LineString").put("coordinates", coords);
    JsonArray checkpoints =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("name", "Nanjing Road")
                    .put("lat", 31.2355)
                    .put("lon", 121.4810)
                    .put("radiusM", 60))
            .add(
                new JsonObject()
                    .put("name", "The Bund")
                    .put("lat", 31.2360)
                    .put("lon", 121.4906)
                    .put("radiusM", 60));
    Database db = ctx.db();
    db.update(
        "INSERT INTO routes (id, lineage_id, name, description, geometry, checkpoints, "
            + "length_m, created_by) VALUES ($1, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
        DEMO_ROUTE_ID,
        "People's Square to the Bund",
        "Demo route through central Shanghai",
        geometry,
        checkpoints,
        length,
        ids.get("admin"));

    int open =
        db.one("SELECT count(*) FROM tasks WHERE status = 'open' AND window_end > now()")
            .getInteger(0);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (int i = open; i < OPEN_TASKS; i++) {
      db.update(
          "INSERT INTO tasks (route_id, title, bonus_amount, bonus_currency, window_start, "
              + "window_end, created_by) VALUES ($1, $2, $3, 'CNY', $4, $5, $6)",
          DEMO_ROUTE_ID,
          "Demo delivery #" + (i + 1),
          new BigDecimal("18.00"),
          now.minusMinutes(5),
          now.plusHours(8),
          ids.get("admin"));
    }
    List<String> openIds = new ArrayList<>();
    db.query(
            "SELECT id FROM tasks WHERE status = 'open' AND window_end > now() ORDER BY created_at")
        .forEach(r -> openIds.add(r.getString(0)));
    return new Seeded(passwords, ids, DEMO_ROUTE_ID, openIds);
  }

  private static void user(
      BackofficeContext ctx,
      String username,
      String name,
      String role,
      UnaryOperator<String> passwordFor,
      Map<String, String> pw,
      Map<String, String> ids) {
    String password = passwordFor.apply(username);
    ids.put(username, UserStore.seedUser(ctx, username, name, role, password).id());
    pw.put(username, password);
  }
}
