package io.tracklane.backoffice.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.TestDatabase;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.devkit.Dynalite;
import io.tracklane.fixestable.FixesTableSchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One test's world: a fresh migrated database, a {@link TasksHandler} on it, and helpers to seed
 * users and routes with SQL and to call the handler like API Gateway does (after the authorizer).
 */
final class TaskTestKit implements AutoCloseable {
  static final Caller ADMIN = new Caller("admin-1", "admin");
  static final Caller MANAGER = new Caller("manager-1", "manager");
  static final Caller RIDER = new Caller("rider-1", "rider");
  static final Caller RIDER2 = new Caller("rider-2", "rider");
  static final String ROUTE = "route-1";

  final BackofficeContext ctx;
  final DynamoDbClient ddb;
  final TasksHandler handler;

  /** The fixes table. */
  final String table;

  /** The table this kit created (and drops), or null. */
  private final String ownTable;

  /** A response: status and parsed JSON body. */
  record Res(int status, JsonObject body, APIGatewayProxyResponseEvent raw) {
    String message() {
      return body.getString("message");
    }

    JsonArray items() {
      return body.getJsonArray("items");
    }

    /** The field names of a 400's errors. */
    List<String> errorFields() {
      List<String> fields = new ArrayList<>();
      JsonArray errors = body.getJsonArray("errors", new JsonArray());
      for (int i = 0; i < errors.size(); i++)
        fields.add(errors.getJsonObject(i).getString("field"));
      return fields;
    }
  }

  /** With a fresh fixes table on the shared dynalite (dropped on close). */
  TaskTestKit() {
    this(Map.of(), null);
  }

  /**
   * @param config extra settings
   * @param ddb a DynamoDB client whose {@code FIXES_TABLE} exists, or null for a fresh table on the
   *     shared dynalite
   */
  TaskTestKit(Map<String, String> config, DynamoDbClient ddb) {
    Map<String, String> values = new HashMap<>(config);
    if (ddb == null) {
      Dynalite dynalite = Dynalite.shared();
      ddb =
          FixHistory.client(
              BackofficeConfig.of(
                  Map.of(
                      BackofficeSettings.DYNAMODB_ENDPOINT.env(),
                      dynalite.endpoint(),
                      BackofficeSettings.AWS_REGION.env(),
                      "us-east-1")));
      ownTable = "fixes-" + UUID.randomUUID();
      createTableLikeTheGateway(ddb, ownTable);
      values.put(BackofficeSettings.FIXES_TABLE.env(), ownTable);
    } else {
      ownTable = null;
      values.putIfAbsent(BackofficeSettings.FIXES_TABLE.env(), "tracklane-fixes-test");
    }
    this.table = values.get(BackofficeSettings.FIXES_TABLE.env());
    this.ctx = TestDatabase.freshContext(values, Clock.systemUTC());
    this.ddb = ddb;
    this.handler = new TasksHandler(ctx, this.ddb);
    user(ADMIN);
    user(MANAGER);
    user(RIDER);
    user(RIDER2);
    route(ROUTE, 31.2304, 121.4737);
  }

  /** The gateway's TableBootstrap layout: key (taskId S, ts N), GSI byRider (riderId, ts). */
  static void createTableLikeTheGateway(DynamoDbClient ddb, String table) {
    ddb.createTable(FixesTableSchema.createTable(table));
  }

  /** Stores one fix as the gateway does, received 150 ms after its device time (sent live). */
  void putFix(String taskId, String riderId, long ts, double lat, double lon) {
    putFix(taskId, riderId, ts, lat, lon, ts + 150);
  }

