package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.core.StatusChannels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Device keys for phone apps against a real (embedded) Postgres: the key is returned once and only
 * its hash is stored, setup data is built from the settings, riders see and revoke only their own,
 * admins any rider's, a revocation reaches a LISTENing gateway, and the limit per rider holds.
 */
class DevicesTest {
  private static final String MINE = "/riders/me/devices";
  private static final String MINE_ONE = "/riders/me/devices/{deviceId}";
  private static final String RIDERS = "/riders/{riderId}/devices";
  private static final String RIDERS_ONE = "/riders/{riderId}/devices/{deviceId}";

  private AuthFixture f;
  private UserStore.User li;
  private UserStore.User wang;

  @BeforeEach
  void setUp() {
    f =
        new AuthFixture(
            Map.of(
                AuthSettings.DEVICE_MQTT_HOST.env(), "gps.example.com",
                AuthSettings.DEVICE_MQTT_PORT.env(), "8883",
                AuthSettings.DEVICE_MQTT_TLS.env(), "true",
                AuthSettings.DEVICE_HTTP_ORIGIN.env(), "https://gps.example.com/",
                AuthSettings.MAX_DEVICES_PER_RIDER.env(), "3"));
    li = UserStore.seedUser(f.ctx, "li.wei", "Li Wei", "rider", "rider-secret-1");
    wang = UserStore.seedUser(f.ctx, "wang.fang", "Wang Fang", "rider", "rider-secret-2");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private static Caller rider(UserStore.User u) {
    return new Caller(u.id(), "rider");
  }

  private APIGatewayProxyResponseEvent create(UserStore.User u, JsonObject body) {
    return f.call("POST", MINE, Map.of(), body, rider(u));
  }

  private JsonObject createOk(UserStore.User u, String name) {
    APIGatewayProxyResponseEvent r = create(u, new JsonObject().put("name", name));
    assertEquals(201, r.getStatusCode(), r.getBody());
    return AuthFixture.json(r);
  }

  private JsonArray list(UserStore.User u) {
    APIGatewayProxyResponseEvent r = f.call("GET", MINE, Map.of(), null, rider(u));
    assertEquals(200, r.getStatusCode(), r.getBody());
    return AuthFixture.json(r).getJsonArray("devices");
  }

  @Test
  void theKeyIsReturnedOnceWithItsSetupAndOnlyItsHashIsStored() {
    JsonObject created = createOk(li, "Li's Pixel 8");
    String key = created.getString("key");
    String id = created.getString("deviceId");
    assertTrue(key.matches("[A-Za-z0-9_-]{43}"), key);
    assertEquals(32, Base64.getUrlDecoder().decode(key).length);
    assertEquals("Li's Pixel 8", created.getString("name"));
    assertEquals("li-s-pixel-8", created.getString("topicDevice"));
    assertEquals(li.id(), created.getString("riderId"));
    assertNull(created.getString("revokedAt"));

    DbRow row = f.ctx.db().one("SELECT * FROM rider_devices WHERE id = $1", id);
    assertEquals(RefreshTokens.hash(key), row.getString("key_hash"));
    assertEquals(li.id(), row.getString("user_id"));
    // the key itself is nowhere in the row
    for (String column : List.of("id", "user_id", "name", "topic_device", "key_hash"))
      assertFalse(row.getString(column).contains(key), column);

    // OwnTracks: MQTT over TLS to the configured host, password = key, significant-change mode
    JsonObject owntracks = created.getJsonObject("setup").getJsonObject("owntracks");
    assertEquals("mqtt", owntracks.getString("mode"));
    assertEquals("owntracks/li.wei/li-s-pixel-8", owntracks.getString("topic"));
    JsonObject config = owntracks.getJsonObject("configuration");
    assertEquals("configuration", config.getString("_type"));
    assertEquals(0, config.getInteger("mode"));
    assertEquals("gps.example.com", config.getString("host"));
    assertEquals(8883, config.getInteger("port"));
    assertEquals(true, config.getBoolean("tls"));
    assertEquals(true, config.getBoolean("auth"));
    assertEquals("li.wei", config.getString("username"));
    assertEquals(key, config.getString("password"));
    assertEquals("li-s-pixel-8", config.getString("deviceId"));
    assertEquals(1, config.getInteger("monitoring"));
    assertEquals(true, config.getBoolean("cmd"));
    assertEquals(true, config.getBoolean("remoteConfiguration"));
    // the link imports exactly that configuration
    String url = owntracks.getString("configurationUrl");
    assertTrue(url.startsWith("owntracks:///config?inline="), url);
    String inline =
        URLDecoder.decode(
            url.substring("owntracks:///config?inline=".length()), StandardCharsets.UTF_8);
    assertEquals(
        config,
        new JsonObject(new String(Base64.getDecoder().decode(inline), StandardCharsets.UTF_8)));

    // Traccar Client: the OsmAnd endpoint on the public origin (trailing '/' dropped), id = key
    JsonObject traccar = created.getJsonObject("setup").getJsonObject("traccarClient");
    assertEquals("https://gps.example.com/v1/osmand", traccar.getString("serverUrl"));
    assertEquals(key, traccar.getString("deviceIdentifier"));
    assertEquals(10, traccar.getInteger("intervalSeconds"));
    assertEquals(0, traccar.getInteger("distanceMeters"));
    assertEquals("high", traccar.getString("accuracy"));
    assertEquals(false, traccar.getBoolean("remoteControl"));

    // the list never shows a key again, nor its hash
    JsonArray listed = list(li);
    assertEquals(1, listed.size());
    JsonObject device = listed.getJsonObject(0);
    assertEquals(
        Set.of(
            "deviceId", "riderId", "name", "topicDevice", "createdAt", "lastSeenAt", "revokedAt"),
        device.fieldNames());
    String last = f.responseBodies.get(f.responseBodies.size() - 1);
    assertFalse(last.contains(key));
    assertFalse(last.contains(RefreshTokens.hash(key)));
    assertEquals(
        3,
        AuthFixture.json(f.call("GET", MINE, Map.of(), null, rider(li))).getInteger("maxDevices"));
  }

  @Test
  void theHttpModeSetupPointsOwnTracksAtTheHttpEndpoint() {
    try (AuthFixture http =
        new AuthFixture(
            Map.of(
                AuthSettings.OWNTRACKS_MODE.env(), "http",
                AuthSettings.DEVICE_HTTP_ORIGIN.env(), "http://192.168.1.20:8080"))) {
      UserStore.User u =
          UserStore.seedUser(http.ctx, "zhao.lei", "Zhao", "rider", "rider-secret-3");
      APIGatewayProxyResponseEvent r =
          http.call("POST", MINE, Map.of(), new JsonObject().put("name", "赵的手机"), rider(u));
      assertEquals(201, r.getStatusCode(), r.getBody());
      JsonObject created = AuthFixture.json(r);
      // a name without Latin letters or digits still gets a valid topic segment
      assertEquals("phone", created.getString("topicDevice"));
      JsonObject config =
          created.getJsonObject("setup").getJsonObject("owntracks").getJsonObject("configuration");
      assertEquals(3, config.getInteger("mode"));
      assertEquals("http://192.168.1.20:8080/v1/owntracks", config.getString("url"));
      assertNull(config.getValue("host"));
      assertEquals(created.getString("key"), config.getString("password"));
    }
  }

  @Test
  void badSettingsAreNamedAtStartup() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () ->
                BackofficeConfig.of(
                        Map.of(
                            AuthSettings.DEVICE_HTTP_ORIGIN.env(), "gps.example.com/osmand",
                            AuthSettings.DEVICE_MQTT_HOST.env(), "mqtt://gps.example.com:1883"))
                    .read(AuthSettings.OWN, AuthSettings.RULES));
    assertTrue(e.getMessage().contains(AuthSettings.DEVICE_HTTP_ORIGIN.env()), e.getMessage());
    assertTrue(e.getMessage().contains(AuthSettings.DEVICE_MQTT_HOST.env()), e.getMessage());
  }

  @Test
  void theHttpOriginMustBeAnOriginAndTheMqttHostAHost() {
    for (String ok :
        List.of(
            "http://localhost:8080", "https://gps.example.com", "https://gps.example.com:8443/"))
      assertNull(DeviceSetup.originProblem(ok), ok);
    for (String bad :
        List.of(
            "gps.example.com",
            "ftp://gps.example.com",
            "https://gps.example.com/osmand",
            "https://user:pw@gps.example.com",
            "https://gps.example.com?x=1",
            "http://")) assertNotNull(DeviceSetup.originProblem(bad), bad);
    for (String ok : List.of("localhost", "gps.example.com", "192.168.1.20"))
      assertNull(DeviceSetup.hostProblem(ok), ok);
    for (String bad : List.of("mqtt://gps.example.com", "gps.example.com:1883", "-bad", ""))
      assertNotNull(DeviceSetup.hostProblem(bad), bad);
  }

  @Test
  void concurrentAdditionsCannotPassTheLimitOrShareATopic() throws Exception {
    int attempts = 8;
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<APIGatewayProxyResponseEvent>> results = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  // straight to the handler: the fixture's response log is not thread-safe
                  return f.handler.handleRequest(
                      ApiEvents.event(
                          "POST",
                          MINE,
                          Map.of(),
                          new JsonObject().put("name", "Same phone").encode(),
                          rider(li)),
                      null);
                }));
      }
      go.countDown();
      int created = 0;
      int refused = 0;
      for (Future<APIGatewayProxyResponseEvent> r : results) {
        int status = r.get(30, TimeUnit.SECONDS).getStatusCode();
        if (status == 201) created++;
        else if (status == 409) refused++;
        else throw new AssertionError("unexpected status " + status);
      }
      assertEquals(3, created, "the limit of 3 holds under concurrency");
      assertEquals(attempts - 3, refused);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(
        Set.of("same-phone", "same-phone-2", "same-phone-3"),
        list(li).stream()
            .map(o -> ((JsonObject) o).getString("topicDevice"))
            .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void topicSegmentsStayUniquePerRiderAmongUnrevokedDevices() {
    assertEquals("pixel", createOk(li, "Pixel").getString("topicDevice"));
    assertEquals("pixel-2", createOk(li, "pixel!").getString("topicDevice"));
    // another rider's topics are their own
    assertEquals("pixel", createOk(wang, "PIXEL").getString("topicDevice"));
    assertEquals(
        "a23456789012345678901234567",
        DeviceStore.freeTopicDevice("A23456789012345678901234567-xyz", Set.of()).substring(0, 27));
    assertTrue(
        DeviceStore.freeTopicDevice("x".repeat(64), Set.of()).matches("^[a-z0-9][a-z0-9-]{0,31}$"));
  }

  @Test
  void validationNamesTheField() {
    assertField(create(li, new JsonObject()), "name", "is required");
    assertField(create(li, new JsonObject().put("name", "   ")), "name", "must not be blank");
    assertField(create(li, new JsonObject().put("name", 42)), "name", "must be a string");
    assertField(
        create(li, new JsonObject().put("name", "x".repeat(65))), "name", "at most 64 characters");
    assertField(
        create(li, new JsonObject().put("name", "line\nbreak")), "name", "control characters");
    assertField(
        create(li, new JsonObject().put("name", "ok").put("key", "my-own-key")),
        "key",
        "is not a known field");
    assertEquals(0, list(li).size(), "nothing was created");
  }

  @Test
  void aRiderHoldsAtMostTheLimitAndARevokedDeviceFreesASlot() {
    createOk(li, "one");
    createOk(li, "two");
    String third = createOk(li, "three").getString("deviceId");
    APIGatewayProxyResponseEvent refused = create(li, new JsonObject().put("name", "four"));
    assertEquals(409, refused.getStatusCode(), refused.getBody());
    JsonObject error = AuthFixture.json(refused);
    assertEquals("device_limit", error.getString("error"));
    assertTrue(error.getString("message").contains("3 devices"), error.getString("message"));
    // the limit is per rider
    createOk(wang, "one");

    assertEquals(204, revokeMine(li, third).getStatusCode());
    createOk(li, "four");
    assertEquals(3, list(li).size());
  }

  @Test
  void anotherRiderCannotSeeOrRevokeADeviceButAnAdminCan() {
    String id = createOk(li, "Pixel").getString("deviceId");
    // Wang cannot tell Li's device from a device that does not exist
    APIGatewayProxyResponseEvent foreign = revokeMine(wang, id);
    APIGatewayProxyResponseEvent none = revokeMine(wang, "no-such-device");
    assertEquals(404, foreign.getStatusCode());
    assertEquals(404, none.getStatusCode());
    assertEquals(
        AuthFixture.json(none).getString("message").replace("no-such-device", id),
        AuthFixture.json(foreign).getString("message"));
    assertEquals(0, list(wang).size());
    assertEquals(1, list(li).size(), "still there");

    // staff read any rider's list; an admin revokes, under the right rider only
    APIGatewayProxyResponseEvent managerView =
        f.call("GET", RIDERS, Map.of("riderId", li.id()), null, new Caller("m-1", "manager"));
    assertEquals(200, managerView.getStatusCode(), managerView.getBody());
    assertEquals(1, AuthFixture.json(managerView).getJsonArray("devices").size());
    assertEquals(
        403,
        f.call(
                "DELETE",
                RIDERS_ONE,
                Map.of("riderId", li.id(), "deviceId", id),
                null,
                new Caller("m-1", "manager"))
            .getStatusCode());
    assertEquals(
        404,
        f.call(
                "DELETE",
                RIDERS_ONE,
                Map.of("riderId", wang.id(), "deviceId", id),
                null,
                f.adminCaller())
            .getStatusCode());
    assertEquals(
        404,
        f.call("GET", RIDERS, Map.of("riderId", "nobody"), null, f.adminCaller()).getStatusCode());
    assertEquals(
        204,
        f.call(
                "DELETE",
                RIDERS_ONE,
                Map.of("riderId", li.id(), "deviceId", id),
                null,
                f.adminCaller())
            .getStatusCode());
    DbRow row =
        f.ctx.db().one("SELECT revoked_at, revoked_by FROM rider_devices WHERE id = $1", id);
    assertEquals(f.admin.id(), row.getString("revoked_by"));
    assertEquals(0, list(li).size());

    // the rider-only paths refuse staff, and the staff paths refuse riders
    assertEquals(403, f.call("GET", MINE, Map.of(), null, f.adminCaller()).getStatusCode());
    assertEquals(
        403, f.call("GET", RIDERS, Map.of("riderId", li.id()), null, rider(wang)).getStatusCode());
  }

  @Test
  void revocationIsStoredAndAnnouncedToListeningGateways() throws Exception {
    String id = createOk(li, "Pixel").getString("deviceId");
    String other = createOk(li, "Tablet").getString("deviceId");
    LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    try (Listener listener = new Listener(received)) {
      f.clock.advance(java.time.Duration.ofSeconds(60));
      assertEquals(204, revokeMine(li, id).getStatusCode());
      JsonObject n = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(n, "no notification on " + StatusChannels.DEVICE_STATUS);
      assertEquals(id, n.getString("deviceId"));
      assertEquals(li.id(), n.getString("userId"));
      assertEquals(true, n.getBoolean("revoked"));

      DbRow row =
          f.ctx.db().one("SELECT revoked_at, revoked_by FROM rider_devices WHERE id = $1", id);
      assertEquals(f.clock.instant(), row.getOffsetDateTime("revoked_at").toInstant());
      assertEquals(li.id(), row.getString("revoked_by"));
      assertNull(
          f.ctx
              .db()
              .one("SELECT revoked_at FROM rider_devices WHERE id = $1", other)
              .getOffsetDateTime("revoked_at"));

      // a retried DELETE succeeds and changes nothing, so nothing more is announced
      assertEquals(204, revokeMine(li, id).getStatusCode());
      assertNull(received.poll(1, TimeUnit.SECONDS));
    }
    assertEquals(
        List.of(other),
        list(li).stream().map(o -> ((JsonObject) o).getString("deviceId")).toList());
  }

  private APIGatewayProxyResponseEvent revokeMine(UserStore.User u, String deviceId) {
    return f.call("DELETE", MINE_ONE, Map.of("deviceId", deviceId), null, rider(u));
  }

  private static void assertField(APIGatewayProxyResponseEvent r, String field, String message) {
    assertEquals(400, r.getStatusCode(), r.getBody());
    JsonArray errors = AuthFixture.json(r).getJsonArray("errors");
    assertTrue(
        errors.stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                e ->
                    field.equals(e.getString("field")) && e.getString("message").contains(message)),
        r.getBody());
  }

  /** A connection of its own LISTENs on the device channel, as a gateway's does. */
  private final class Listener implements AutoCloseable {
    private final Database db;
    private final Thread thread;
    private volatile boolean listening = true;

    Listener(LinkedBlockingQueue<JsonObject> received) throws InterruptedException {
      db = Database.connect(f.ctx.config().get(BackofficeSettings.PG_URL), "", 1);
      CountDownLatch subscribed = new CountDownLatch(1);
      thread =
          new Thread(
              () ->
                  db.withSession(
                      sql -> {
                        sql.query("LISTEN " + StatusChannels.DEVICE_STATUS);
                        subscribed.countDown();
                        try {
                          PGConnection pg = sql.connection().unwrap(PGConnection.class);
                          while (listening) {
                            PGNotification[] batch = pg.getNotifications(100);
                            if (batch == null) continue;
                            for (PGNotification n : batch)
                              if (StatusChannels.DEVICE_STATUS.equals(n.getName()))
                                received.add(new JsonObject(n.getParameter()));
                          }
                        } catch (SQLException e) {
                          throw new IllegalStateException(e);
                        }
                        return null;
                      }),
              "device-status-listener");
      thread.start();
      assertTrue(subscribed.await(10, TimeUnit.SECONDS), "LISTEN did not start");
    }

    @Override
    public void close() throws InterruptedException {
      listening = false;
      thread.join(10_000);
      db.close();
    }
  }
}
