package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole story through the real stack (embedded Postgres, dynalite, local-api behind the real
 * authorizer, the gateway with Postgres task access): admin logs in → creates a route → publishes a
 * task → two riders race → the winner starts → publishes fixes over MQTT → completes → earnings
 * show the bonus; the loser's publish is refused.
 */
class WholeStoryIT {
  static LocalStack stack;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(null, Map.of());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static HttpResponse<String> call(String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + " → " + r.body());
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  static String login(String username, String password) throws Exception {
    return ok(
            call(
                "POST",
                "/auth/login",
                null,
                new JsonObject().put("username", username).put("password", password)),
            200)
        .getString("accessToken");
  }

  static MqttAsyncClient mqtt(String clientId, String token) throws Exception {
    MqttAsyncClient c =
        new MqttAsyncClient(
            "tcp://127.0.0.1:" + stack.gateway.mqttPort(), clientId, new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName(clientId);
    o.setPassword(token.getBytes(StandardCharsets.UTF_8));
    c.connect(o).waitForCompletion(10_000);
    return c;
  }

  static int publish(MqttAsyncClient c, String taskId, JsonArray fixes) throws Exception {
    MqttMessage m = new MqttMessage(fixes.toBuffer().getBytes());
    m.setQos(1);
    IMqttToken t = c.publish("tracklane/v1/tasks/" + taskId + "/fixes", m);
    t.waitForCompletion(10_000);
    return t.getReasonCodes()[0];
  }

  @Test
  void adminRouteTaskRaceFixesCompleteEarnings() throws Exception {
    String admin = login("admin", stack.seeded.passwords().get("admin"));

    // Two riders created by the admin.
    for (String u : List.of("alice", "bob")) {
      ok(
          call(
              "POST",
              "/users",
              admin,
              new JsonObject()
                  .put("username", u)
                  .put("displayName", u.toUpperCase())
                  .put("role", "rider")
                  .put("password", u + "-Secret-9")),
          201);
    }
    JsonObject route =
        ok(
            call(
                "POST",
                "/routes",
                admin,
                new JsonObject()
                    .put("name", "Story route")
                    .put(
                        "geometry",
                        new JsonObject()
                            .put("type", "LineString")
                            .put(
                                "coordinates",
                                new JsonArray()
                                    .add(new JsonArray().add(121.4737).add(31.2304))
                                    .add(new JsonArray().add(121.4800).add(31.2350))))
                    .put("checkpoints", new JsonArray())),
            201);
    Instant now = Instant.now();
    JsonObject task =
        ok(
            call(
                "POST",
                "/tasks",
                admin,
                new JsonObject()
                    .put("routeId", route.getString("id"))
                    .put("title", "Story task")
                    .put("bonusAmount", "25.50")
                    .put("bonusCurrency", "CNY")
                    .put("windowStart", now.minusSeconds(60).toString())
                    .put("windowEnd", now.plusSeconds(3600).toString())),
            201);
    String taskId = task.getString("id");

    String alice = login("alice", "alice-Secret-9");
    String bob = login("bob", "bob-Secret-9");
    CompletableFuture<HttpResponse<String>> a =
        CompletableFuture.supplyAsync(
            () -> unchecked(() -> call("POST", "/tasks/" + taskId + "/claim", alice, null)));
    CompletableFuture<HttpResponse<String>> b =
        CompletableFuture.supplyAsync(
            () -> unchecked(() -> call("POST", "/tasks/" + taskId + "/claim", bob, null)));
    int sa = a.get().statusCode();
    int sb = b.get().statusCode();
    assertEquals(
        List.of(200, 409), List.of(Math.min(sa, sb), Math.max(sa, sb)), "exactly one rider wins");
    String winner = sa == 200 ? alice : bob;
    String loser = sa == 200 ? bob : alice;

    ok(call("POST", "/tasks/" + taskId + "/start", winner, null), 200);
    // the ride along the route's straight line, one fix per 10 s: the first three, then the rest
    JsonArray fixes = new JsonArray();
    JsonArray rest = new JsonArray();
    long t0 = System.currentTimeMillis() - 90_000;
    for (int i = 0; i <= 8; i++) {
      (i < 3 ? fixes : rest)
          .add(
              new JsonObject()
                  .put("ts", t0 + i * 10_000L)
                  .put("lat", 31.2304 + i * (31.2350 - 31.2304) / 8)
                  .put("lon", 121.4737 + i * (121.4800 - 121.4737) / 8));
    }
    MqttAsyncClient w = mqtt("winner-phone", winner);
    MqttAsyncClient l = mqtt("loser-phone", loser);
    try {
      assertEquals(0, publish(w, taskId, fixes), "the winner's fixes are stored");
      assertEquals(0x87, publish(l, taskId, fixes), "the loser may not publish for the task");
    } finally {
      w.disconnect().waitForCompletion(5000);
      l.disconnect().waitForCompletion(5000);
      w.close();
      l.close();
    }
    JsonObject track = ok(call("GET", "/tasks/" + taskId + "/track", winner, null), 200);
    assertEquals(3, track.getJsonArray("fixes").size(), track.encode());

    // a quarter of the way along: the arrival check refuses completion and says why
    HttpResponse<String> early = call("POST", "/tasks/" + taskId + "/complete", winner, null);
    assertEquals(409, early.statusCode(), early.body());
    assertEquals("not_arrived", new JsonObject(early.body()).getString("error"));
    MqttAsyncClient rider = mqtt("winner-phone", winner);
    try {
      assertEquals(0, publish(rider, taskId, rest), "the rest of the ride is stored");
    } finally {
      rider.disconnect().waitForCompletion(5000);
      rider.close();
    }
    JsonObject done = ok(call("POST", "/tasks/" + taskId + "/complete", winner, null), 200);
    JsonObject ride = done.getJsonObject("completion");
    assertTrue(ride.getBoolean("arrived"), done.encode());
    // the straight line is about 787 m long
    assertEquals(787, ride.getDouble("distanceM"), 10, done.encode());
    JsonObject earnings = ok(call("GET", "/riders/me/earnings", winner, null), 200);
    assertTrue(earnings.encode().contains("25.50"), earnings.encode());
    JsonObject loserEarnings = ok(call("GET", "/riders/me/earnings", loser, null), 200);
    assertFalse(loserEarnings.encode().contains("25.50"), loserEarnings.encode());

    JsonArray events =
        ok(call("GET", "/tasks/" + taskId + "/events", admin, null), 200).getJsonArray("items");
    List<String> types = events.stream().map(e -> ((JsonObject) e).getString("type")).toList();
    assertEquals(List.of("created", "claimed", "started", "completed"), types, events.encode());
  }

  @Test
  void authorizationAtTheApi() throws Exception {
    String rider = login("rider1", stack.seeded.passwords().get("rider1"));
    assertEquals(
        403,
        call("POST", "/routes", rider, new JsonObject().put("name", "x")).statusCode(),
        "a rider cannot create a route");
    assertEquals(401, call("GET", "/tasks", null, null).statusCode());
    assertEquals(401, call("GET", "/tasks", "not-a-token", null).statusCode());
    String expired =
        stack
            .keys
            .minter("tracklane", "tracklane")
            .mintExpired(stack.seeded.userIds().get("rider1"), "rider");
    assertEquals(401, call("GET", "/tasks", expired, null).statusCode(), "expired token");
    String forged =
        io.tracklane.devkit.DevSigningKeys.generate()
            .minter("tracklane", "tracklane")
            .mint(stack.seeded.userIds().get("admin"), "admin", Duration.ofMinutes(5));
    assertEquals(
        401,
        call("POST", "/routes", forged, new JsonObject().put("name", "x")).statusCode(),
        "forged token");
    String admin = login("admin", stack.seeded.passwords().get("admin"));
    HttpResponse<String> bad = call("POST", "/tasks", admin, new JsonObject().put("routeId", 42));
    assertEquals(400, bad.statusCode(), bad.body());
    JsonArray errors = new JsonObject(bad.body()).getJsonArray("errors");
    assertTrue(errors.encode().contains("routeId"), "names the wrongly typed field: " + bad.body());
    assertTrue(errors.encode().contains("title"), "names the missing field: " + bad.body());
  }

  interface IoCall<T> {
    T run() throws Exception;
  }

  static <T> T unchecked(IoCall<T> c) {
    try {
      return c.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
