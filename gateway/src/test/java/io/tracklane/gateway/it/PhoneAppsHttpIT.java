package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.StatusChannels;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.offers.BackOfficeDb;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Traccar Client (OsmAnd: query, form, 9.x JSON) and OwnTracks in HTTP mode against a real gateway:
 * real back-office Postgres (device keys, tasks, notifications), real dynalite behind the fault
 * proxy, requests built as the apps send them. Each fix is read back from DynamoDB in our units.
 */
class PhoneAppsHttpIT {
  static BackOfficeDb db;
  static GatewayHarness h;
  static String task;
  static String key;

  /** Fix times: from the task's start on, a second apart. */
  static final AtomicLong TS = new AtomicLong();

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() throws Exception {
    db = BackOfficeDb.create("phoneapps_http");
    db.user("rider-a", "rider");
    db.user("rider-idle", "rider");
    task = PhoneAppsBackOffice.claimedTask(db, "rider-a");
    PhoneAppsBackOffice.start(db, task, "rider-a");
    TS.set(System.currentTimeMillis() / 1000 * 1000);
    key = PhoneAppsBackOffice.addDevice(db, "rider-a", "phone");
    h = GatewayHarness.start(true, Map.of(GatewaySettings.PG_URL.env(), db.url));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
    if (db != null) db.close();
  }

  @AfterEach
  void clearFaults() {
    h.proxy.reset();
  }

  /** A fresh timestamp (whole seconds: OsmAnd and OwnTracks send seconds). */
  static long nextTs() {
    return TS.addAndGet(1000);
  }

