package io.tracklane.backoffice.routes;

import static io.tracklane.backoffice.routes.RoutesTestSupport.ADMIN;
import static io.tracklane.backoffice.routes.RoutesTestSupport.MANAGER;
import static io.tracklane.backoffice.routes.RoutesTestSupport.RIDER;
import static io.tracklane.backoffice.routes.RoutesTestSupport.SHANGHAI_GEODESIC_M;
import static io.tracklane.backoffice.routes.RoutesTestSupport.checkpoint;
import static io.tracklane.backoffice.routes.RoutesTestSupport.event;
import static io.tracklane.backoffice.routes.RoutesTestSupport.insertTask;
import static io.tracklane.backoffice.routes.RoutesTestSupport.json;
import static io.tracklane.backoffice.routes.RoutesTestSupport.shanghai;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routes function against a real (embedded) Postgres, with events as API Gateway builds them.
 */
class RoutesHandlerTest {
  private BackofficeContext ctx;
  private RoutesHandler handler;

  @BeforeEach
  void setUp() {
    ctx = TestDatabase.freshContext();
    RoutesTestSupport.insertUsers(ctx);
    handler = new RoutesHandler(ctx);
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  private APIGatewayProxyResponseEvent call(
      String method, String resource, Map<String, String> path, JsonObject body, Caller caller) {
    return handler.handleRequest(event(method, resource, path, body, caller), null);
  }

  private JsonObject create(JsonObject body) {
    APIGatewayProxyResponseEvent r = call("POST", "/routes", Map.of(), body, ADMIN);
    assertEquals(201, r.getStatusCode(), r.getBody());
    return json(r);
  }

  private APIGatewayProxyResponseEvent get(String id, Caller caller) {
    return call("GET", "/routes/{routeId}", Map.of("routeId", id), null, caller);
  }

  private APIGatewayProxyResponseEvent put(String id, JsonObject body) {
    return call("PUT", "/routes/{routeId}", Map.of("routeId", id), body, ADMIN);
  }

  private APIGatewayProxyResponseEvent delete(String id) {
    return call("DELETE", "/routes/{routeId}", Map.of("routeId", id), null, ADMIN);
  }

  private APIGatewayProxyResponseEvent list(Map<String, String> query) {
    APIGatewayProxyRequestEvent e = event("GET", "/routes", Map.of(), null, MANAGER);
    e.setQueryStringParameters(query);
    return handler.handleRequest(e, null);
  }

  private DbRow row(String id) {
    return ctx.db().one("SELECT * FROM routes WHERE id = $1", id);
  }

  @Test
  void servesTheFiveOperations() {
    assertEquals(
        java.util.Set.of(
            "GET /routes",
            "POST /routes",
            "GET /routes/{routeId}",
            "PUT /routes/{routeId}",
            "DELETE /routes/{routeId}"),
        handler.operations());
  }

  @Test
  void createComputesTheLengthAndStoresTheRoute() {
    APIGatewayProxyResponseEvent r =
        call("POST", "/routes", Map.of(), shanghai("Nanjing Road"), ADMIN);
    assertEquals(201, r.getStatusCode(), r.getBody());
    JsonObject route = json(r);
    String id = route.getString("id");
    assertEquals("/routes/" + id, r.getHeaders().get("Location"));
    assertEquals(id, route.getString("lineageId"));
    assertEquals(1, route.getInteger("version"));
    assertEquals("Nanjing Road", route.getString("name"));
    assertEquals("People's Square to the Bund", route.getString("description"));
    double length = route.getDouble("lengthM");
    assertEquals(
        SHANGHAI_GEODESIC_M,
        length,
        SHANGHAI_GEODESIC_M * 0.005,
        "within 0.5 % of the WGS-84 geodesic");
    assertEquals(1889.05, length, 0.01, "haversine on the mean-radius sphere");
    assertEquals("LineString", route.getJsonObject("geometry").getString("type"));
    assertEquals(
        121.4737,
        route.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0).getDouble(0));
    assertEquals(2, route.getJsonArray("checkpoints").size());
    assertEquals("The Bund", route.getJsonArray("checkpoints").getJsonObject(1).getString("name"));
    assertEquals(50.0, route.getJsonArray("checkpoints").getJsonObject(1).getDouble("radiusM"));
    Instant created = Instant.parse(route.getString("createdAt"));
    assertEquals(created, Instant.parse(route.getString("updatedAt")));
    assertFalse(route.containsKey("supersededBy"));

    DbRow row = row(id);
    assertEquals(length, row.getDouble("length_m"));
    assertEquals(ADMIN.userId(), row.getString("created_by"));
    assertEquals(route.getJsonObject("geometry"), row.getJsonObject("geometry"));

    // The 30 m radius is below the documented minimum for riders at the expected speed: saved,
    // with a warning in the response only.
    io.vertx.core.json.JsonArray warnings = (io.vertx.core.json.JsonArray) route.remove("warnings");
    assertEquals(1, warnings.size(), "" + warnings);
    assertEquals("checkpoints[0].radiusM", warnings.getJsonObject(0).getString("field"));

    APIGatewayProxyResponseEvent got = get(id, ADMIN);
    assertEquals(200, got.getStatusCode());
    assertEquals(route, json(got));
  }

