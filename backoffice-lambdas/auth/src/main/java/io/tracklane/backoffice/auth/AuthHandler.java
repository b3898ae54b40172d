package io.tracklane.backoffice.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.ApiRequest;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.FieldError;
import io.tracklane.backoffice.common.Responses;
import io.tracklane.backoffice.common.Validator;
import io.tracklane.core.auth.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code auth} function: login, refresh, the JWKS, the caller's account, (admin) user
 * management and riders' phone-app device keys ({@link DeviceEndpoints}). See docs/backoffice.md.
 */
public final class AuthHandler extends ApiHandler {
  /** The one answer to a failed login, whether the user exists or not. */
  static final String BAD_CREDENTIALS = "invalid username or password";

  static final String BAD_REFRESH_TOKEN = "invalid refresh token";
  static final int LIST_DEFAULT_LIMIT = 50;
  static final int LIST_MAX_LIMIT = 200;
  private static final int REFRESH_TOKEN_MAX = 256;

  private final UserStore users;
  private final TokenIssuer tokens;
  private final RefreshTokens refreshTokens;
  private final LoginThrottle throttle;

  /** Lambda entry point: the container's context from the environment (init phase). */
  public AuthHandler() {
    this(BackofficeContext.fromEnv());
  }

  public AuthHandler(BackofficeContext ctx) {
    this.users = new UserStore(ctx);
    this.tokens = new TokenIssuer(ctx);
    this.refreshTokens =
        new RefreshTokens(
            ctx.db(),
            ctx.clock(),
            ctx.config().get(AuthSettings.REFRESH_TOKEN_TTL_SECONDS).toSeconds());
    this.throttle = new LoginThrottle(ctx.db(), ctx.clock());
    on("POST", "/auth/login", this::login);
    on("POST", "/auth/refresh", this::refresh);
    on("GET", "/.well-known/jwks.json", this::jwks);
    on("GET", "/me", this::me);
    on("GET", "/users", this::listUsers);
    on("POST", "/users", this::createUser);
    on("GET", "/users/{userId}", this::getUser);
    on("PATCH", "/users/{userId}", this::patchUser);
    DeviceEndpoints devices =
        new DeviceEndpoints(
            new DeviceStore(
                ctx.db(), ctx.clock(), ctx.config().get(AuthSettings.MAX_DEVICES_PER_RIDER)),
            users,
            DeviceSetup.of(ctx.config()));
    on("POST", "/riders/me/devices", devices::create);
    on("GET", "/riders/me/devices", devices::listMine);
    on("DELETE", "/riders/me/devices/{deviceId}", devices::revokeMine);
    on("GET", "/riders/{riderId}/devices", devices::listRiders);
    on("DELETE", "/riders/{riderId}/devices/{deviceId}", devices::revokeRiders);
  }

  public UserStore users() {
    return users;
  }

  public TokenIssuer tokenIssuer() {
    return tokens;
  }

  // --- public -----------------------------------------------------------------------------------

  private APIGatewayProxyResponseEvent login(ApiRequest request) {
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    onlyFields(v, body, Set.of("username", "password"));
    String username = v.string("username", true, UserStore.USERNAME_MAX);
    String password = v.string("password", true, Passwords.MAX_LENGTH);
    v.throwIfInvalid();

    String source = request.sourceIp();
    Optional<Duration> locked = throttle.lockedFor(username, source);
    if (locked.isPresent()) return tooManyAttempts(locked.get());

    Optional<UserStore.Credentials> credentials = users.credentials(username);
    boolean ok =
        credentials.isPresent()
            ? Passwords.verify(password, credentials.get().passwordHash())
            : Passwords.dummyVerify(password);
    // An inactive account fails exactly like a wrong password: no hint that the password was right.
    if (!ok || !credentials.get().user().active()) {
      throttle.recordFailure(username, source);
      throw ApiException.unauthorized(BAD_CREDENTIALS);
    }
    throttle.reset(username, source);
    UserStore.User user = credentials.get().user();
    return Responses.ok(tokenResponse(user, refreshTokens.issue(user.id())));
  }

  private APIGatewayProxyResponseEvent refresh(ApiRequest request) {
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    onlyFields(v, body, Set.of("refreshToken"));
    String presented = v.string("refreshToken", true, REFRESH_TOKEN_MAX);
    v.throwIfInvalid();
    RefreshTokens.Rotation rotation = refreshTokens.rotate(presented);
    if (rotation.outcome() != RefreshTokens.Outcome.ROTATED)
      throw ApiException.unauthorized(BAD_REFRESH_TOKEN);
    return Responses.ok(tokenResponse(rotation.user(), rotation.newToken()));
  }

  private APIGatewayProxyResponseEvent jwks(ApiRequest request) {
    APIGatewayProxyResponseEvent response = Responses.ok(tokens.jwks());
    Map<String, String> headers = new HashMap<>(response.getHeaders());
    headers.put("Cache-Control", "public, max-age=300");
    return response.withHeaders(headers);
  }

  // --- any role ---------------------------------------------------------------------------------

  private APIGatewayProxyResponseEvent me(ApiRequest request) {
    Caller caller = request.caller();
    return Responses.ok(
        users
            .findById(caller.userId())
            .orElseThrow(() -> ApiException.notFound("your account no longer exists"))
            .toJson());
  }

  // --- admin ------------------------------------------------------------------------------------

