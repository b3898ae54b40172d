package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.MutableClock;
import io.tracklane.backoffice.common.TestDatabase;
import io.tracklane.devkit.DevSigningKeys;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One test's world: a fresh database, a signing key, a controllable clock and the auth handler.
 * Every response passes through {@link #send}, which checks that no password hash ever leaves.
 */
final class AuthFixture implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-password-1";

  final MutableClock clock = new MutableClock();
  final DevSigningKeys keys = DevSigningKeys.generate();
  final BackofficeContext ctx;
  final AuthHandler handler;
  final List<String> responseBodies = new ArrayList<>();
  final UserStore.User admin;

  AuthFixture() {
    this(Map.of());
  }

  AuthFixture(Map<String, String> extraConfig) {
    Map<String, String> config = new java.util.HashMap<>(extraConfig);
    config.put(BackofficeSettings.SIGNING_KEY.env(), keys.privateJwk().encode());
    ctx = TestDatabase.freshContext(config, clock);
    handler = new AuthHandler(ctx);
    admin = UserStore.seedUser(ctx, "root.admin", "Root Admin", "admin", ADMIN_PASSWORD);
  }

  Caller adminCaller() {
    return new Caller(admin.id(), "admin");
  }

  APIGatewayProxyResponseEvent send(APIGatewayProxyRequestEvent event) {
    APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
    String body = response.getBody() == null ? "" : response.getBody();
    responseBodies.add(body);
    assertFalse(
        body.contains("$2a$") || body.contains("$2b$") || body.contains("$2y$"),
        "a bcrypt hash leaked: " + body);
    assertFalse(
        body.toLowerCase(java.util.Locale.ROOT).contains("passwordhash")
            || body.contains("password_hash"),
        "a password hash field leaked: " + body);
    return response;
  }

  APIGatewayProxyResponseEvent call(
      String method,
      String resource,
      Map<String, String> pathParams,
      JsonObject body,
      Caller caller) {
    return send(
        ApiEvents.event(method, resource, pathParams, body == null ? null : body.encode(), caller));
  }

  APIGatewayProxyResponseEvent login(String username, String password) {
    return call(
        "POST",
        "/auth/login",
        Map.of(),
        new JsonObject().put("username", username).put("password", password),
        null);
  }

  JsonObject loginOk(String username, String password) {
    APIGatewayProxyResponseEvent r = login(username, password);
    assertEquals(200, r.getStatusCode(), r.getBody());
    return new JsonObject(r.getBody());
  }

  APIGatewayProxyResponseEvent refresh(String refreshToken) {
    return call(
        "POST",
        "/auth/refresh",
        Map.of(),
        new JsonObject().put("refreshToken", refreshToken),
        null);
  }

  static JsonObject json(APIGatewayProxyResponseEvent r) {
    return new JsonObject(r.getBody());
  }

  @Override
  public void close() {
    ctx.close();
  }
}
