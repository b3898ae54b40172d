package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.geo.Geo;
import io.tracklane.fixestable.DynamoClientFactory;
import io.tracklane.fixestable.FixItemCodec;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The rider web app in real Chromium (two phones at 360×800 in separate browser contexts, one in
 * English and one in Chinese, driven by {@code src/test/js/rider.test.mjs}) against the whole local
 * stack, with the admin API publishing: both riders see the offer within 1 s of the POST; both tap
 * claim at once and exactly one sees "won", the other "taken" (and the offer vanishes); the winner
 * starts, tries to complete at once and sees the API's arrival errors, then rides the route with
 * emulated geolocation, a fix sampled every second ({@code ?fixEveryMs=1000} in place of the
 * default 10 s), and the browser offline for {@link #OFFLINE_MS} in the middle of the ride; then it
 * uploads a receipt this test drew and sees the OCR amount, completes, and sees the bonus in its
 * earnings. The riding view shows the gateway's progress for the ride (above 0 % mid-ride, more at
 * the drop-off), from the rider's own live stream.
 *
 * <p>This test then reads the fixes table in DynamoDB (dynalite): every fix the page sampled (its
 * IndexedDB track) is stored exactly once with the same position, nothing else is stored, the fixes
 * sampled while offline reached the gateway only after the browser came back, and the buffer was
 * uploaded oldest first. Screenshots: {@code target/rider-offers.png}, {@code rider-riding.png},
 * {@code rider-receipt.png}.
 */
class RiderRaceBrowserIT {
  static final Path BROWSER_LOG = BrowserKit.TARGET.resolve("rider-browser.log");
  static final Duration STEP = Duration.ofSeconds(180);
  static final String HOSTILE = "<img src=x onerror=alert(1)><b>bold</b> rider race";

  /** The browser offline for this long of riding ({@code -Drider.offlineMs=} to shorten). */
  static final long OFFLINE_MS = Long.getLong("rider.offlineMs", 60_000);

  static final long FIX_EVERY_MS = 1_000;

  /**
   * A plausible pace (the progress engine allows 15 m/s); the ride lasts long enough for the
   * offline stretch with time around it.
   */
  static final double SPEED_MPS = 12.0;

  /** People's Square, east along a street, then north: about 1.1 km ([lat, lon]). */
  static final double[][] LINE = {
    {31.2304, 121.4737}, {31.2304, 121.4800}, {31.2350, 121.4800}, {31.2380, 121.4800}
  };

  static LocalStack stack;
  static StackApi api;