  private APIGatewayProxyResponseEvent listUsers(ApiRequest request) {
    requireAdmin(request);
    int limit = request.query("limit").map(AuthHandler::limit).orElse(LIST_DEFAULT_LIMIT);
    String after = request.query("cursor").map(AuthHandler::decodeCursor).orElse(null);
    UserStore.Page page = users.list(limit, after);
    JsonArray items = new JsonArray();
    page.users().forEach(u -> items.add(u.toJson()));
    return Responses.ok(
        new JsonObject()
            .put("users", items)
            .put("nextCursor", page.nextCursor() == null ? null : encodeCursor(page.nextCursor())));
  }

  private APIGatewayProxyResponseEvent createUser(ApiRequest request) {
    requireAdmin(request);
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    onlyFields(v, body, Set.of("username", "displayName", "role", "password"));
    String username = UserStore.validateUsername(v, "username", true);
    String displayName = v.string("displayName", true, UserStore.DISPLAY_NAME_MAX);
    String role = v.oneOf("role", true, UserStore.ROLES);
    String password = Passwords.validate(v, body, "password", true);
    v.throwIfInvalid();
    return Responses.created(users.create(username, displayName, role, password).toJson());
  }

  private APIGatewayProxyResponseEvent getUser(ApiRequest request) {
    requireAdmin(request);
    String id = request.pathParam("userId");
    return Responses.ok(
        users.findById(id).orElseThrow(() -> ApiException.notFound("no user " + id)).toJson());
  }

  private APIGatewayProxyResponseEvent patchUser(ApiRequest request) {
    Caller caller = requireAdmin(request);
    String id = request.pathParam("userId");
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    onlyFields(v, body, Set.of("displayName", "role", "active", "password"));
    String displayName = v.string("displayName", false, UserStore.DISPLAY_NAME_MAX);
    String role = v.oneOf("role", false, UserStore.ROLES);
    Boolean active = null;
    Object a = body.getValue("active");
    if (a != null) {
      if (a instanceof Boolean b) active = b;
      else v.error("active", "must be true or false");
    }
    String password = Passwords.validate(v, body, "password", false);
    v.throwIfInvalid();
    UserStore.Changes changes = new UserStore.Changes(displayName, role, active, password);
    if (changes.isEmpty()) {
      throw ApiException.badRequest(
          "nothing to change: give displayName, role, active or password");
    }
    // An admin cannot lock themselves out (and so cannot remove the last way back in).
    if (caller.userId().equals(id)
        && (Boolean.FALSE.equals(active) || (role != null && !Principal.ADMIN.equals(role)))) {
      throw ApiException.conflict(
          "you cannot deactivate your own account or give up your admin role");
    }
    return Responses.ok(
        users
            .update(id, changes)
            .orElseThrow(() -> ApiException.notFound("no user " + id))
            .toJson());
  }

  // --- helpers ----------------------------------------------------------------------------------

  private JsonObject tokenResponse(UserStore.User user, String refreshToken) {
    TokenIssuer.AccessToken access = tokens.issue(user.id(), user.role());
    return new JsonObject()
        .put("accessToken", access.token())
        .put("refreshToken", refreshToken)
        .put("tokenType", "Bearer")
        .put("expiresIn", access.expiresIn())
        .put("user", user.summaryJson());
  }

  private static APIGatewayProxyResponseEvent tooManyAttempts(Duration remaining) {
    long seconds = Math.max(1, (remaining.toMillis() + 999) / 1000);
    APIGatewayProxyResponseEvent response =
        Responses.error(
            429,
            "too_many_requests",
            "too many failed logins for this username from your address; try again in "
                + seconds
                + " s",
            List.of());
    Map<String, String> headers = new HashMap<>(response.getHeaders());
    headers.put("Retry-After", Long.toString(seconds));
    return response.withHeaders(headers);
  }

  /** Defence in depth: the authorizer already allows these operations to admins only. */
  private static Caller requireAdmin(ApiRequest request) {
    Caller caller = request.caller();
    if (!caller.isAdmin()) throw ApiException.forbidden("only an admin may manage users");
    return caller;
  }

  /**
   * Names each field the operation does not know (the OpenAPI schemas say additionalProperties:
   * false).
   */
  private static void onlyFields(Validator v, JsonObject body, Set<String> allowed) {
    body.fieldNames().stream()
        .filter(f -> !allowed.contains(f))
        .sorted()
        .forEach(f -> v.error(f, "is not a known field"));
  }

  private static int limit(String raw) {
    try {
      int n = Integer.parseInt(raw);
      if (n >= 1 && n <= LIST_MAX_LIMIT) return n;
    } catch (NumberFormatException e) {
      // not a number: the same 400 as out of range
    }
    throw ApiException.badRequest(
        "limit must be an integer from 1 to " + LIST_MAX_LIMIT,
        List.of(new FieldError("limit", "must be an integer from 1 to " + LIST_MAX_LIMIT)));
  }

  private static String encodeCursor(String username) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(username.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      String username = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (UserStore.USERNAME.matcher(username).matches()) return username;
    } catch (IllegalArgumentException e) {
      // not base64url: the same 400 as a forged cursor
    }
    throw ApiException.badRequest(
        "cursor is not valid",
        List.of(new FieldError("cursor", "is not a cursor from a previous page")));
  }
}