  @Test
  void acceptsAltitudesAndNoCheckpointsAndKeepsPositionsAsGiven() {
    JsonObject body =
        new JsonObject()
            .put("name", "With altitude")
            .put(
                "geometry",
                new JsonObject()
                    .put("type", "LineString")
                    .put(
                        "coordinates",
                        new JsonArray()
                            .add(new JsonArray().add(121.4737).add(31.2304).add(4.5))
                            .add(new JsonArray().add(121.4737).add(31.2304).add(4.5))
                            .add(new JsonArray().add(121.49).add(31.24).add(12))))
            .put("checkpoints", new JsonArray());
    JsonObject route = create(body);
    assertEquals(body.getJsonObject("geometry"), route.getJsonObject("geometry"));
    assertEquals(1881.82, route.getDouble("lengthM"), 0.01);
    assertFalse(route.containsKey("description"));
  }

  @Test
  void ridersAndManagersMayReadARoute() {
    String id = create(shanghai("Read me")).getString("id");
    assertEquals(200, get(id, RIDER).getStatusCode());
    assertEquals(200, get(id, MANAGER).getStatusCode());
    APIGatewayProxyResponseEvent missing = get("no-such-route", RIDER);
    assertEquals(404, missing.getStatusCode());
    assertEquals("not_found", json(missing).getString("error"));
  }

  @Test
  void aCallWithoutAuthorizerContextIsUnauthorized() {
    APIGatewayProxyResponseEvent r = call("POST", "/routes", Map.of(), shanghai("x"), null);
    assertEquals(401, r.getStatusCode());
  }

  @Test
  void updateInPlaceWhenNoTaskRidesTheRoute() {
    JsonObject created = create(shanghai("Before"));
    String id = created.getString("id");
    // An open task does not pin the route: nobody is riding it yet.
    insertTask(ctx, id, "open");
    insertTask(ctx, id, "completed");
    JsonObject body = shanghai("After");
    body.getJsonObject("geometry").getJsonArray("coordinates").remove(1);
    body.remove("description");
    APIGatewayProxyResponseEvent r = put(id, body);
    assertEquals(200, r.getStatusCode(), r.getBody());
    JsonObject route = json(r);
    assertEquals(id, route.getString("id"));
    assertEquals(1, route.getInteger("version"));
    assertEquals("After", route.getString("name"));
    assertFalse(
        route.containsKey("description"), "PUT replaces: an omitted description is cleared");
    assertEquals(1881.82, route.getDouble("lengthM"), 0.01);
    assertEquals(created.getString("createdAt"), route.getString("createdAt"));
    assertNull(row(id).getString("description"));
    assertEquals(1L, count("SELECT count(*) FROM routes"));
  }

  @Test
  void updateOfARouteATaskIsRidingCreatesTheNextVersion() {
    JsonObject v1 = create(shanghai("Ridden"));
    String id = v1.getString("id");
    String task = insertTask(ctx, id, "in_progress");
    String waiting = insertTask(ctx, id, "open");

    APIGatewayProxyResponseEvent r = put(id, shanghai("Ridden, rerouted"));
    assertEquals(201, r.getStatusCode(), r.getBody());
    JsonObject v2 = json(r);
    String newId = v2.getString("id");
    assertNotEquals(id, newId);
    assertEquals("/routes/" + newId, r.getHeaders().get("Location"));
    assertEquals(id, v2.getString("supersedes"));
    assertEquals(id, v2.getString("lineageId"));
    assertEquals(2, v2.getInteger("version"));
    assertEquals("Ridden, rerouted", v2.getString("name"));

    // The rider's version is untouched apart from the pointer to its successor.
    JsonObject old = json(get(id, RIDER));
    assertEquals("Ridden", old.getString("name"));
    assertEquals(newId, old.getString("supersededBy"));
    assertEquals(v1.getJsonObject("geometry"), old.getJsonObject("geometry"));
    assertEquals(id, ctx.db().one("SELECT route_id FROM tasks WHERE id = $1", task).getString(0));
    // An open task nobody claimed yet follows the edit, and says so in its audit trail.
    assertEquals(
        newId, ctx.db().one("SELECT route_id FROM tasks WHERE id = $1", waiting).getString(0));
    assertEquals(
        1L,
        count(
            "SELECT count(*) FROM task_events WHERE type = 'route_updated' AND task_id = '"
                + waiting
                + "'"));

    // Only the current version is listed; the superseded one can be neither edited nor deleted.
    JsonArray items = json(list(null)).getJsonArray("items");
    assertEquals(1, items.size());
    assertEquals(newId, items.getJsonObject(0).getString("id"));
    APIGatewayProxyResponseEvent again = put(id, shanghai("Edit the old one"));
    assertEquals(409, again.getStatusCode());
    assertTrue(json(again).getString("message").contains(newId), again.getBody());
    APIGatewayProxyResponseEvent del = delete(id);
    assertEquals(409, del.getStatusCode());
    assertTrue(json(del).getString("message").contains(newId), del.getBody());

    // The new version, not ridden by anyone, is edited in place.
    APIGatewayProxyResponseEvent inPlace = put(newId, shanghai("Ridden, rerouted twice"));
    assertEquals(200, inPlace.getStatusCode(), inPlace.getBody());
    assertEquals(2, json(inPlace).getInteger("version"));
  }

