package io.tracklane.backoffice.routes;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.ApiRequest;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.DbRows;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.backoffice.common.QueryParams;
import io.tracklane.backoffice.common.Responses;
import io.tracklane.backoffice.common.SqlSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code routes} function: routes as a GeoJSON LineString plus ordered checkpoints.
 *
 * <p>A route row is one version. Versions of a route share {@code lineage_id}. A version that a
 * claimed or in-progress task rides is never changed under the rider: editing it inserts the next
 * version and marks the old one {@code superseded_by} the new one. Deletion is soft ({@code
 * deleted_at}) so tasks keep their foreign key. Who may call what is decided by the authorizer
 * ({@code Permissions}); this handler has no role logic.
 */
public class RoutesHandler extends ApiHandler {
  private static final Logger log = LoggerFactory.getLogger(RoutesHandler.class);
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;

  private static final String COLUMNS =
      "id, lineage_id, version, name, description, geometry, checkpoints, length_m, "
          + "superseded_by, deleted_at, created_at, updated_at";

  /** Task statuses that pin a route version: a rider has it. */
  private static final Set<String> RIDING = Set.of("claimed", "in_progress");

  /** Tasks that still need their route. */
  private static final String ACTIVE = "('open', 'claimed', 'in_progress')";

  private final BackofficeContext ctx;

  /** Lambda entry point: the init phase builds the shared context from the environment. */
  public RoutesHandler() {
    this(BackofficeContext.fromEnv());
  }

  public RoutesHandler(BackofficeContext ctx) {
    this.ctx = ctx;
    on("GET", "/routes", this::list);
    on("POST", "/routes", this::create);
    on("GET", "/routes/{routeId}", this::get);
    on("PUT", "/routes/{routeId}", this::update);
    on("DELETE", "/routes/{routeId}", this::delete);
  }

  // --- operations ----------------------------------------------------------------------------

  private APIGatewayProxyResponseEvent list(ApiRequest request) {
    QueryParams q = new QueryParams(request);
    int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    // the sort key (name, id) of the last route of the previous page
    List<String> after =
        q.cursor("cursor", c -> PageCursor.decode(c, PageCursor.ROUTES, 2), "GET /routes");
    q.throwIfInvalid();
    String sql =
        "SELECT id, lineage_id, version, name, description, length_m, "
            + "jsonb_array_length(geometry->'coordinates') AS point_count, jsonb_array_length(checkpoints) AS checkpoint_count, "
            + "created_at, updated_at FROM routes WHERE superseded_by IS NULL AND deleted_at IS NULL "
            + (after == null ? "" : "AND (name, id) > ($2, $3) ")
            + "ORDER BY name, id LIMIT $1";
    Object[] params =
        after == null
            ? new Object[] {limit + 1}
            : new Object[] {limit + 1, after.get(0), after.get(1)};
    DbRows rows = ctx.db().query(sql, params);
    JsonArray items = new JsonArray();
    DbRow last = null;
    int n = 0;
    for (DbRow r : rows) {
      if (n++ == limit) break;
      items.add(summary(r));
      last = r;
    }
    JsonObject page = new JsonObject().put("items", items);
    if (rows.size() > limit && last != null) {
      page.put(
          "nextCursor",
          PageCursor.encode(PageCursor.ROUTES, last.getString("name"), last.getString("id")));
    }
    return Responses.ok(page);
  }

  private APIGatewayProxyResponseEvent create(ApiRequest request) {
    RouteInput in = RouteInput.parse(request.jsonBody());
    String userId = request.caller().userId();
    String id = UUID.randomUUID().toString();
    OffsetDateTime now = now();
    DbRow row =
        ctx.db()
            .one(
                "INSERT INTO routes (id, lineage_id, version, name, description, geometry, checkpoints, length_m, "
                    + "created_by, created_at, updated_at) VALUES ($1, $1, 1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING "
                    + COLUMNS,
                id,
                in.name(),
                in.description(),
                in.geometry(),
                in.checkpoints(),
                in.lengthM(),
                userId,
                now);
    log.info("route {} created by {}", id, userId);
    return created(withWarnings(route(row), in));
  }

