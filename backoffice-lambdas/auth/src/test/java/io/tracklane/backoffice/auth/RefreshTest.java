package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.core.auth.TokenVerifier;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshTest {
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
  void refreshRotatesTheTokenAndReturnsANewPair() {
    JsonObject login = f.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD);
    String first = login.getString("refreshToken");

    APIGatewayProxyResponseEvent r = f.refresh(first);
    assertEquals(200, r.getStatusCode(), r.getBody());
    JsonObject pair = AuthFixture.json(r);
    String second = pair.getString("refreshToken");
    assertNotEquals(first, second);
    assertEquals("Bearer", pair.getString("tokenType"));
    assertEquals(f.admin.id(), pair.getJsonObject("user").getString("id"));
    TokenVerifier verifier =
        TokenVerifier.fromJwks(f.handler.tokenIssuer().jwks(), "tracklane", "tracklane");
    assertEquals("admin", verifier.verify(pair.getString("accessToken")).role());

    // Only hashes are stored.
    long plain =
        f.ctx
            .db()
            .one("SELECT count(*) FROM refresh_tokens WHERE token_hash IN ($1, $2)", first, second)
            .getLong(0);
    assertEquals(0, plain);

    assertEquals(200, f.refresh(second).getStatusCode(), "the new one works once");
  }

  @Test
  void reusingARevokedTokenRevokesEveryTokenOfTheUser() {
    String stolen = f.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD).getString("refreshToken");
    String otherDevice =
        f.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD).getString("refreshToken");
    String legit = AuthFixture.json(f.refresh(stolen)).getString("refreshToken");

    // The thief replays the old token.
    APIGatewayProxyResponseEvent replay = f.refresh(stolen);
    assertEquals(401, replay.getStatusCode());

    // Everything of that user is dead now, on every device.
    assertEquals(401, f.refresh(legit).getStatusCode());
    assertEquals(401, f.refresh(otherDevice).getStatusCode());
    long live =
        f.ctx
            .db()
            .one(
                "SELECT count(*) FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL",
                f.admin.id())
            .getLong(0);
    assertEquals(0, live);
    // Logging in again works.
    assertEquals(
        200,
        f.refresh(f.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD).getString("refreshToken"))
            .getStatusCode());
  }

  @Test
  void reuseDetectionDoesNotTouchOtherUsers() {
    UserStore.seedUser(f.ctx, "rider.one", "Rider One", "rider", "rider-one-pw");
    String riderToken = f.loginOk("rider.one", "rider-one-pw").getString("refreshToken");
    String adminToken =
        f.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD).getString("refreshToken");
    f.refresh(adminToken);
    assertEquals(401, f.refresh(adminToken).getStatusCode());
    assertEquals(200, f.refresh(riderToken).getStatusCode());
  }

  @Test
  void expiredUnknownAndMalformedTokensAre401() {
    String token = f.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD).getString("refreshToken");
    assertEquals(401, f.refresh("not-a-token-we-issued").getStatusCode());
    f.clock.advance(Duration.ofDays(30).plusSeconds(1));
    APIGatewayProxyResponseEvent expired = f.refresh(token);
    assertEquals(401, expired.getStatusCode());
    assertEquals("invalid refresh token", AuthFixture.json(expired).getString("message"));

    APIGatewayProxyResponseEvent missing =
        f.call("POST", "/auth/refresh", Map.of(), new JsonObject(), null);
    assertEquals(400, missing.getStatusCode());
    assertEquals(java.util.Set.of("refreshToken"), LoginTest.fields(missing));
    APIGatewayProxyResponseEvent tooLong = f.refresh("x".repeat(257));
    assertEquals(400, tooLong.getStatusCode());
  }

  @Test
  void aDeactivatedUserCannotRefresh() {
    UserStore.User rider =
        UserStore.seedUser(f.ctx, "leaving.rider", "Leaving", "rider", "leaving-pw-1");
    String token = f.loginOk("leaving.rider", "leaving-pw-1").getString("refreshToken");
    APIGatewayProxyResponseEvent patch =
        f.call(
            "PATCH",
            "/users/{userId}",
            Map.of("userId", rider.id()),
            new JsonObject().put("active", false),
            f.adminCaller());
    assertEquals(200, patch.getStatusCode(), patch.getBody());
    assertEquals(401, f.refresh(token).getStatusCode());
  }

  @Test
  void anInactiveUsersTokenIsRefusedEvenIfItSurvived() {
    UserStore.User rider =
        UserStore.seedUser(f.ctx, "paused.rider", "Paused", "rider", "paused-pw-1");
    String token = f.loginOk("paused.rider", "paused-pw-1").getString("refreshToken");
    // Deactivated behind the API's back (tokens not deleted): the refresh still checks the account.
    f.ctx.db().update("UPDATE users SET active = false WHERE id = $1", rider.id());
    assertEquals(401, f.refresh(token).getStatusCode());
  }

  @Test
  void aNewPasswordEndsSessionsWithoutFlaggingTheftOnTheNewOnes() {
    UserStore.User rider =
        UserStore.seedUser(f.ctx, "pw.rider", "Pw Rider", "rider", "first-password");
    String oldDevice = f.loginOk("pw.rider", "first-password").getString("refreshToken");
    APIGatewayProxyResponseEvent patch =
        f.call(
            "PATCH",
            "/users/{userId}",
            Map.of("userId", rider.id()),
            new JsonObject().put("password", "second-password"),
            f.adminCaller());
    assertEquals(200, patch.getStatusCode(), patch.getBody());

    assertEquals(401, f.login("pw.rider", "first-password").getStatusCode());
    String newDevice = f.loginOk("pw.rider", "second-password").getString("refreshToken");
    assertEquals(401, f.refresh(oldDevice).getStatusCode());
    assertEquals(
        200,
        f.refresh(newDevice).getStatusCode(),
        "the old device's stale token is not a theft signal");
  }
}
