package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.Caller;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsersTest {
  private AuthFixture f;

  @BeforeEach
  void setUp() {
    f = new AuthFixture();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private APIGatewayProxyResponseEvent create(JsonObject body) {
    return f.call("POST", "/users", Map.of(), body, f.adminCaller());
  }

  private static JsonObject newUser(
      String username, String displayName, String role, String password) {
    return new JsonObject()
        .put("username", username)
        .put("displayName", displayName)
        .put("role", role)
        .put("password", password);
  }

  @Test
  void anAdminCreatesReadsListsAndChangesUsers() {
    APIGatewayProxyResponseEvent created =
        create(newUser("li.wei", "Li Wei 李伟", "rider", "rider-secret-1"));
    assertEquals(201, created.getStatusCode(), created.getBody());
    JsonObject user = AuthFixture.json(created);
    String id = user.getString("id");
    assertEquals(
        Set.of("id", "username", "displayName", "role", "active", "createdAt", "updatedAt"),
        user.fieldNames());
    assertEquals("Li Wei 李伟", user.getString("displayName"));
    assertTrue(user.getBoolean("active"));
    assertEquals(f.clock.instant().toString(), user.getString("createdAt"));

    APIGatewayProxyResponseEvent got =
        f.call("GET", "/users/{userId}", Map.of("userId", id), null, f.adminCaller());
    assertEquals(200, got.getStatusCode());
    assertEquals(user, AuthFixture.json(got));

    APIGatewayProxyResponseEvent list = f.call("GET", "/users", Map.of(), null, f.adminCaller());
    assertEquals(200, list.getStatusCode());
    JsonArray users = AuthFixture.json(list).getJsonArray("users");
    assertEquals(
        List.of("li.wei", "root.admin"),
        users.stream().map(u -> ((JsonObject) u).getString("username")).toList());
    assertNull(AuthFixture.json(list).getString("nextCursor"));

    f.clock.advance(java.time.Duration.ofMinutes(1));
    APIGatewayProxyResponseEvent patched =
        f.call(
            "PATCH",
            "/users/{userId}",
            Map.of("userId", id),
            new JsonObject().put("displayName", "Wei Li").put("role", "manager"),
            f.adminCaller());
    assertEquals(200, patched.getStatusCode(), patched.getBody());
    JsonObject after = AuthFixture.json(patched);
    assertEquals("Wei Li", after.getString("displayName"));
    assertEquals("manager", after.getString("role"));
    assertEquals(user.getString("createdAt"), after.getString("createdAt"));
    assertEquals(f.clock.instant().toString(), after.getString("updatedAt"));
    assertEquals(
        "manager", f.loginOk("li.wei", "rider-secret-1").getJsonObject("user").getString("role"));

    APIGatewayProxyResponseEvent deactivated =
        f.call(
            "PATCH",
            "/users/{userId}",
            Map.of("userId", id),
            new JsonObject().put("active", false),
            f.adminCaller());
    assertFalse(AuthFixture.json(deactivated).getBoolean("active"));
    assertEquals(401, f.login("li.wei", "rider-secret-1").getStatusCode());
    f.call(
        "PATCH",
        "/users/{userId}",
        Map.of("userId", id),
        new JsonObject().put("active", true),
        f.adminCaller());
    assertEquals(200, f.login("li.wei", "rider-secret-1").getStatusCode());
  }

  @Test
  void aTakenUsernameIs409() {
    assertEquals(
        201, create(newUser("dup.user", "First", "rider", "password-one")).getStatusCode());
    APIGatewayProxyResponseEvent again =
        create(newUser("dup.user", "Second", "manager", "password-two"));
    assertEquals(409, again.getStatusCode());
    assertEquals("conflict", AuthFixture.json(again).getString("error"));
    assertEquals(
        200, f.login("dup.user", "password-one").getStatusCode(), "the first account is untouched");
  }

  @Test
  void everyInvalidFieldIsNamed() {
    APIGatewayProxyResponseEvent r =
        create(
            new JsonObject()
                .put("username", "a b")
                .put("displayName", "   ")
                .put("role", "superuser")
                .put("password", "short")
                .put("isAdmin", true));
    assertEquals(400, r.getStatusCode());
    assertEquals(
        Set.of("username", "displayName", "role", "password", "isAdmin"), LoginTest.fields(r));

    APIGatewayProxyResponseEvent missing = create(new JsonObject());
    assertEquals(Set.of("username", "displayName", "role", "password"), LoginTest.fields(missing));

    APIGatewayProxyResponseEvent types =
        create(
            new JsonObject()
                .put("username", 7)
                .put("displayName", List.of("x"))
                .put("role", true)
                .put("password", 12345678));
    assertEquals(Set.of("username", "displayName", "role", "password"), LoginTest.fields(types));

    APIGatewayProxyResponseEvent lengths =
        create(newUser("ab", "d".repeat(101), "rider", "p".repeat(129)));
    assertEquals(Set.of("username", "displayName", "password"), LoginTest.fields(lengths));
    assertEquals(
        201,
        create(newUser("a".repeat(64), "d".repeat(100), "rider", "p".repeat(128))).getStatusCode());
    assertEquals(400, create(newUser("a".repeat(65), "x", "rider", "p".repeat(8))).getStatusCode());
    assertEquals(
        201,
        create(newUser("ok_name.with-all@chars", "x", "rider", "p".repeat(8))).getStatusCode());

    APIGatewayProxyResponseEvent patch =
        f.call(
            "PATCH",
            "/users/{userId}",
            Map.of("userId", f.admin.id()),
            new JsonObject()
                .put("active", "no")
                .put("role", "boss")
                .put("password", "1234567")
                .put("displayName", "")
                .put("username", "renamed"),
            f.adminCaller());
    assertEquals(400, patch.getStatusCode());
    assertEquals(
        Set.of("active", "role", "password", "displayName", "username"), LoginTest.fields(patch));

    APIGatewayProxyResponseEvent empty =
        f.call(
            "PATCH",
            "/users/{userId}",
            Map.of("userId", f.admin.id()),
            new JsonObject(),
            f.adminCaller());
    assertEquals(400, empty.getStatusCode());
  }

  @Test
  void sqlMetacharactersAreStoredVerbatimAndHarmless() {
    String displayName = "Robert'); DROP TABLE users;--";
    String tricky = "O'Brien \"Bobby\" \\ %_ $1 ;-- /* */";
    APIGatewayProxyResponseEvent r =
        create(newUser("bobby.tables", displayName, "rider", "x'); DROP TABLE users;--"));
    assertEquals(201, r.getStatusCode(), r.getBody());
    String id = AuthFixture.json(r).getString("id");
    assertEquals(displayName, AuthFixture.json(r).getString("displayName"));

    APIGatewayProxyResponseEvent patched =
        f.call(
            "PATCH",
            "/users/{userId}",
            Map.of("userId", id),
            new JsonObject().put("displayName", tricky),
            f.adminCaller());
    assertEquals(tricky, AuthFixture.json(patched).getString("displayName"));
    assertEquals(tricky, f.handler.users().findById(id).orElseThrow().displayName());

    // The password with SQL in it works as a password, and every table is still there.
    assertEquals(200, f.login("bobby.tables", "x'); DROP TABLE users;--").getStatusCode());
    long tables =
        f.ctx
            .db()
            .one(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                    + "AND table_name IN ('users', 'refresh_tokens', 'login_failures')")
            .getLong(0);
    assertEquals(3, tables);

    // Usernames have a strict alphabet: the same text is refused there, naming the field.
    APIGatewayProxyResponseEvent bad =
        create(newUser("Robert'); DROP TABLE users;--", "x", "rider", "password-1"));
    assertEquals(Set.of("username"), LoginTest.fields(bad));

    // An id with SQL in it is just an unknown id.
    APIGatewayProxyResponseEvent byId =
        f.call("GET", "/users/{userId}", Map.of("userId", "1' OR '1'='1"), null, f.adminCaller());
    assertEquals(404, byId.getStatusCode());
  }

  @Test
  void noResponseEverCarriesAPasswordHash() {
    String id =
        AuthFixture.json(create(newUser("hash.check", "Hash Check", "rider", "hash-check-pw")))
            .getString("id");
    f.call("GET", "/users", Map.of(), null, f.adminCaller());
    f.call("GET", "/users/{userId}", Map.of("userId", id), null, f.adminCaller());
    f.call(
        "PATCH",
        "/users/{userId}",
        Map.of("userId", id),
        new JsonObject().put("password", "another-pw-1"),
        f.adminCaller());
    f.call("GET", "/me", Map.of(), null, new Caller(id, "rider"));
    f.loginOk("hash.check", "another-pw-1");
    f.login("hash.check", "wrong-password");
    // AuthFixture.send asserted on each body; also no field that even names a password.
    assertTrue(f.responseBodies.size() >= 7);
    for (String body : f.responseBodies) {
      if (body.startsWith("{"))
        assertFalse(
            deepKeys(new JsonObject(body)).stream()
                .anyMatch(
                    k -> k.toLowerCase().contains("password") || k.toLowerCase().contains("hash")),
            body);
    }
  }

  @Test
  void meIsTheCallersOwnAccount() {
    UserStore.User rider =
        UserStore.seedUser(f.ctx, "me.rider", "Me Rider", "rider", "me-rider-pw");
    APIGatewayProxyResponseEvent me =
        f.call("GET", "/me", Map.of(), null, new Caller(rider.id(), "rider"));
    assertEquals(200, me.getStatusCode());
    assertEquals(rider.toJson(), AuthFixture.json(me));

    assertEquals(
        401, f.call("GET", "/me", Map.of(), null, null).getStatusCode(), "no authorizer context");
    assertEquals(
        404, f.call("GET", "/me", Map.of(), null, new Caller("gone", "rider")).getStatusCode());
  }

  @Test
  void onlyAdminsManageUsersEvenIfTheGatewayWereMisconfigured() {
    Caller manager = new Caller("m1", "manager");
    assertEquals(403, f.call("GET", "/users", Map.of(), null, manager).getStatusCode());
    assertEquals(
        403,
        f.call(
                "POST",
                "/users",
                Map.of(),
                newUser("x.y.z", "x", "admin", "password-1"),
                new Caller("r1", "rider"))
            .getStatusCode());
    assertEquals(
        403,
        f.call("GET", "/users/{userId}", Map.of("userId", f.admin.id()), null, manager)
            .getStatusCode());
    assertEquals(
        401,
        f.call(
                "PATCH",
                "/users/{userId}",
                Map.of("userId", f.admin.id()),
                new JsonObject().put("role", "admin"),
                null)
            .getStatusCode());
  }

  @Test
  void anAdminCannotLockThemselvesOut() {
    Map<String, String> self = Map.of("userId", f.admin.id());
    assertEquals(
        409,
        f.call(
                "PATCH",
                "/users/{userId}",
                self,
                new JsonObject().put("active", false),
                f.adminCaller())
            .getStatusCode());
    assertEquals(
        409,
        f.call(
                "PATCH",
                "/users/{userId}",
                self,
                new JsonObject().put("role", "rider"),
                f.adminCaller())
            .getStatusCode());
    assertEquals(
        200,
        f.call(
                "PATCH",
                "/users/{userId}",
                self,
                new JsonObject().put("displayName", "Still Root"),
                f.adminCaller())
            .getStatusCode());
  }

  @Test
  void unknownUsersAre404() {
    assertEquals(
        404,
        f.call("GET", "/users/{userId}", Map.of("userId", "no-such-id"), null, f.adminCaller())
            .getStatusCode());
    assertEquals(
        404,
        f.call(
                "PATCH",
                "/users/{userId}",
                Map.of("userId", "no-such-id"),
                new JsonObject().put("displayName", "x"),
                f.adminCaller())
            .getStatusCode());
  }

  @Test
  void theListIsPagedByUsername() {
    for (int i = 0; i < 5; i++)
      UserStore.seedUser(f.ctx, "page.user" + i, "P" + i, "rider", "page-user-pw");
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> query = new HashMap<>(Map.of("limit", "2"));
      if (cursor != null) query.put("cursor", cursor);
      APIGatewayProxyRequestEvent event =
          ApiEvents.event("GET", "/users", Map.of(), null, f.adminCaller())
              .withQueryStringParameters(query);
      JsonObject page = AuthFixture.json(f.send(event));
      page.getJsonArray("users").forEach(u -> seen.add(((JsonObject) u).getString("username")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertEquals(
        List.of("page.user0", "page.user1", "page.user2", "page.user3", "page.user4", "root.admin"),
        seen);
    assertEquals(3, pages);

    for (String bad : List.of("0", "201", "ten")) {
      APIGatewayProxyRequestEvent event =
          ApiEvents.event("GET", "/users", Map.of(), null, f.adminCaller())
              .withQueryStringParameters(Map.of("limit", bad));
      APIGatewayProxyResponseEvent r = f.send(event);
      assertEquals(400, r.getStatusCode(), bad);
      assertEquals(Set.of("limit"), LoginTest.fields(r));
    }
    APIGatewayProxyResponseEvent badCursor =
        f.send(
            ApiEvents.event("GET", "/users", Map.of(), null, f.adminCaller())
                .withQueryStringParameters(Map.of("cursor", "!!!")));
    assertEquals(400, badCursor.getStatusCode());
  }

  @Test
  void seedingIsIdempotentAndValidates() {
    UserStore.User first =
        UserStore.seedUser(f.ctx, "seed.rider", "Seed", "rider", "seed-password");
    UserStore.User again =
        UserStore.seedUser(f.ctx, "seed.rider", "Other Name", "admin", "other-password");
    assertEquals(first, again, "an existing account is left as it is");
    assertEquals(200, f.login("seed.rider", "seed-password").getStatusCode());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UserStore.seedUser(f.ctx, "x", "", "boss", "short"));
    for (String field : List.of("username", "displayName", "role", "password")) {
      assertTrue(e.getMessage().contains(field), e.getMessage());
    }
  }

  private static Set<String> deepKeys(Object json) {
    Set<String> keys = new java.util.HashSet<>();
    if (json instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        keys.add(k);
        keys.addAll(deepKeys(o.getValue(k)));
      }
    } else if (json instanceof JsonArray a) {
      a.forEach(v -> keys.addAll(deepKeys(v)));
    }
    return keys;
  }
}