  private APIGatewayProxyResponseEvent get(ApiRequest request) {
    String id = request.pathParam("routeId");
    DbRow row = ctx.db().one("SELECT " + COLUMNS + " FROM routes WHERE id = $1", id);
    if (row == null || row.getValue("deleted_at") != null) throw notFound(id);
    return Responses.ok(route(row));
  }

  private APIGatewayProxyResponseEvent update(ApiRequest request) {
    RouteInput in = RouteInput.parse(request.jsonBody());
    String userId = request.caller().userId();
    String id = request.pathParam("routeId");
    return inTransaction(
        sql -> {
          DbRow current = lockEditable(sql, id, "edited");
          // Lock the route's unfinished tasks too: a claim racing with this edit waits for it, then
          // rides whatever this transaction leaves behind.
          DbRows tasks =
              sql.query(
                  "SELECT id, status FROM tasks WHERE route_id = $1 "
                      + "AND status IN "
                      + ACTIVE
                      + " ORDER BY id FOR UPDATE",
                  id);
          boolean ridden = false;
          for (DbRow t : tasks) {
            if (RIDING.contains(t.getString("status"))) ridden = true;
          }
          OffsetDateTime now = now();
          if (!ridden) {
            DbRow row =
                sql.one(
                    "UPDATE routes SET name = $2, description = $3, geometry = $4, "
                        + "checkpoints = $5, length_m = $6, updated_at = $7 WHERE id = $1 RETURNING "
                        + COLUMNS,
                    id,
                    in.name(),
                    in.description(),
                    in.geometry(),
                    in.checkpoints(),
                    in.lengthM(),
                    now);
            log.info("route {} updated in place by {}", id, userId);
            return Responses.ok(withWarnings(route(row), in));
          }
          String newId = UUID.randomUUID().toString();
          DbRow row =
              sql.one(
                  "INSERT INTO routes (id, lineage_id, version, name, description, geometry, checkpoints, length_m, "
                      + "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING "
                      + COLUMNS,
                  newId,
                  current.getString("lineage_id"),
                  current.getInteger("version") + 1,
                  in.name(),
                  in.description(),
                  in.geometry(),
                  in.checkpoints(),
                  in.lengthM(),
                  userId,
                  now);
          sql.update(
              "UPDATE routes SET superseded_by = $2, updated_at = $3 WHERE id = $1",
              id,
              newId,
              now);
          // Tasks nobody has claimed yet follow the edit; claimed and running ones keep the route
          // they were given.
          sql.update(
              "WITH moved AS (UPDATE tasks SET route_id = $2, updated_at = $3 "
                  + "WHERE route_id = $1 AND status = 'open' RETURNING id) "
                  + "INSERT INTO task_events (task_id, type, from_status, to_status, actor_id, details, at) "
                  + "SELECT id, 'route_updated', 'open', 'open', $4, jsonb_build_object('fromRouteId', $1::text, "
                  + "'toRouteId', $2::text), $3 FROM moved",
              id,
              newId,
              now,
              userId);
          log.info(
              "route {} superseded by version {} ({}) by {}: a task is riding it",
              id,
              row.getInteger("version"),
              newId,
              userId);
          return created(withWarnings(route(row).put("supersedes", id), in));
        });
  }

