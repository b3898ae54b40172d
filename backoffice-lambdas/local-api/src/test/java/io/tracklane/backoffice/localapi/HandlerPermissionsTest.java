package io.tracklane.backoffice.localapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.auth.AuthHandler;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.TestDatabase;
import io.tracklane.backoffice.receipts.ReceiptSettings;
import io.tracklane.backoffice.receipts.ReceiptsHandler;
import io.tracklane.backoffice.reports.ReportSettings;
import io.tracklane.backoffice.reports.ReportsHandler;
import io.tracklane.backoffice.routes.RoutesHandler;
import io.tracklane.backoffice.tasks.TasksHandler;
import io.tracklane.core.auth.Permissions;
import io.tracklane.core.auth.Principal;
import io.tracklane.devkit.DevSigningKeys;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defence in depth: every back-office handler, invoked directly as the Lambda runtime would (an API
 * Gateway proxy event whose authorizer context names a role, no authorizer in front), refuses with
 * 403 exactly the operations {@link Permissions} does not give that role, and lets the others
 * through to the endpoint. A protected operation without an authorizer context is a 401.
 */
class HandlerPermissionsTest {
  static final List<String> ROLES = List.of(Principal.ADMIN, Principal.MANAGER, Principal.RIDER);
  static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

  static BackofficeContext ctx;
  static final Map<String, ApiHandler> handlers = new LinkedHashMap<>();

  /** A real user per role: an allowed operation must not be refused for an unknown account. */
  static final Map<String, Caller> callers = new HashMap<>();

  @BeforeAll
  static void setUp() {
    Map<String, String> config = new HashMap<>();
    config.put(
        BackofficeSettings.SIGNING_KEY.env(), DevSigningKeys.generate().privateJwk().encode());
    // nothing listens here: no allowed call below gets as far as S3 or DynamoDB with a real answer
    config.put(BackofficeSettings.DYNAMODB_ENDPOINT.env(), "http://127.0.0.1:9");
    config.put(BackofficeSettings.S3_ENDPOINT.env(), "http://127.0.0.1:9");
    config.put(BackofficeSettings.S3_ACCESS_KEY.env(), "permissions-test-key");
    config.put(BackofficeSettings.S3_SECRET_KEY.env(), "permissions-test-secret");
    config.put(ReceiptSettings.BUCKET.env(), "permissions-test-receipts");
    config.put(ReportSettings.BUCKET.env(), "permissions-test-reports");
    ctx = TestDatabase.freshContext(config, Clock.systemUTC());
    handlers.put("auth", new AuthHandler(ctx));
    handlers.put("routes", new RoutesHandler(ctx));
    handlers.put("tasks", new TasksHandler(ctx));
    handlers.put("receipts", new ReceiptsHandler(ctx));
    handlers.put("reports", new ReportsHandler(ctx));
    for (String role : ROLES) {
      String id = "perm-" + role;
      ctx.db()
          .update(
              "INSERT INTO users (id, username, display_name, role, password_hash) "
                  + "VALUES ($1, $1, $1, $2, 'x')",
              id,
              role);
      callers.put(role, new Caller(id, role));
    }
  }

  @AfterAll
  static void tearDown() {
    ctx.close();
  }

  @Test
  void eachHandlerRefusesExactlyWhatThePermissionsTableDenies() {
    Set<Permissions.Operation> seen = new HashSet<>();
    int refused = 0;
    for (var h : handlers.entrySet()) {
      for (String key : h.getValue().operations()) {
        String[] parts = key.split(" ", 2);
        Permissions.Operation op = Permissions.op(parts[0], parts[1]);
        seen.add(op);
        for (String role : ROLES) {
          APIGatewayProxyResponseEvent r = invoke(h.getValue(), op, callers.get(role));
          String what =
              h.getKey() + ": " + role + " " + op + " -> " + r.getStatusCode() + " " + r.getBody();
          if (Permissions.allows(role, op.method(), op.path())) {
            assertFalse(
                r.getStatusCode() == 403, "allowed by the table, refused by the handler: " + what);
          } else {
            refused++;
            assertEquals(
                403, r.getStatusCode(), "denied by the table, let through by the handler: " + what);
            JsonObject body = new JsonObject(r.getBody());
            assertEquals("forbidden", body.getString("error"), what);
            assertEquals("role " + role + " may not call " + op, body.getString("message"), what);
          }
        }
      }
    }
    // every protected operation of the table was exercised, and the table denies something to
    // someone
    assertTrue(
        seen.containsAll(Permissions.protectedOperations()),
        "operations no handler serves: "
            + Permissions.protectedOperations().stream().filter(o -> !seen.contains(o)).toList());
    assertTrue(refused > 0);
  }

  @Test
  void theIssuesExamplesAreRefusedToRidersAndManagers() {
    ApiHandler tasks = handlers.get("tasks");
    for (String role : List.of(Principal.RIDER, Principal.MANAGER)) {
      for (var op :
          List.of(
              Permissions.op("POST", "/tasks"),
              Permissions.op("POST", "/tasks/{taskId}/cancel"),
              Permissions.op("POST", "/tasks/expire"))) {
        assertEquals(403, invoke(tasks, op, callers.get(role)).getStatusCode(), role + " " + op);
      }
    }
    assertEquals(
        403,
        invoke(
                tasks,
                Permissions.op("GET", "/riders/{riderId}/earnings"),
                callers.get(Principal.RIDER))
            .getStatusCode());
  }

  @Test
  void aProtectedOperationWithoutAnAuthorizerContextIsUnauthorized() {
    for (var h : handlers.entrySet()) {
      for (String key : h.getValue().operations()) {
        String[] parts = key.split(" ", 2);
        Permissions.Operation op = Permissions.op(parts[0], parts[1]);
        if (Permissions.PUBLIC.contains(op)) continue;
        assertEquals(401, invoke(h.getValue(), op, null).getStatusCode(), h.getKey() + " " + op);
      }
    }
  }

  /**
   * The operation as API Gateway would send it: every path parameter filled, a JSON object body for
   * writes.
   */
  static APIGatewayProxyResponseEvent invoke(
      ApiHandler handler, Permissions.Operation op, Caller caller) {
    Map<String, String> params = new HashMap<>();
    Matcher m = PARAM.matcher(op.path());
    while (m.find()) params.put(m.group(1), "no-such-" + m.group(1));
    String body = op.method().equals("GET") || op.method().equals("DELETE") ? null : "{}";
    return handler.handleRequest(
        ApiEvents.event(op.method(), op.path(), params, body, caller), null);
  }
}