  /**
   * Stores one fix as the gateway does, received by the gateway at {@code receivedAt} (epoch ms).
   */
  void putFix(String taskId, String riderId, long ts, double lat, double lon, long receivedAt) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("taskId", AttributeValue.fromS(taskId));
    item.put("ts", AttributeValue.fromN(Long.toString(ts)));
    item.put("riderId", AttributeValue.fromS(riderId));
    item.put("lat", AttributeValue.fromN(Double.toString(lat)));
    item.put("lon", AttributeValue.fromN(Double.toString(lon)));
    item.put("receivedAt", AttributeValue.fromN(Long.toString(receivedAt)));
    ddb.putItem(b -> b.tableName(table).item(item));
  }

  /**
   * Rides the task's route from its start to {@code fraction} of the way along its line (1 = to the
   * end), one fix per 10 s at about 5 m/s, ending now, each fix received as it is ridden. A ride
   * that ends now began minutes ago: the task's started_at moves back to its first fix, so
   * completion counts every fix (it ignores fixes timed before the start).
   */
  void ride(String taskId, String riderId, double fraction) {
    JsonObject geometry =
        (JsonObject)
            sql(
                    "SELECT r.geometry FROM tasks t JOIN routes r ON r.id = t.route_id "
                        + "WHERE t.id = $1",
                    taskId)
                .get(0)
                .getValue("geometry");
    List<GeoPoint> pts = new ArrayList<>();
    JsonArray coords = geometry.getJsonArray("coordinates");
    for (int i = 0; i < coords.size(); i++) {
      pts.add(
          GeoPoint.of(coords.getJsonArray(i).getDouble(1), coords.getJsonArray(i).getDouble(0)));
    }
    Polyline line = Polyline.of(pts);
    double end = line.lengthM() * fraction;
    int n = (int) Math.ceil(end / 50);
    long t0 = System.currentTimeMillis() - n * 10_000L;
    sql(
        "UPDATE tasks SET started_at = least(started_at, $2) WHERE id = $1",
        taskId,
        Instant.ofEpochMilli(t0).atOffset(java.time.ZoneOffset.UTC));
    for (int i = 0; i <= n; i++) {
      GeoPoint p = line.pointAt(Math.min(end, i * 50.0));
      putFix(taskId, riderId, t0 + i * 10_000L, p.lat(), p.lon());
    }
  }

  void user(Caller c) {
    sql(
        "INSERT INTO users (id, username, display_name, role, password_hash) VALUES ($1, $1, $1, $2, 'x')",
        c.userId(),
        c.role());
  }

  /** A current route starting at (lat, lon), heading a little north-east. */
  void route(String id, double lat, double lon) {
    JsonObject geometry =
        new JsonObject()
            .put("type", "LineString")
            .put(
                "coordinates",
                new JsonArray()
                    .add(new JsonArray().add(lon).add(lat))
                    .add(new JsonArray().add(lon + 0.01).add(lat + 0.01)));
    sql(
        "INSERT INTO routes (id, lineage_id, name, geometry, checkpoints, length_m) VALUES ($1, $1, $1, $2, '[]', 1500)",
        id,
        geometry);
  }

  List<DbRow> sql(String sql, Object... params) {
    return ctx.db().query(sql, params).list();
  }

  long count(String sql, Object... params) {
    return sql(sql, params).get(0).getLong(0);
  }

  // --- calling the handler -------------------------------------------------------------------

  Res call(APIGatewayProxyRequestEvent event) {
    APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
    String body = r.getBody();
    return new Res(
        r.getStatusCode(),
        body == null || body.isEmpty() ? new JsonObject() : new JsonObject(body),
        r);
  }

  Res call(
      String method,
      String resource,
      Map<String, String> path,
      Map<String, String> query,
      Object body,
      Caller caller) {
    String text = body == null ? null : body instanceof JsonObject o ? o.encode() : body.toString();
    APIGatewayProxyRequestEvent e = ApiEvents.event(method, resource, path, text, caller);
    if (query != null && !query.isEmpty()) e.setQueryStringParameters(query);
    return call(e);
  }

  Res post(String resource, String taskId, Caller caller) {
    return call("POST", resource, Map.of("taskId", taskId), null, null, caller);
  }

  Res claim(String taskId, Caller rider) {
    return post("/tasks/{taskId}/claim", taskId, rider);
  }

  Res start(String taskId, Caller rider) {
    return post("/tasks/{taskId}/start", taskId, rider);
  }

  /** Rides the whole route as {@code rider}, then completes the task as {@code rider}. */
  Res complete(String taskId, Caller rider) {
    ride(taskId, rider.userId(), 1.0);
    return completeOnly(taskId, rider, null);
  }

  /** POST /complete without riding first; {@code body} may be null. */
  Res completeOnly(String taskId, Caller caller, JsonObject body) {
    return call("POST", "/tasks/{taskId}/complete", Map.of("taskId", taskId), null, body, caller);
  }

  Res release(String taskId, Caller rider) {
    return post("/tasks/{taskId}/release", taskId, rider);
  }

  Res cancel(String taskId, Object body) {
    return call("POST", "/tasks/{taskId}/cancel", Map.of("taskId", taskId), null, body, ADMIN);
  }

  Res get(String taskId, Caller caller) {
    return call("GET", "/tasks/{taskId}", Map.of("taskId", taskId), null, null, caller);
  }

  Res list(Caller caller, Map<String, String> query) {
    return call("GET", "/tasks", Map.of(), query, null, caller);
  }

  Res create(JsonObject body) {
    return call("POST", "/tasks", Map.of(), null, body, ADMIN);
  }

  /** A valid create body on {@link #ROUTE} whose window runs from now - 1 min to now + 2 h. */
  static JsonObject taskBody(String title) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return new JsonObject()
        .put("routeId", ROUTE)
        .put("title", title)
        .put("description", "test task")
        .put("bonusAmount", "12.50")
        .put("bonusCurrency", "CNY")
        .put("windowStart", now.minus(Duration.ofMinutes(1)).toString())
        .put("windowEnd", now.plus(Duration.ofHours(2)).toString());
  }

  /** Creates a task (201 asserted) and returns its id. */
  String createTask(String title) {
    return createTask(taskBody(title));
  }

  String createTask(JsonObject body) {
    Res r = create(body);
    assertEquals(201, r.status(), () -> r.body().encode());
    return r.body().getString("id");
  }

  /**
   * A fixture from {@code src/test/resources/events}, with its {@code TASK_ID} placeholder
   * replaced.
   */
  static APIGatewayProxyRequestEvent fixture(String name, String taskId) {
    APIGatewayProxyRequestEvent e = EventLoader.loadApiGatewayRestEvent("events/" + name);
    if (taskId != null) {
      e.setPathParameters(Map.of("taskId", taskId));
      e.setPath(e.getPath().replace("TASK_ID", taskId));
    }
    return e;
  }

  @Override
  public void close() {
    if (ownTable != null) ddb.deleteTable(b -> b.tableName(ownTable));
    ctx.close();
    ddb.close();
  }
}
