package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Postgres's own error text never reaches a client, whether the fault is the server's or the
 * request's.
 */
class DatabaseErrorResponseTest {
  /**
   * What would betray Postgres text: its severity prefix, SQLSTATEs, object words and the names in
   * play.
   */
  private static final List<String> DATABASE_TEXT =
      List.of(
          "ERROR:",
          "SQLSTATE",
          "relation",
          "column",
          "constraint",
          "violates",
          "does not exist",
          "42703",
          "23514",
          "display_name",
          "users_display_name_screened");

  private AuthFixture f;

  @BeforeEach
  void setUp() {
    f = new AuthFixture();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aBrokenSchemaIsAGeneric500WithTheRequestId() {
    sql("ALTER TABLE users DROP COLUMN display_name");
    APIGatewayProxyRequestEvent event =
        ApiEvents.event("GET", "/users", Map.of(), null, f.adminCaller());

    APIGatewayProxyResponseEvent r = f.send(event);

    assertEquals(500, r.getStatusCode(), r.getBody());
    assertEquals(
        new JsonObject()
            .put("error", "internal_error")
            .put("message", "internal error")
            .put("requestId", event.getRequestContext().getRequestId()),
        new JsonObject(r.getBody()));
    assertNoDatabaseText(r);
  }

  @Test
  void aConstraintTheRequestBreaksIsA400InOurWords() {
    sql(
        "ALTER TABLE users ADD CONSTRAINT users_display_name_screened CHECK (display_name !~ 'forbidden')");

    APIGatewayProxyResponseEvent r =
        f.call(
            "POST",
            "/users",
            Map.of(),
            new JsonObject()
                .put("username", "new.rider")
                .put("displayName", "forbidden name")
                .put("role", "rider")
                .put("password", "a-good-password-1"),
            f.adminCaller());

    assertEquals(400, r.getStatusCode(), r.getBody());
    JsonObject body = new JsonObject(r.getBody());
    assertEquals("invalid_request", body.getString("error"));
    assertEquals("a value in the request is not allowed here", body.getString("message"));
    assertNoDatabaseText(r);
  }

  @Test
  void aDuplicateIsA409WithoutDatabaseText() {
    // a unique index the handler does not check first: the database is the last word
    sql("CREATE UNIQUE INDEX users_display_name_unique ON users (display_name)");

    APIGatewayProxyResponseEvent r =
        f.call(
            "POST",
            "/users",
            Map.of(),
            new JsonObject()
                .put("username", "second.root")
                .put("displayName", "Root Admin")
                .put("role", "admin")
                .put("password", "a-good-password-1"),
            f.adminCaller());

    assertEquals(409, r.getStatusCode(), r.getBody());
    assertEquals("already exists", new JsonObject(r.getBody()).getString("message"));
    assertNoDatabaseText(r);
    assertFalse(r.getBody().contains("users_display_name_unique"), r.getBody());
  }

  private void sql(String statement) {
    f.ctx.db().update(statement);
  }

  private static void assertNoDatabaseText(APIGatewayProxyResponseEvent r) {
    for (String text : DATABASE_TEXT) {
      assertFalse(r.getBody().contains(text), "'" + text + "' leaked: " + r.getBody());
    }
  }
}