  @Test
  void aClaimedTaskPinsTheRouteToo() {
    String id = create(shanghai("Claimed")).getString("id");
    insertTask(ctx, id, "claimed");
    APIGatewayProxyResponseEvent r = put(id, shanghai("Claimed v2"));
    assertEquals(201, r.getStatusCode(), r.getBody());
    String v2 = json(r).getString("id");
    insertTask(ctx, v2, "in_progress");
    APIGatewayProxyResponseEvent v3 = put(v2, shanghai("Claimed v3"));
    assertEquals(201, v3.getStatusCode());
    assertEquals(3, json(v3).getInteger("version"));
    // Editing version 1 now names the current head of the lineage.
    APIGatewayProxyResponseEvent stale = put(id, shanghai("stale"));
    assertEquals(409, stale.getStatusCode());
    String message = json(stale).getString("message");
    assertTrue(message.contains(v2) && message.contains(json(v3).getString("id")), message);
  }

  @Test
  void concurrentEditsOfARiddenRouteMakeExactlyOneNewVersion() throws Exception {
    String id = create(shanghai("Contended")).getString("id");
    insertTask(ctx, id, "in_progress");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<APIGatewayProxyResponseEvent>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String name = "Edit " + i;
        Callable<APIGatewayProxyResponseEvent> edit =
            () -> {
              start.await();
              return put(id, shanghai(name));
            };
        results.add(pool.submit(edit));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (var f : results) statuses.add(f.get().getStatusCode());
      statuses.sort(null);
      assertEquals(List.of(201, 409), statuses);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2L, count("SELECT count(*) FROM routes"));
  }

  @Test
  void deleteIsSoftAndRefusedWhileATaskNeedsTheRoute() {
    String used = create(shanghai("Used")).getString("id");
    String openTask = insertTask(ctx, used, "open");
    APIGatewayProxyResponseEvent refused = delete(used);
    assertEquals(409, refused.getStatusCode());
    assertEquals("conflict", json(refused).getString("error"));
    assertTrue(json(refused).getString("message").contains(openTask), refused.getBody());
    assertEquals(200, get(used, ADMIN).getStatusCode());

    String done = create(shanghai("Done with")).getString("id");
    insertTask(ctx, done, "completed");
    insertTask(ctx, done, "cancelled");
    APIGatewayProxyResponseEvent ok = delete(done);
    assertEquals(204, ok.getStatusCode());
    assertNull(ok.getBody());
    assertNotNull(row(done).getValue("deleted_at"), "the row stays (tasks reference it)");
    assertEquals(404, get(done, ADMIN).getStatusCode());
    assertEquals(409, delete(done).getStatusCode());
    APIGatewayProxyResponseEvent edit = put(done, shanghai("Revive"));
    assertEquals(409, edit.getStatusCode());
    assertTrue(json(edit).getString("message").contains("deleted"), edit.getBody());
    assertEquals(404, delete("no-such-route").getStatusCode());
    JsonArray items = json(list(null)).getJsonArray("items");
    assertEquals(1, items.size());
    assertEquals(used, items.getJsonObject(0).getString("id"));
  }

  @Test
  void listPagesThroughCurrentRoutesByName() {
    List<String> names = List.of("Echo", "alpha", "Delta", "Bravo", "Charlie", "Foxtrot", "Golf");
    Map<String, String> ids = new HashMap<>();
    for (String n : names) ids.put(n, create(shanghai(n)).getString("id"));
    assertEquals(204, delete(ids.get("Golf")).getStatusCode());
    insertTask(ctx, ids.get("Foxtrot"), "in_progress");
    String foxtrot2 = json(put(ids.get("Foxtrot"), shanghai("Foxtrot"))).getString("id");

    List<String> seen = new ArrayList<>();
    List<String> seenIds = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> q = new HashMap<>();
      q.put("limit", "2");
      if (cursor != null) q.put("cursor", cursor);
      APIGatewayProxyResponseEvent r = list(q);
      assertEquals(200, r.getStatusCode(), r.getBody());
      JsonObject page = json(r);
      JsonArray items = page.getJsonArray("items");
      assertTrue(items.size() <= 2);
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.getJsonObject(i);
        seen.add(item.getString("name"));
        seenIds.add(item.getString("id"));
        assertFalse(item.containsKey("geometry"), "summaries only");
        assertEquals(3, item.getInteger("pointCount"));
        assertEquals(2, item.getInteger("checkpointCount"));
        assertEquals(1889.05, item.getDouble("lengthM"), 0.01);
      }
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    List<String> expected =
        new ArrayList<>(List.of("Echo", "alpha", "Delta", "Bravo", "Charlie", "Foxtrot"));
    assertEquals(sortedAsTheDatabaseDoes(expected), seen);
    assertEquals(3, pages);
    assertTrue(seenIds.contains(foxtrot2) && !seenIds.contains(ids.get("Foxtrot")));

    JsonObject all = json(list(null));
    assertEquals(6, all.getJsonArray("items").size());
    assertFalse(all.containsKey("nextCursor"));
    JsonObject exact = json(list(Map.of("limit", "6")));
    assertFalse(exact.containsKey("nextCursor"), "no empty last page");
  }

  private List<String> sortedAsTheDatabaseDoes(List<String> names) {
    List<String> out = new ArrayList<>();
    ctx.db()
        .query("SELECT n FROM unnest($1::text[]) AS n ORDER BY n", names)
        .forEach(r -> out.add(r.getString(0)));
    return out;
  }

  @Test
  void listRejectsABadLimitOrCursor() {
    for (String bad : List.of("0", "201", "-1", "ten", "1.5")) {
      APIGatewayProxyResponseEvent r = list(Map.of("limit", bad));
      assertEquals(400, r.getStatusCode(), bad);
      assertEquals("limit", json(r).getJsonArray("errors").getJsonObject(0).getString("field"));
    }
    assertEquals(200, list(Map.of("limit", "200")).getStatusCode());
    for (String bad :
        List.of(
            "not base64!",
            "bm90IGpzb24",
            java.util.Base64.getUrlEncoder()
                .encodeToString(
                    "{\"name\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
      APIGatewayProxyResponseEvent r = list(Map.of("cursor", bad));
      assertEquals(400, r.getStatusCode(), bad);
      assertEquals("cursor", json(r).getJsonArray("errors").getJsonObject(0).getString("field"));
    }
  }

  @Test
  void sqlMetacharactersAreStoredVerbatim() {
    String name = "Robert'); DROP TABLE routes; -- \"quoted\" $1 %_ \\";
    String description =
        "'; DELETE FROM tasks WHERE '1'='1 /* comment */ E'\\x41' $$dollar$$ ; 上海 🚴";
    String cpName = "O'Brien's \"corner\"; --";
    JsonObject body = shanghai(name).put("description", description);
    body.getJsonArray("checkpoints").getJsonObject(0).put("name", cpName);
    JsonObject route = create(body);
    String id = route.getString("id");
    assertEquals(name, route.getString("name"));
    JsonObject got = json(get(id, ADMIN));
    assertEquals(name, got.getString("name"));
    assertEquals(description, got.getString("description"));
    assertEquals(cpName, got.getJsonArray("checkpoints").getJsonObject(0).getString("name"));
    DbRow row = row(id);
    assertEquals(name, row.getString("name"));
    assertEquals(description, row.getString("description"));
    // The table is still there and still listed.
    assertEquals(name, json(list(null)).getJsonArray("items").getJsonObject(0).getString("name"));

    // A cursor built from such a name works too.
    create(shanghai("zzz"));
    JsonObject first = json(list(Map.of("limit", "1")));
    JsonObject second = json(list(Map.of("limit", "1", "cursor", first.getString("nextCursor"))));
    assertEquals("zzz", second.getJsonArray("items").getJsonObject(0).getString("name"));
  }

  @Test
  void invalidBodiesChangeNothing() {
    String id = create(shanghai("Keep")).getString("id");
    JsonObject bad = shanghai("Changed");
    bad.getJsonArray("checkpoints").add(checkpoint("Far away", 31.30, 121.60, 50));
    APIGatewayProxyResponseEvent r = put(id, bad);
    assertEquals(400, r.getStatusCode());
    assertEquals("Keep", row(id).getString("name"));
    assertEquals(400, call("POST", "/routes", Map.of(), null, ADMIN).getStatusCode());
  }

  private long count(String sql) {
    return ctx.db().one(sql).getLong(0);
  }
}