  static String q(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + h.httpPort() + pathAndQuery);
  }

  HttpRequest.Builder osmandGet(String query) {
    return HttpRequest.newBuilder(uri("/v1/osmand?" + query)).timeout(Duration.ofSeconds(30)).GET();
  }

  HttpRequest.Builder osmandForm(String form) {
    return HttpRequest.newBuilder(uri("/v1/osmand"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
  }

  HttpRequest.Builder owntracks(String password, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/v1/owntracks"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("X-Limit-U", "u")
            .header("X-Limit-D", "d")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (password != null)
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(("u:" + password).getBytes(StandardCharsets.UTF_8)));
    return b;
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder b) {
    return HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String owntracksLocation(long ts) {
    return "{\"_type\":\"location\",\"tid\":\"ph\",\"lat\":31.2305,\"lon\":121.4738,\"tst\":"
        + ts / 1000
        + ",\"vel\":18,\"cog\":90,\"alt\":15,\"acc\":7,\"batt\":80,\"conn\":\"m\",\"t\":\"u\"}";
  }

  static double num(Map<String, AttributeValue> item, String name) {
    return Double.parseDouble(item.get(name).n());
  }

  Map<String, AttributeValue> stored(long ts) {
    Map<String, AttributeValue> item = h.item(task, ts);
    assertFalse(item.isEmpty(), "fix " + ts + " stored on the rider's task in progress");
    return item;
  }

  @Test
  void osmandQueryStringIsStoredInOurUnits() throws Exception {
    long ts = nextTs();
    HttpResponse<String> r =
        send(
            osmandGet(
                "id="
                    + key
                    + "&timestamp="
                    + ts / 1000
                    + "&lat=31.2304&lon=121.4737&speed=10&bearing=45&altitude=12&accuracy=5&batt=80"
                    + "&charge=false&hdop=0.9"));
    assertEquals(200, r.statusCode(), r.body());
    Map<String, AttributeValue> item = stored(ts);
    assertEquals(5.144, num(item, "spd"), 0.001, "10 knots");
    assertEquals(0.8, num(item, "bat"), 1e-9, "80 %");
    assertEquals(45, num(item, "hdg"));
    assertEquals(12, num(item, "alt"));
    assertEquals(5, num(item, "acc"));
    assertEquals("rider-a", item.get("riderId").s());
  }

  @Test
  void osmandFormBodyWithLocationAndSpacedTimestamp() throws Exception {
    long ts = nextTs();
    String spaced =
        Instant.ofEpochMilli(ts).toString().replace('T', ' ').replace("Z", "").substring(0, 19);
    HttpResponse<String> r =
        send(
            osmandForm(
                "deviceid="
                    + key
                    + "&location="
                    + q("31.2306,121.4739")
                    + "&timestamp="
                    + q(spaced)
                    + "&speed=10&heading=180&batt=80"));
    assertEquals(200, r.statusCode(), r.body());
    Map<String, AttributeValue> item = stored(ts);
    assertEquals(31.2306, num(item, "lat"));
    assertEquals(5.144, num(item, "spd"), 0.001);
    assertEquals(180, num(item, "hdg"));
    assertEquals(0.8, num(item, "bat"), 1e-9);
  }

  @Test
  void traccarClient9JsonBody() throws Exception {
    long ts = nextTs();
    String json =
        new JsonObject()
            .put(
                "location",
                new JsonObject()
                    .put("timestamp", Instant.ofEpochMilli(ts).toString())
                    .put(
                        "coords",
                        new JsonObject()
                            .put("latitude", 31.2307)
                            .put("longitude", 121.474)
                            .put("accuracy", 4.5)
                            .put("speed", 5.0)
                            .put("heading", 10.0)
                            .put("altitude", 9.0))
                    .put("is_moving", true)
                    .put("odometer", 100.0)
                    .put("battery", new JsonObject().put("level", 0.8).put("is_charging", false))
                    .put("activity", new JsonObject().put("type", "on_bicycle")))
            .put("device_id", key)
            .encode();
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/v1/osmand"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    assertEquals(200, r.statusCode(), r.body());
    Map<String, AttributeValue> item = stored(ts);
    assertEquals(5.0, num(item, "spd"));
    assertEquals(0.8, num(item, "bat"));
    assertEquals(4.5, num(item, "acc"));
  }

  @Test
  void owntracksHttpLocationIsStoredAndTheReplyIsAJsonArray() throws Exception {
    String own = PhoneAppsBackOffice.addDevice(db, "rider-a", "ot-http"); // told nothing yet
    long ts = nextTs();
    HttpResponse<String> r = send(owntracks(own, owntracksLocation(ts)));
    assertEquals(200, r.statusCode(), r.body());
    JsonArray reply = new JsonArray(r.body());
    Map<String, AttributeValue> item = stored(ts);
    assertEquals(5.0, num(item, "spd"), 1e-9, "18 km/h");
    assertEquals(0.8, num(item, "bat"), 1e-9);
    assertEquals(90, num(item, "hdg"), "cog");
    // a task is in progress: the device (first contact) is told move mode and asked for a fix
    assertEquals("setConfiguration", reply.getJsonObject(0).getString("action"));
    assertEquals(2, reply.getJsonObject(0).getJsonObject("configuration").getInteger("monitoring"));
    assertEquals("reportLocation", reply.getJsonObject(1).getString("action"));
    // told once
    HttpResponse<String> again = send(owntracks(own, owntracksLocation(nextTs())));
    assertEquals("[]", again.body());
    // other _types are accepted and ignored
    HttpResponse<String> lwt =
        send(owntracks(own, "{\"_type\":\"transition\",\"event\":\"enter\",\"tst\":1}"));
    assertEquals(200, lwt.statusCode());
    assertEquals("[]", lwt.body());
  }

  @Test
  void heldWriteMeansNoOkUntilItCompletes() throws Exception {
    long tsOsm = nextTs();
    long tsOwn = nextTs();
    h.proxy.holdBatchWrites();
    CompletableFuture<HttpResponse<String>> osm =
        sendAsync(osmandGet("id=" + key + "&timestamp=" + tsOsm / 1000 + "&lat=31.2&lon=121.4"));
    CompletableFuture<HttpResponse<String>> own =
        sendAsync(owntracks(key, owntracksLocation(tsOwn)));
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(10), () -> h.proxy.heldCount() >= 1),
        "the gateway sent its BatchWriteItem");
    assertFalse(
        GatewayHarness.eventually(Duration.ofMillis(1500), () -> osm.isDone() || own.isDone()),
        "no 200 while the write is held");
    assertTrue(h.item(task, tsOsm).isEmpty());
    h.proxy.releaseBatchWrites();
    assertEquals(200, osm.get(10, TimeUnit.SECONDS).statusCode());
    assertEquals(200, own.get(10, TimeUnit.SECONDS).statusCode());
    stored(tsOsm);
    stored(tsOwn);
  }

  @Test
  void badFieldsGet400NamingThem() throws Exception {
    HttpResponse<String> r = send(osmandGet("id=" + key + "&lat=north&lon=121.4&speed=2000"));
    assertEquals(400, r.statusCode(), r.body());
    JsonObject body = new JsonObject(r.body());
    assertEquals("invalid_fixes", body.getString("error"));
    assertEquals("lat", body.getJsonArray("errors").getJsonObject(0).getString("field"));

    r = send(osmandGet("id=" + key + "&lat=31&lon=121.4&speed=2000"));
    assertEquals(400, r.statusCode());
    assertEquals(
        "speed",
        new JsonObject(r.body()).getJsonArray("errors").getJsonObject(0).getString("field"));

    r = send(osmandGet("id=" + key + "&lat=31&lon=121.4&timestamp=tomorrow"));
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("\"field\":\"timestamp\""), r.body());

    r = send(owntracks(key, "{\"_type\":\"location\",\"lat\":31,\"lon\":121,\"tst\":\"now\"}"));
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("\"field\":\"tst\""), r.body());

    r = send(owntracks(key, "{\"_type\":\"location\",\"lat\":31,\"lon\":121,\"tst\":1,"));
    assertEquals(400, r.statusCode(), "malformed JSON");
  }

  @Test
  void unknownOrMissingKeyGets401() throws Exception {
    String stranger = PhoneAppsBackOffice.newKey();
    HttpResponse<String> r = send(osmandGet("id=" + stranger + "&lat=31&lon=121"));
    assertEquals(401, r.statusCode(), r.body());
    assertFalse(r.body().contains(stranger), "the key is never echoed");
    assertEquals(401, send(osmandGet("lat=31&lon=121")).statusCode());
    assertEquals(
        401,
        send(osmandGet("id=" + GatewayHarness.riderToken("rider-a") + "&lat=31&lon=121"))
            .statusCode());
    r = send(owntracks(stranger, owntracksLocation(nextTs())));
    assertEquals(401, r.statusCode());
    assertNotNull(r.headers().firstValue("WWW-Authenticate").orElse(null));
    assertEquals(401, send(owntracks(null, owntracksLocation(nextTs()))).statusCode());
  }

  @Test
  void aRevokedKeyGets401WithinFiveSeconds() throws Exception {
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.deviceStatusListening()),
        "the gateway listens for device revocations");
    String doomed = PhoneAppsBackOffice.addDevice(db, "rider-a", "doomed");
    assertEquals(
        200,
        send(osmandGet("id=" + doomed + "&timestamp=" + nextTs() / 1000 + "&lat=31&lon=121"))
            .statusCode(),
        "works (and is cached) before the revocation");
    PhoneAppsBackOffice.revoke(db, doomed);
    long revokedAt = System.nanoTime();
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(5),
            () -> {
              try {
                return send(osmandGet(
                            "id=" + doomed + "&timestamp=" + nextTs() / 1000 + "&lat=31&lon=121"))
                        .statusCode()
                    == 401;
              } catch (Exception e) {
                return false;
              }
            }),
        "401 within 5 s of the revocation, although the cache keeps answers for 30 s");
    assertTrue(System.nanoTime() - revokedAt < TimeUnit.SECONDS.toNanos(5));
    assertEquals(401, send(owntracks(doomed, owntracksLocation(nextTs()))).statusCode());
  }

  @Test
  void aDeactivatedRidersDeviceIsRefusedWithinSeconds() throws Exception {
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.userStatusListening()));
    db.user("rider-gone", "rider");
    String k = PhoneAppsBackOffice.addDevice(db, "rider-gone", "gone");
    assertEquals(200, send(osmandGet("id=" + k + "&lat=31&lon=121")).statusCode());
    // as the users API deactivates: the UPDATE and its notification in one transaction
    BackOfficeDb.await(
        db.pool.withTransaction(
            c ->
                c.query("UPDATE users SET active = false WHERE id = 'rider-gone'")
                    .execute()
                    .compose(
                        r ->
                            c.query(
                                    "SELECT pg_notify('"
                                        + StatusChannels.USER_STATUS
                                        + "', '{\"userId\":\"rider-gone\",\"active\":false}')")
                                .execute())));
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(5),
            () -> {
              try {
                return send(osmandGet("id=" + k + "&lat=31&lon=121")).statusCode() == 403;
              } catch (Exception e) {
                return false;
              }
            }),
        "403 user_deactivated, as for the rider's tokens");
  }

  @Test
  void aFixTakenLongBeforeTheTaskStartedIsNotStoredOnIt() throws Exception {
    double before =
        h.gateway.metrics().count("tracklane.fixes.outside.task", "protocol", "owntracks-http");
    long buffered = (System.currentTimeMillis() / 1000 - 7200) * 1000; // offline, 2 h ago
    HttpResponse<String> r = send(owntracks(key, owntracksLocation(buffered)));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(h.item(task, buffered).isEmpty(), "not put on a task that began after it");
    assertEquals(
        before + 1,
        h.gateway.metrics().count("tracklane.fixes.outside.task", "protocol", "owntracks-http"));
  }

  @Test
  void aFixOutsideATaskIsAcknowledgedNotStoredAndCounted() throws Exception {
    String idleKey = PhoneAppsBackOffice.addDevice(db, "rider-idle", "idle");
    double before = h.gateway.metrics().count("tracklane.fixes.outside.task", "protocol", "osmand");
    int itemsBefore = h.count();
    long ts = nextTs();
    HttpResponse<String> r =
        send(osmandGet("id=" + idleKey + "&timestamp=" + ts / 1000 + "&lat=31&lon=121"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(true, new JsonObject(r.body()).getBoolean("outsideTask"));
    assertEquals(
        before + 1,
        h.gateway.metrics().count("tracklane.fixes.outside.task", "protocol", "osmand"));
    assertEquals(itemsBefore, h.count(), "nothing stored");
    assertTrue(
        h.admin("/metrics")
            .body()
            .contains("tracklane_fixes_outside_task_total{protocol=\"osmand\"}"));
  }
}
