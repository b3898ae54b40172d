package io.tracklane.backoffice.routes;

import static io.tracklane.backoffice.routes.RoutesTestSupport.insertTask;
import static io.tracklane.backoffice.routes.RoutesTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The handler fed with API Gateway proxy events as recorded JSON (aws-lambda-java-tests), the way
 * Lambda deserializes them: authorizer context {userId, role}, path parameters, a string body. The
 * fixtures refer to route {@code route-fixture-1} and users u-admin-1, u-manager-1, u-rider-1.
 */
class RoutesEventFixturesTest {
  static final String FIXTURE_ROUTE = "route-fixture-1";
  private BackofficeContext ctx;
  private RoutesHandler handler;

  @BeforeEach
  void setUp() {
    ctx = TestDatabase.freshContext();
    RoutesTestSupport.insertUsers(ctx);
    handler = new RoutesHandler(ctx);
    RouteInput in = RouteInput.parse(RoutesTestSupport.shanghai("Fixture route"));
    ctx.db()
        .update(
            "INSERT INTO routes (id, lineage_id, name, description, geometry, "
                + "checkpoints, length_m, created_by) VALUES ($1, $1, $2, $3, $4, $5, $6, $7)",
            FIXTURE_ROUTE,
            in.name(),
            in.description(),
            in.geometry(),
            in.checkpoints(),
            in.lengthM(),
            RoutesTestSupport.ADMIN.userId());
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  @ParameterizedTest
  @Event(value = "events/create-route.json", type = APIGatewayProxyRequestEvent.class)
  void createsFromTheRecordedEvent(APIGatewayProxyRequestEvent event) {
    assertEquals(new Caller("u-admin-1", "admin"), Caller.of(event));
    APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
    assertEquals(201, r.getStatusCode(), r.getBody());
    JsonObject route = json(r);
    assertEquals("Nanjing Road: People's Square to the Bund", route.getString("name"));
    assertEquals(3, route.getJsonArray("checkpoints").size());
    assertEquals(
        RoutesTestSupport.SHANGHAI_GEODESIC_M,
        route.getDouble("lengthM"),
        RoutesTestSupport.SHANGHAI_GEODESIC_M * 0.005);
    assertEquals(1, route.getInteger("version"));
  }

  @ParameterizedTest
  @Event(value = "events/create-route-swapped.json", type = APIGatewayProxyRequestEvent.class)
  void refusesALineInLatLonOrder(APIGatewayProxyRequestEvent event) {
    APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
    assertEquals(400, r.getStatusCode(), r.getBody());
    JsonArray errors = json(r).getJsonArray("errors");
    assertEquals(3, errors.size(), r.getBody());
    for (int i = 0; i < 3; i++) {
      JsonObject e = errors.getJsonObject(i);
      assertEquals("geometry.coordinates[" + i + "]", e.getString("field"));
      assertTrue(e.getString("message").contains("swapped"), e.getString("message"));
    }
  }

  @ParameterizedTest
  @Event(value = "events/get-route.json", type = APIGatewayProxyRequestEvent.class)
  void aRiderReadsARoute(APIGatewayProxyRequestEvent event) {
    assertEquals("rider", Caller.of(event).role());
    APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
    assertEquals(200, r.getStatusCode(), r.getBody());
    assertEquals(FIXTURE_ROUTE, json(r).getString("id"));
    assertEquals("Fixture route", json(r).getString("name"));
  }

  @ParameterizedTest
  @Event(value = "events/update-route.json", type = APIGatewayProxyRequestEvent.class)
  void updatesInPlaceThenAsANewVersionOnceRidden(APIGatewayProxyRequestEvent event) {
    APIGatewayProxyResponseEvent inPlace = handler.handleRequest(event, null);
    assertEquals(200, inPlace.getStatusCode(), inPlace.getBody());
    assertEquals(FIXTURE_ROUTE, json(inPlace).getString("id"));
    assertEquals(4, json(inPlace).getJsonObject("geometry").getJsonArray("coordinates").size());

    insertTask(ctx, FIXTURE_ROUTE, "in_progress");
    APIGatewayProxyResponseEvent next = handler.handleRequest(event, null);
    assertEquals(201, next.getStatusCode(), next.getBody());
    JsonObject v2 = json(next);
    assertEquals(FIXTURE_ROUTE, v2.getString("supersedes"));
    assertEquals(FIXTURE_ROUTE, v2.getString("lineageId"));
    assertEquals(2, v2.getInteger("version"));

    APIGatewayProxyResponseEvent stale = handler.handleRequest(event, null);
    assertEquals(409, stale.getStatusCode());
    assertTrue(json(stale).getString("message").contains(v2.getString("id")), stale.getBody());
  }

  @ParameterizedTest
  @Event(value = "events/delete-route.json", type = APIGatewayProxyRequestEvent.class)
  void deletesUnlessATaskNeedsTheRoute(APIGatewayProxyRequestEvent event) {
    String task = insertTask(ctx, FIXTURE_ROUTE, "claimed");
    APIGatewayProxyResponseEvent refused = handler.handleRequest(event, null);
    assertEquals(409, refused.getStatusCode());
    assertTrue(json(refused).getString("message").contains(task), refused.getBody());

    ctx.db().update("UPDATE tasks SET status = 'completed' WHERE id = $1", task);
    APIGatewayProxyResponseEvent ok = handler.handleRequest(event, null);
    assertEquals(204, ok.getStatusCode());
    assertNotNull(
        ctx.db().one("SELECT deleted_at FROM routes WHERE id = $1", FIXTURE_ROUTE).getValue(0));
  }

  @ParameterizedTest
  @Event(value = "events/list-routes.json", type = APIGatewayProxyRequestEvent.class)
  void listsWithTheQueryString(APIGatewayProxyRequestEvent event) {
    assertEquals("1", event.getQueryStringParameters().get("limit"));
    JsonObject first = json(handler.handleRequest(event, null));
    assertEquals(1, first.getJsonArray("items").size());
    assertFalse(first.containsKey("nextCursor"));
    assertEquals(
        201,
        handler
            .handleRequest(
                RoutesTestSupport.event(
                    "POST",
                    "/routes",
                    java.util.Map.of(),
                    RoutesTestSupport.shanghai("Another"),
                    RoutesTestSupport.ADMIN),
                null)
            .getStatusCode());
    JsonObject page = json(handler.handleRequest(event, null));
    assertEquals("Another", page.getJsonArray("items").getJsonObject(0).getString("name"));
    assertNotNull(page.getString("nextCursor"));
  }
}
