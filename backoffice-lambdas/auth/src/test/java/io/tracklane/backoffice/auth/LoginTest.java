package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenVerifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class LoginTest {
  private AuthFixture f;

  @BeforeEach
  void setUp() {
    f = new AuthFixture();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @ParameterizedTest
  @Event(value = "events/login.json", type = APIGatewayProxyRequestEvent.class)
  void aGatewayLoginEventYieldsTokensTheJwksVerifies(APIGatewayProxyRequestEvent event) {
    UserStore.User rider =
        UserStore.seedUser(
            f.ctx, "fixture.rider", "Fixture Rider", "rider", "correct horse battery");

    APIGatewayProxyResponseEvent response = f.send(event);

    assertEquals(200, response.getStatusCode(), response.getBody());
    JsonObject body = AuthFixture.json(response);
    assertEquals("Bearer", body.getString("tokenType"));
    assertEquals(900, body.getInteger("expiresIn"));
    assertEquals(
        new JsonObject()
            .put("id", rider.id())
            .put("username", "fixture.rider")
            .put("displayName", "Fixture Rider")
            .put("role", "rider"),
        body.getJsonObject("user"));
    assertTrue(
        body.getString("refreshToken").matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url");

    // The gateway's way: verify against what the JWKS endpoint serves.
    APIGatewayProxyResponseEvent jwksResponse =
        f.call("GET", "/.well-known/jwks.json", Map.of(), null, null);
    assertEquals(200, jwksResponse.getStatusCode());
    JsonObject jwks = AuthFixture.json(jwksResponse);
    JsonArray keys = jwks.getJsonArray("keys");
    assertEquals(1, keys.size());
    assertFalse(keys.getJsonObject(0).containsKey("d"), "no private part in the JWKS");
    assertEquals(f.keys.kid(), keys.getJsonObject(0).getString("kid"));

    TokenVerifier verifier = TokenVerifier.fromJwks(jwks, "tracklane", "tracklane");
    Principal principal = verifier.verify(body.getString("accessToken"));
    assertEquals(new Principal(rider.id(), "rider"), principal);

    JsonObject header = part(body.getString("accessToken"), 0);
    JsonObject claims = part(body.getString("accessToken"), 1);
    assertEquals("ES256", header.getString("alg"));
    assertEquals(f.keys.kid(), header.getString("kid"));
    assertEquals(Set.of("sub", "role", "iss", "aud", "iat", "exp"), claims.fieldNames());
    assertEquals(rider.id(), claims.getString("sub"));
    assertEquals("rider", claims.getString("role"));
    assertEquals("tracklane", claims.getString("iss"));
    assertEquals(f.clock.instant().getEpochSecond(), claims.getLong("iat"));
    assertEquals(f.clock.instant().getEpochSecond() + 900, claims.getLong("exp"));
  }

  @Test
  void theTokenTtlAndIssuerComeFromConfig() {
    try (AuthFixture g =
        new AuthFixture(
            Map.of(
                AuthSettings.ACCESS_TOKEN_TTL_SECONDS.env(),
                "120",
                BackofficeSettings.JWT_ISSUER.env(),
                "https://auth.example",
                BackofficeSettings.JWT_AUDIENCE.env(),
                "tracklane-api"))) {
      JsonObject body = g.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD);
      assertEquals(120, body.getInteger("expiresIn"));
      JsonObject claims = part(body.getString("accessToken"), 1);
      assertEquals("https://auth.example", claims.getString("iss"));
      assertEquals(claims.getLong("iat") + 120, claims.getLong("exp"));
      TokenVerifier verifier =
          TokenVerifier.fromJwks(
              g.handler.tokenIssuer().jwks(), "https://auth.example", "tracklane-api");
      assertEquals("admin", verifier.verify(body.getString("accessToken")).role());
    }
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSameAnswer() {
    APIGatewayProxyResponseEvent wrong = f.login("root.admin", "not-the-password");
    APIGatewayProxyResponseEvent unknown = f.login("nobody.here", "not-the-password");
    assertEquals(401, wrong.getStatusCode());
    assertEquals(401, unknown.getStatusCode());
    assertEquals(wrong.getBody(), unknown.getBody());
    assertEquals("invalid username or password", AuthFixture.json(wrong).getString("message"));
  }

  @Test
  void anInactiveUserCannotLogInAndLearnsNothingFromTheRightPassword() {
    UserStore.User rider =
        UserStore.seedUser(f.ctx, "old.rider", "Old Rider", "rider", "rider-password");
    f.handler.users().update(rider.id(), new UserStore.Changes(null, null, false, null));

    APIGatewayProxyResponseEvent right = f.login("old.rider", "rider-password");
    APIGatewayProxyResponseEvent wrong = f.login("old.rider", "wrong-password");
    assertEquals(401, right.getStatusCode());
    assertEquals(wrong.getBody(), right.getBody());
  }

  @Test
  void fiveFailuresLockTheUsernameUntilTheLockPasses() {
    for (int i = 1; i <= 5; i++) {
      assertEquals(401, f.login("root.admin", "guess-" + i).getStatusCode(), "failure " + i);
      f.clock.advance(Duration.ofSeconds(30));
    }
    // Locked now: even the right password is refused, with how long to wait.
    APIGatewayProxyResponseEvent locked = f.login("root.admin", AuthFixture.ADMIN_PASSWORD);
    assertEquals(429, locked.getStatusCode(), locked.getBody());
    assertEquals("too_many_requests", AuthFixture.json(locked).getString("error"));
    long retryAfter = Long.parseLong(locked.getHeaders().get("Retry-After"));
    assertEquals(15 * 60 - 30, retryAfter);

    f.clock.advance(Duration.ofSeconds(retryAfter - 1));
    APIGatewayProxyResponseEvent stillLocked = f.login("root.admin", AuthFixture.ADMIN_PASSWORD);
    assertEquals(429, stillLocked.getStatusCode());
    assertEquals("1", stillLocked.getHeaders().get("Retry-After"));

    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(200, f.login("root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode());
    // The success cleared the record: four new failures do not lock.
    for (int i = 0; i < 4; i++)
      assertEquals(401, f.login("root.admin", "again-" + i).getStatusCode());
    assertEquals(200, f.login("root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode());
  }

  @Test
  void throttlingIsPerUsernameAndAppliesToUnknownOnesToo() {
    for (int i = 0; i < 5; i++) assertEquals(401, f.login("ghost", "guess-" + i).getStatusCode());
    assertEquals(429, f.login("ghost", "guess-6").getStatusCode());
    assertEquals(
        200,
        f.login("root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode(),
        "other usernames unaffected");
  }

  @Test
  void failuresSpreadOverMoreThanTheWindowDoNotLock() {
    for (int i = 0; i < 8; i++) {
      assertEquals(401, f.login("root.admin", "slow-guess-" + i).getStatusCode(), "failure " + i);
      f.clock.advance(Duration.ofMinutes(16));
    }
    assertEquals(200, f.login("root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode());
  }

  @Test
  void loginBodiesAreValidatedFieldByField() {
    APIGatewayProxyResponseEvent r =
        f.call(
            "POST",
            "/auth/login",
            Map.of(),
            new JsonObject().put("username", 42).put("extra", true),
            null);
    assertEquals(400, r.getStatusCode());
    assertEquals(Set.of("username", "password", "extra"), fields(r));

    APIGatewayProxyResponseEvent notJson =
        f.send(
            io.tracklane.backoffice.common.ApiEvents.event(
                "POST", "/auth/login", Map.of(), "{not json", null));
    assertEquals(400, notJson.getStatusCode());
  }

  @Test
  void sqlInAUsernameIsJustAWrongUsername() {
    APIGatewayProxyResponseEvent r = f.login("x' OR '1'='1", "x' OR '1'='1");
    assertEquals(401, r.getStatusCode());
    APIGatewayProxyResponseEvent drop = f.login("a'); DROP TABLE users;--", "whatever-password");
    assertEquals(401, drop.getStatusCode());
    assertEquals(
        200,
        f.login("root.admin", AuthFixture.ADMIN_PASSWORD).getStatusCode(),
        "users table intact");
  }

  @Test
  void passwordsLongerThanBcryptsInputAreNotTruncated() {
    String base = "p".repeat(100);
    UserStore.seedUser(f.ctx, "long.pw", "Long Password", "manager", base + "A");
    assertEquals(200, f.login("long.pw", base + "A").getStatusCode());
    assertEquals(401, f.login("long.pw", base + "B").getStatusCode());
  }

  static Set<String> fields(APIGatewayProxyResponseEvent r) {
    JsonArray errors = AuthFixture.json(r).getJsonArray("errors");
    assertNotNull(errors, r.getBody());
    return errors.stream()
        .map(e -> ((JsonObject) e).getString("field"))
        .collect(Collectors.toSet());
  }

  static JsonObject part(String jwt, int index) {
    String[] parts = jwt.split("\\.");
    assertEquals(3, parts.length);
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(parts[index]), StandardCharsets.UTF_8));
  }
}
