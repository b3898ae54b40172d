package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.tracklane.gateway.access.StaticTaskAccess;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The incident that opened the hardening issue: one rider's fix that the store refuses shares a
 * BatchWriteItem with twenty valid fixes of another rider. The store refuses the whole batch (a
 * ValidationException, injected by the fault proxy in front of a real dynalite for every batch
 * holding the poisoned task's item, as DynamoDB did for "Number underflow"). The writer isolates
 * the offender: the twenty are acknowledged and stored, only the poison is refused — over MQTT 5,
 * MQTT 3.1.1 and HTTP.
 */
class PoisonBatchIT {
  static final int VALID = 20;
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    // A long linger so that the poisoned publish and the twenty valid ones form one batch (< 25
    // items).
    h =
        GatewayHarness.start(
            true,
            Map.of(GatewaySettings.BATCH_LINGER_MS.env(), "400"),
            StaticTaskAccess.parse(
                "good-5=rider-1,good-3=rider-1,good-http=rider-1,clean=rider-1,"
                    + "poison-5=rider-9,poison-3=rider-9,poison-http=rider-9"));
    for (String t : List.of("poison-5", "poison-3", "poison-http"))
      h.proxy.refuseBatchesWithTask(t);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  static double isolated() {
    Counter c = h.registry.find("tracklane.writer.retried.items").tag("cause", "isolate").counter();
    return c == null ? 0 : c.count();
  }

  static byte[] one(long ts, int i) {
    return Fixes.fix(ts, i).toBuffer().getBytes();
  }

  /** The poison shared a batch with all twenty: the first split covered at least 21 items. */
  static void assertSharedBatchWasSplit(double before) {
    assertTrue(
        isolated() - before >= VALID + 1,
        "the poison and the valid fixes were in one batch that was split (isolated items: "
            + (isolated() - before)
            + ")");
  }

  @Test
  void mqtt5() throws Exception {
    MqttAsyncClient poisoner =
        MqttClients.paho5(
            h.mqttUri(), "poisoner-5", "rider-9", GatewayHarness.riderToken("rider-9"));
    MqttAsyncClient good =
        MqttClients.paho5(h.mqttUri(), "good-5", "rider-1", GatewayHarness.riderToken("rider-1"));
    try {
      double before = isolated();
      long ts = Fixes.baseTs();
      MqttMessage poison = new MqttMessage(one(ts, 0));
      poison.setQos(1);
      IMqttToken poisonToken = poisoner.publish(FixTopics.fixesTopic("poison-5"), poison);
      List<IMqttToken> valid = new ArrayList<>();
      for (int i = 0; i < VALID; i++) {
        MqttMessage m = new MqttMessage(one(ts + i * 1000L, i));
        m.setQos(1);
        valid.add(good.publish(FixTopics.fixesTopic("good-5"), m));
      }
      for (IMqttToken t : valid) {
        t.waitForCompletion(20_000);
        assertEquals(
            0, t.getReasonCodes()[0], "a valid neighbour's fix is acknowledged with success");
      }
      poisonToken.waitForCompletion(20_000);
      assertEquals(
          0x99,
          poisonToken.getReasonCodes()[0],
          "only the offender is refused, as payload format invalid");
      String reason = poisonToken.getResponseProperties().getReasonString();
      assertNotNull(reason);
      assertTrue(
          reason.contains("cannot be stored") && reason.contains("Number underflow"), reason);
      assertEquals(VALID, h.items("good-5").size(), "all twenty valid fixes are stored");
      assertEquals(0, h.items("poison-5").size());
      assertSharedBatchWasSplit(before);
      assertTrue(poisoner.isConnected() && good.isConnected(), "nobody loses the connection");
    } finally {
      for (MqttAsyncClient c : List.of(poisoner, good)) {
        c.disconnect().waitForCompletion(5000);
        c.close();
      }
    }
  }

  @Test
  void mqtt311() throws Exception {
    var poisoner =
        MqttClients.paho3(
            h.mqttUri(), "poisoner-3", "rider-9", GatewayHarness.riderToken("rider-9"));
    var good =
        MqttClients.paho3(h.mqttUri(), "good-3", "rider-1", GatewayHarness.riderToken("rider-1"));
    BlockingQueue<String> reports = new ArrayBlockingQueue<>(10);
    poisoner.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(
              String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            reports.add(new String(message.getPayload()));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    try {
      poisoner.subscribe("tracklane/v1/tasks/+/errors", 0).waitForCompletion(5000);
      double before = isolated();
      long ts = Fixes.baseTs();
      var poisonToken = poisoner.publish(FixTopics.fixesTopic("poison-3"), one(ts, 0), 1, false);
      List<org.eclipse.paho.client.mqttv3.IMqttDeliveryToken> valid = new ArrayList<>();
      for (int i = 0; i < VALID; i++) {
        valid.add(good.publish(FixTopics.fixesTopic("good-3"), one(ts + i * 1000L, i), 1, false));
      }
      for (var t : valid) t.waitForCompletion(20_000);
      assertEquals(VALID, h.items("good-3").size(), "every acknowledged valid fix is stored");
      // 3.1.1 has no negative PUBACK: the refusal is acknowledged (a resend could never succeed)
      // and reported.
      poisonToken.waitForCompletion(20_000);
      String report = reports.poll(10, TimeUnit.SECONDS);
      assertNotNull(report, "the refusal is reported on the errors topic");
      JsonObject json = new JsonObject(report);
      assertEquals("bad_payload", json.getString("reason"), report);
      assertEquals(0, json.getJsonArray("errors").getJsonObject(0).getInteger("index"), report);
      assertEquals(0, h.items("poison-3").size());
      assertSharedBatchWasSplit(before);
      assertTrue(poisoner.isConnected() && good.isConnected(), "nobody loses the connection");
    } finally {
      for (var c : List.of(poisoner, good)) {
        c.disconnect().waitForCompletion(5000);
        c.close();
      }
    }
  }

  @Test
  void http() throws Exception {
    double before = isolated();
    long ts = Fixes.baseTs();
    CompletableFuture<HttpResponse<String>> poison =
        h.postFixesAsync(
            "poison-http", GatewayHarness.riderToken("rider-9"), Fixes.fix(ts, 0).encode());
    List<CompletableFuture<HttpResponse<String>>> valid = new ArrayList<>();
    String token = GatewayHarness.riderToken("rider-1");
    for (int i = 0; i < VALID; i++)
      valid.add(h.postFixesAsync("good-http", token, Fixes.fix(ts + i * 1000L, i).encode()));
    for (var f : valid) {
      HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
    }
    HttpResponse<String> refused = poison.get(30, TimeUnit.SECONDS);
    assertEquals(400, refused.statusCode(), refused.body());
    JsonObject body = new JsonObject(refused.body());
    assertEquals("invalid_fixes", body.getString("error"));
    assertEquals(
        0, body.getJsonArray("errors").getJsonObject(0).getInteger("index"), refused.body());
    assertTrue(body.getString("message").contains("cannot be stored"), refused.body());
    assertEquals(VALID, h.items("good-http").size());
    assertEquals(0, h.items("poison-http").size());
    assertSharedBatchWasSplit(before);
  }

  /**
   * The incident's own payload is no poison any more: a magnitude below DynamoDB's range is stored
   * as 0.
   */
  @Test
  void theIncidentsPayloadIsStoredWithTheTinyValueAsZero() throws Exception {
    long ts = Fixes.baseTs();
    String payload =
        "{\"ts\":" + ts + ",\"lat\":1e-200,\"lon\":121.47,\"bat\":-1e-300,\"alt\":4.9e-324}";
    HttpResponse<String> r = h.postFixes("clean", GatewayHarness.riderToken("rider-1"), payload);
    assertEquals(200, r.statusCode(), r.body());
    var item = h.item("clean", ts);
    assertEquals("0", item.get("lat").n());
    assertEquals("0", item.get("bat").n());
    assertEquals("0", item.get("alt").n());
    assertEquals("121.47", item.get("lon").n());
  }
}