  private APIGatewayProxyResponseEvent delete(ApiRequest request) {
    String userId = request.caller().userId();
    String id = request.pathParam("routeId");
    return inTransaction(
        sql -> {
          lockEditable(sql, id, "deleted");
          DbRows active =
              sql.query(
                  "SELECT id, count(*) OVER () AS n FROM tasks "
                      + "WHERE route_id = $1 AND status IN "
                      + ACTIVE
                      + " ORDER BY created_at, id LIMIT 5",
                  id);
          if (active.size() > 0) {
            List<String> ids = new ArrayList<>();
            long n = 0;
            for (DbRow t : active) {
              ids.add(t.getString("id"));
              n = t.getLong("n");
            }
            throw ApiException.conflict(
                "route "
                    + id
                    + " is used by "
                    + n
                    + " active task"
                    + (n == 1 ? "" : "s")
                    + " (open, claimed or in progress): "
                    + String.join(", ", ids)
                    + (n > ids.size() ? ", …" : "")
                    + "; cancel or finish them first");
          }
          sql.update("UPDATE routes SET deleted_at = $2, updated_at = $2 WHERE id = $1", id, now());
          log.info("route {} deleted by {}", id, userId);
          return Responses.noContent();
        });
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * The route row, locked; 404 if missing, 409 if deleted or superseded (naming the current
   * version).
   */
  private DbRow lockEditable(SqlSession sql, String id, String verb) {
    DbRow row = sql.one("SELECT " + COLUMNS + " FROM routes WHERE id = $1 FOR UPDATE", id);
    if (row == null) throw notFound(id);
    if (row.getValue("deleted_at") != null) {
      throw ApiException.conflict(
          "route "
              + id
              + " was "
              + ("deleted".equals(verb) ? "already " : "")
              + "deleted at "
              + instant(row, "deleted_at")
              + ("deleted".equals(verb) ? "" : " and cannot be " + verb));
    }
    String newer = row.getString("superseded_by");
    if (newer != null) {
      DbRow head =
          sql.one(
              "SELECT id, version, deleted_at FROM routes "
                  + "WHERE lineage_id = $1 AND superseded_by IS NULL",
              row.getString("lineage_id"));
      String message =
          "route "
              + id
              + " (version "
              + row.getInteger("version")
              + ") was superseded by "
              + newer
              + " and cannot be "
              + verb;
      if (head != null && head.getValue("deleted_at") == null) {
        message +=
            "; the current version is "
                + head.getString("id")
                + " (version "
                + head.getInteger("version")
                + ")";
      } else {
        message += "; the route has since been deleted";
      }
      throw ApiException.conflict(message);
    }
    return row;
  }

  /** Runs {@code work} in one transaction (see {@link Database#inTransaction}). */
  private <T> T inTransaction(Database.Work<T> work) {
    return ctx.db().inTransaction(work);
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(ctx.clock()).withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("no route " + id);
  }

  private static APIGatewayProxyResponseEvent created(JsonObject route) {
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(201)
        .withHeaders(
            Map.of(
                "Content-Type", "application/json", "Location", "/routes/" + route.getString("id")))
        .withBody(route.encode());
  }

  /**
   * A saved route with {@code warnings} (checkpoint radii below the documented minimum), if any.
   */
  private static JsonObject withWarnings(JsonObject route, RouteInput in) {
    JsonArray warnings = CheckpointRadiusWarnings.of(in.checkpoints());
    return warnings.isEmpty() ? route : route.put("warnings", warnings);
  }

  /** The API form of a route row. */
  static JsonObject route(DbRow r) {
    JsonObject o =
        new JsonObject()
            .put("id", r.getString("id"))
            .put("lineageId", r.getString("lineage_id"))
            .put("version", r.getInteger("version"))
            .put("name", r.getString("name"));
    if (r.getString("description") != null) o.put("description", r.getString("description"));
    o.put("geometry", r.getJsonObject("geometry"))
        .put("checkpoints", r.getJsonArray("checkpoints"))
        .put("lengthM", r.getDouble("length_m"))
        .put("createdAt", instant(r, "created_at"))
        .put("updatedAt", instant(r, "updated_at"));
    if (r.getString("superseded_by") != null) o.put("supersededBy", r.getString("superseded_by"));
    return o;
  }

  /**
   * The list form: no geometry (a page of full routes could exceed Lambda's 6 MB response limit).
   */
  private static JsonObject summary(DbRow r) {
    JsonObject o =
        new JsonObject()
            .put("id", r.getString("id"))
            .put("lineageId", r.getString("lineage_id"))
            .put("version", r.getInteger("version"))
            .put("name", r.getString("name"));
    if (r.getString("description") != null) o.put("description", r.getString("description"));
    return o.put("lengthM", r.getDouble("length_m"))
        .put("pointCount", r.getInteger("point_count"))
        .put("checkpointCount", r.getInteger("checkpoint_count"))
        .put("createdAt", instant(r, "created_at"))
        .put("updatedAt", instant(r, "updated_at"));
  }

  private static String instant(DbRow r, String column) {
    return r.getOffsetDateTime(column).toInstant().toString();
  }
}