  @BeforeAll
  static void start() throws Exception {
    BrowserKit.assumeBrowser();
    stack = LocalStack.start(null, Map.of());
    api = new StackApi(stack);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) stack.close();
  }

  @Test
  void twoRidersRaceTheWinnerRidesThroughAnOfflineStretchAndIsPaid() throws Exception {
    String admin = api.login("admin");
    String routeId = createRoute(admin);
    double lengthM = 0;
    for (int i = 1; i < LINE.length; i++) {
      lengthM += Geo.haversine(LINE[i - 1][0], LINE[i - 1][1], LINE[i][0], LINE[i][1]);
    }
    // long enough to ride through the offline stretch with a few samples before and after
    double speed = Math.min(SPEED_MPS, lengthM / ((OFFLINE_MS + 20 * FIX_EVERY_MS) / 1000.0));
    Path receipt = BrowserKit.TARGET.resolve("rider-receipt-input.png");
    Files.createDirectories(receipt.getParent());
    Files.write(receipt, ReceiptUploads.tillReceiptPng());
    for (String shot : List.of("rider-offers.png", "rider-riding.png", "rider-receipt.png")) {
      Files.deleteIfExists(BrowserKit.TARGET.resolve(shot));
    }
    JsonArray line = new JsonArray();
    for (double[] p : LINE) line.add(new JsonArray().add(p[0]).add(p[1]));
    JsonArray riders = new JsonArray();
    for (String r : List.of("rider1", "rider2")) {
      riders.add(new JsonArray().add(r).add(stack.seeded.passwords().get(r)));
    }
    Map<String, String> env = new HashMap<>();
    env.put(
        "RIDER_URL",
        "http://127.0.0.1:" + stack.gateway.httpPort() + "/rider/?fixEveryMs=" + FIX_EVERY_MS);
    env.put("API_URL", stack.apiUrl());
    env.put("ADMIN_TOKEN", admin);
    env.put("ROUTE_ID", routeId);
    env.put("ROUTE_LINE", line.encode());
    env.put("RIDERS", riders.encode());
    env.put("TITLE", HOSTILE);
    env.put("BONUS", "23.50");
    env.put("RECEIPT_IMAGE", receipt.toString());
    env.put("RECEIPT_AMOUNT", "12.34");
    env.put("SCREENSHOT_DIR", BrowserKit.TARGET.toString());
    env.put("FIX_EVERY_MS", Long.toString(FIX_EVERY_MS));
    env.put("OFFLINE_MS", Long.toString(OFFLINE_MS));
    env.put("SPEED_MPS", Double.toString(speed));

    List<String> lines = new ArrayList<>();
    try (BrowserKit.Script script =
        BrowserKit.Script.start("rider.test.mjs", BROWSER_LOG, STEP, env)) {
      for (String marker :
          List.of("OFFER_MS ", "CLAIM ", "ARRIVAL_ERRORS ", "RIDE_PROGRESS ", "FIXES ", "DONE ")) {
        lines.add(script.await(marker));
      }
      script.assertPassed();
    }

    // Both riders had the offer within a second of the admin's POST.
    String[] offerMs = AdminConsoleBrowserIT.line(lines, "OFFER_MS ").split(" ");
    for (String ms : offerMs) {
      assertTrue(Long.parseLong(ms) <= 1000, "offer seen " + ms + " ms after the POST");
    }

    // The race: the API agrees with what the pages showed.
    JsonObject claim = new JsonObject(AdminConsoleBrowserIT.line(lines, "CLAIM "));
    String taskId = claim.getString("taskId");
    JsonObject task = StackApi.ok(api.call("GET", "/tasks/" + taskId, admin), 200);
    assertEquals("completed", task.getString("status"), task.encode());
    assertEquals(
        stack.seeded.userIds().get(claim.getString("winner")), task.getString("claimedBy"));

    // Completing before riding: the page listed the API's own not_arrived errors.
    JsonArray arrival = new JsonArray(AdminConsoleBrowserIT.line(lines, "ARRIVAL_ERRORS "));
    assertTrue(
        arrival.stream()
            .anyMatch(e -> e.toString().startsWith("checkpoints not reached: Corner <i>shop</i>")),
        "the API's arrival errors shown: " + arrival);

    // The riding view showed the gateway's progress for the ride (the rider's own live stream):
    // above 0 mid-ride, more at the drop-off.
    JsonObject progress = new JsonObject(AdminConsoleBrowserIT.line(lines, "RIDE_PROGRESS "));
    double mid = progress.getDouble("percentBeforeOffline");
    assertTrue(mid > 0 && mid < 100, "progress mid-ride: " + progress.encode());
    assertTrue(
        progress.getDouble("percentAtEnd") > mid
            && progress
                .getString("text")
                .contains(Math.round(progress.getDouble("percentAtEnd")) + "%"),
        "progress at the drop-off: " + progress.encode());

    // Every fix the page sampled is stored exactly once, and nothing else.
    JsonObject ride = new JsonObject(AdminConsoleBrowserIT.line(lines, "FIXES "));
    TreeMap<Long, JsonObject> sampled = new TreeMap<>();
    for (Object o : ride.getJsonArray("sampled")) {
      JsonObject f = (JsonObject) o;
      sampled.put(f.getLong("ts"), f);
    }
    assertEquals(
        ride.getJsonArray("sampled").size(), sampled.size(), "the page sampled distinct ts");
    List<Map<String, AttributeValue>> stored = storedFixes(taskId);
    TreeMap<Long, Map<String, AttributeValue>> byTs = new TreeMap<>();
    for (Map<String, AttributeValue> item : stored) {
      byTs.put(Long.parseLong(item.get(FixItemCodec.TS).n()), item);
    }
    assertEquals(stored.size(), byTs.size(), "one item per ts");
    assertEquals(sampled.keySet(), byTs.keySet(), "stored = sampled");
    for (var e : sampled.entrySet()) {
      Map<String, AttributeValue> item = byTs.get(e.getKey());
      assertEquals(e.getValue().getDouble("lat"), Double.parseDouble(item.get("lat").n()), 1e-9);
      assertEquals(e.getValue().getDouble("lon"), Double.parseDouble(item.get("lon").n()), 1e-9);
    }

    // The offline stretch: fixes sampled while offline reached the gateway after it came back.
    long offline = ride.getLong("offline");
    long online = ride.getLong("online");
    List<Long> whileOffline =
        sampled.keySet().stream().filter(ts -> ts > offline && ts < online).toList();
    assertTrue(
        whileOffline.size() >= (OFFLINE_MS / FIX_EVERY_MS) - 3,
        "fixes sampled while offline: " + whileOffline.size());
    for (long ts : whileOffline) {
      long receivedAt = Long.parseLong(byTs.get(ts).get(FixItemCodec.RECEIVED_AT).n());
      assertTrue(receivedAt >= online, "fix " + ts + " received at " + receivedAt);
    }
    // Uploads: what failed offline was sent again after; the first upload after coming back
    // starts with the oldest fix not yet stored, and each batch goes oldest first.
    int attempted = 0;
    int failed = 0;
    Set<Long> storedBefore = new HashSet<>();
    Long firstAfter = null;
    for (Object o : ride.getJsonArray("uploads")) {
      JsonObject u = (JsonObject) o;
      JsonArray ts = u.getJsonArray("ts");
      attempted += ts.size();
      boolean ok = u.getInteger("status") == 200;
      if (!ok) failed++;
      for (int i = 1; i < ts.size(); i++) {
        assertTrue(ts.getLong(i - 1) < ts.getLong(i), "a batch in ts order: " + ts);
      }
      if (ok && u.getLong("at") < online) {
        for (Object t : ts) storedBefore.add(((Number) t).longValue());
      }
      if (firstAfter == null && ok && u.getLong("at") >= online) firstAfter = ts.getLong(0);
    }
    long oldestBuffered =
        sampled.keySet().stream()
            .filter(ts -> !storedBefore.contains(ts))
            .findFirst()
            .orElseThrow();
    assertTrue(failed >= 1, "uploads failed while offline");
    assertTrue(oldestBuffered <= whileOffline.get(0), "buffered from the offline stretch on");
    assertEquals(oldestBuffered, firstAfter, "the oldest buffered fix went first");
    System.out.printf(
        "rider race: offers after %s ms; %d fixes sampled, %d stored (%d while offline), %d fixes"
            + " in %d upload attempts (%d failed)%n",
        String.join(" / ", offerMs),
        sampled.size(),
        stored.size(),
        whileOffline.size(),
        attempted,
        ride.getJsonArray("uploads").size(),
        failed);

    // Receipt, completion and earnings as the API holds them.
    JsonObject done = new JsonObject(AdminConsoleBrowserIT.line(lines, "DONE "));
    assertTrue(done.getString("receipt").contains("12.34"), done.encode());
    String winner = api.login(claim.getString("winner"));
    JsonObject earnings = StackApi.ok(api.call("GET", "/riders/me/earnings", winner), 200);
    assertTrue(earnings.encode().contains("23.50"), earnings.encode());

    for (String shot : List.of("rider-offers.png", "rider-riding.png", "rider-receipt.png")) {
      assertTrue(Files.size(BrowserKit.TARGET.resolve(shot)) > 10_000, "a real screenshot " + shot);
    }
  }

  /** A route of {@link #LINE} with a checkpoint at the corner and one at the drop-off. */
  static String createRoute(String admin) throws Exception {
    JsonArray coords = new JsonArray();
    for (double[] p : LINE) coords.add(new JsonArray().add(p[1]).add(p[0]));
    double[] corner = LINE[1];
    double[] end = LINE[LINE.length - 1];
    JsonObject body =
        new JsonObject()
            .put("name", "Rider race <b>route</b>")
            .put("geometry", new JsonObject().put("type", "LineString").put("coordinates", coords))
            .put(
                "checkpoints",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("name", "Corner <i>shop</i>")
                            .put("lat", corner[0])
                            .put("lon", corner[1])
                            .put("radiusM", 60))
                    .add(
                        new JsonObject()
                            .put("name", "Drop-off")
                            .put("lat", end[0])
                            .put("lon", end[1])
                            .put("radiusM", 60)));
    return StackApi.ok(api.call("POST", "/routes", admin, body), 201).getString("id");
  }

  static List<Map<String, AttributeValue>> storedFixes(String taskId) {
    String table = GatewaySettings.FIXES_TABLE.defaultValue();
    List<Map<String, AttributeValue>> out = new ArrayList<>();
    try (DynamoDbClient ddb =
        DynamoClientFactory.createSync(
            new DynamoClientFactory.Settings(
                stack.dynalite.endpoint(), "us-east-1", 1, true, null, null))) {
      Map<String, AttributeValue> start = null;
      do {
        QueryResponse r =
            ddb.query(
                QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("#t = :t")
                    .expressionAttributeNames(Map.of("#t", FixItemCodec.TASK_ID))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(taskId)))
                    .consistentRead(true)
                    .exclusiveStartKey(start)
                    .build());
        out.addAll(r.items());
        start =
            r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                ? r.lastEvaluatedKey()
                : null;
      } while (start != null);
    }
    return out;
  }
}
