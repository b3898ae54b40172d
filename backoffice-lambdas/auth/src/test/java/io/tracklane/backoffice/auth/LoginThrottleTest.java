package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttling is per username and source address, its rows expire, and expired rows are deleted. */
class LoginThrottleTest {
  private static final String ATTACKER = "203.0.113.66";
  private static final String OWNER = "198.51.100.20";
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
  void anAttackerElsewhereDoesNotLockTheOwnerOut() {
    for (int i = 0; i < 20; i++) {
      APIGatewayProxyResponseEvent r = loginFrom(ATTACKER, "root.admin", "guess-" + i);
      assertEquals(i < 5 ? 401 : 429, r.getStatusCode(), "attempt " + i + ": " + r.getBody());
    }
    assertEquals(
        429,
        loginFrom(ATTACKER, "root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode(),
        "locked from the attacker's address, even with the right password");

    assertEquals(
        200,
        loginFrom(OWNER, "root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode(),
        "the owner, from another address, logs in");
    assertEquals(
        429,
        loginFrom(ATTACKER, "root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode(),
        "the owner's success does not clear the attacker's lock");
  }

  @Test
  void theLockEndsWithItsWindowAndExpiredRowsArePruned() {
    for (int i = 0; i < 5; i++) loginFrom(ATTACKER, "root.admin", "guess-" + i);
    for (int i = 0; i < 3; i++) loginFrom("192.0.2.1", "nobody", "guess-" + i);
    assertEquals(
        429, loginFrom(ATTACKER, "root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode());
    assertEquals(2, rows(), "one row per username and address");

    f.clock.advance(LoginThrottle.LOCK);
    assertEquals(
        200,
        loginFrom(ATTACKER, "root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode(),
        "once the lock has passed, the right password works from that address again");
    assertEquals(
        1, rows(), "the success cleared its own row; the other one is still inside its window");

    f.clock.advance(LoginThrottle.WINDOW);
    assertEquals(401, loginFrom(OWNER, "root.admin", "typo").getStatusCode());
    assertEquals(0, rowsFor("nobody"), "the expired row was deleted by the next failure");
    assertEquals(1, rows(), "only the new failure is left");
    assertTrue(
        f.ctx
            .db()
            .one("SELECT expires_at > $1 AS live FROM login_failures", f.clock.instant())
            .getBoolean("live"));
  }

  @Test
  void theRetryAfterNamesTheAddress() {
    for (int i = 0; i < 5; i++) loginFrom(ATTACKER, "root.admin", "guess-" + i);
    APIGatewayProxyResponseEvent locked = loginFrom(ATTACKER, "root.admin", "guess-6");
    assertEquals(
        String.valueOf(LoginThrottle.LOCK.toSeconds()), locked.getHeaders().get("Retry-After"));
    assertEquals(
        "too many failed logins for this username from your address; try again in 900 s",
        AuthFixture.json(locked).getString("message"));
  }

  private APIGatewayProxyResponseEvent loginFrom(
      String sourceIp, String username, String password) {
    APIGatewayProxyRequestEvent event =
        ApiEvents.event(
            "POST",
            "/auth/login",
            Map.of(),
            new JsonObject().put("username", username).put("password", password).encode(),
            null);
    event
        .getRequestContext()
        .setIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withSourceIp(sourceIp));
    return f.send(event);
  }

  private long rows() {
    return f.ctx.db().one("SELECT count(*) FROM login_failures").getLong(0);
  }

  private long rowsFor(String username) {
    return f.ctx
        .db()
        .one("SELECT count(*) FROM login_failures WHERE username = $1", username)
        .getLong(0);
  }
}
