package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonArray;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acknowledgement guarantee, proven with a fault-injecting proxy between gateway and dynalite:
 * no PUBACK and no HTTP 200 before the write, and every injected fault retried until the fixes are
 * stored.
 */
class DurabilityIT {
  static GatewayHarness h;
  static final String TOPIC = FixTopics.fixesTopic("task-1");

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(true, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @AfterEach
  void clearFaults() {
    h.proxy.reset();
  }

  static void assertAllStored(JsonArray fixes) {
    for (int i = 0; i < fixes.size(); i++) {
      long ts = fixes.getJsonObject(i).getLong("ts");
      assertFalse(h.item("task-1", ts).isEmpty(), "fix " + i + " stored");
    }
  }

  @Test
  void heldBatchWriteMeansNoPubackAndNoHttpResponseUntilReleased() throws Exception {
    JsonArray viaMqtt = Fixes.batch(Fixes.baseTs() - 1_000_000, 3);
    JsonArray viaHttp = Fixes.batch(Fixes.baseTs() - 2_000_000, 3);
    h.proxy.holdBatchWrites();
    MqttAsyncClient c =
        MqttClients.paho5(
            h.mqttUri(), "held-paho5", "rider-1", GatewayHarness.riderToken("rider-1"));
    try {
      MqttMessage m = new MqttMessage(viaMqtt.toBuffer().getBytes());
      m.setQos(1);
      IMqttToken puback = c.publish(TOPIC, m);
      CompletableFuture<HttpResponse<String>> http =
          h.postFixesAsync("task-1", GatewayHarness.riderToken("rider-1"), viaHttp.encode());

      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> h.proxy.heldCount() >= 1),
          "the gateway sent its BatchWriteItem");
      // The write is held: give a wrong implementation ample time to acknowledge early.
      assertFalse(
          GatewayHarness.eventually(
              Duration.ofMillis(1500), () -> puback.isComplete() || http.isDone()),
          "nothing may be acknowledged while the write is held");
      assertTrue(
          h.item("task-1", viaMqtt.getJsonObject(0).getLong("ts")).isEmpty(),
          "not yet in the table");

      h.proxy.releaseBatchWrites();
      puback.waitForCompletion(10_000);
      assertEquals(0, puback.getReasonCodes()[0]);
      assertEquals(200, http.get(10, TimeUnit.SECONDS).statusCode());
      assertAllStored(viaMqtt);
      assertAllStored(viaHttp);
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void unprocessedItemsAreRetriedUntilWritten() throws Exception {
    double before = h.gateway.metrics().count("tracklane.writer.retries", "cause", "unprocessed");
    h.proxy.injectUnprocessed(4);
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 3_000_000, 20);
    HttpResponse<String> r =
        h.postFixes("task-1", GatewayHarness.riderToken("rider-1"), fixes.encode());
    assertEquals(200, r.statusCode(), r.body());
    assertAllStored(fixes);
    assertTrue(
        h.gateway.metrics().count("tracklane.writer.retries", "cause", "unprocessed")
            >= before + 4);
  }

  @Test
  void throttlingIsRetriedUntilWritten() throws Exception {
    double before = h.gateway.metrics().count("tracklane.writer.retries", "cause", "throttling");
    h.proxy.injectThrottling(3);
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 4_000_000, 30);
    var c =
        MqttClients.paho3(
            h.mqttUri(), "throttled-paho3", "rider-1", GatewayHarness.riderToken("rider-1"));
    try {
      c.publish(TOPIC, fixes.toBuffer().getBytes(), 1, false).waitForCompletion(20_000);
      assertAllStored(fixes);
      assertTrue(
          h.gateway.metrics().count("tracklane.writer.retries", "cause", "throttling")
              >= before + 3);
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void serverErrorsAreRetriedUntilWritten() throws Exception {
    double before = h.gateway.metrics().count("tracklane.writer.retries", "cause", "server_error");
    h.proxy.injectServerErrors(3);
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 5_000_000, 7);
    HttpResponse<String> r =
        h.postFixes("task-1", GatewayHarness.riderToken("rider-1"), fixes.encode());
    assertEquals(200, r.statusCode(), r.body());
    assertAllStored(fixes);
    assertTrue(
        h.gateway.metrics().count("tracklane.writer.retries", "cause", "server_error")
            >= before + 3);
  }

  @Test
  void theSameFixesSentTwiceAtOnceAreBothAcknowledgedAndStoredOnce() throws Exception {
    // Two clients send the same fix at once (a phone resending while its first try is in flight).
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 6_000_000, 5);
    h.proxy.holdBatchWrites();
    var first = h.postFixesAsync("task-1", GatewayHarness.riderToken("rider-1"), fixes.encode());
    var second = h.postFixesAsync("task-1", GatewayHarness.riderToken("rider-1"), fixes.encode());
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(10), () -> h.gateway.writer().outstanding() == 10));
    h.proxy.releaseBatchWrites();
    assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
    assertEquals(200, second.get(10, TimeUnit.SECONDS).statusCode());
    assertAllStored(fixes);
    long from = fixes.getJsonObject(0).getLong("ts");
    long to = fixes.getJsonObject(4).getLong("ts");
    assertEquals(
        5,
        h.items("task-1").stream()
            .mapToLong(i -> Long.parseLong(i.get("ts").n()))
            .filter(ts -> ts >= from && ts <= to)
            .count());
  }
}
