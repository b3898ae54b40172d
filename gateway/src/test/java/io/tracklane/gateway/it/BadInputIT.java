package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input of every kind gets a clear error naming what is wrong, and nothing is stored — over
 * HTTP, MQTT 5 (reason codes + reason strings) and MQTT 3.1.1 (errors topic). A bad client never
 * disturbs a good one.
 */
class BadInputIT {
  static final int MAX_BYTES = 16_384;
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h =
        GatewayHarness.start(
            false,
            Map.of(
                GatewaySettings.MAX_MESSAGE_BYTES.env(),
                Integer.toString(MAX_BYTES),
                GatewaySettings.MAX_FIXES_PER_PAYLOAD.env(),
                "100"));
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @AfterEach
  void nothingStored() {
    assertEquals(0, h.count(), "a refused payload must store nothing");
  }

  static String token() {
    return GatewayHarness.riderToken("rider-1");
  }

  static JsonObject assertStatus(HttpResponse<String> r, int status, String error) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject body = new JsonObject(r.body());
    assertEquals(error, body.getString("error"), r.body());
    assertFalse(body.getString("message", "").isBlank(), "a message says what is wrong");
    return body;
  }

  @Test
  void httpMalformedJson() throws Exception {
    JsonObject body =
        assertStatus(h.postFixes("task-1", token(), "{\"ts\": 1, \"lat\": "), 400, "invalid_fixes");
    assertEquals(-1, body.getJsonArray("errors").getJsonObject(0).getInteger("index"));
    assertTrue(body.getString("message").toLowerCase().contains("json"), body.encode());
  }

  @Test
  void httpEveryInvalidFieldIsNamedByIndexAndField() throws Exception {
    long ts = Fixes.baseTs();
    JsonArray fixes =
        new JsonArray()
            .add(Fixes.fix(ts, 0).put("lat", 91.0))
            .add(Fixes.fix(ts + 1, 1).put("lon", -180.5))
            .add(Fixes.fix(ts + 2, 2).put("acc", -1))
            .add(Fixes.fix(ts + 3, 3).put("spd", -0.1))
            .add(Fixes.fix(ts + 4, 4).put("hdg", 361))
            .add(Fixes.fix(ts + 5, 5).put("bat", 1.5))
            .add(Fixes.fix(System.currentTimeMillis() + 3_600_000, 6))
            .add(Fixes.fix(ts + 7, 7).put("ts", "yesterday"))
            .add(Fixes.fix(ts + 8, 8).put("lat", "31.2"))
            .add(Fixes.fix(ts - 8 * 86_400_000L, 9))
            .add(Fixes.fix(ts + 10, 10).put("alt", "high"))
            .add(Fixes.fix(ts + 5, 11));
    JsonObject body =
        assertStatus(h.postFixes("task-1", token(), fixes.encode()), 400, "invalid_fixes");
    Set<String> named = new HashSet<>();
    body.getJsonArray("errors")
        .forEach(
            e -> {
              JsonObject o = (JsonObject) e;
              named.add(o.getInteger("index") + ":" + o.getString("field"));
            });
    assertEquals(
        Set.of(
            "0:lat", "1:lon", "2:acc", "3:spd", "4:hdg", "5:bat", "6:ts", "7:ts", "8:lat", "9:ts",
            "10:alt", "11:ts"),
        named,
        body.encode());
  }

  @Test
  void httpTooManyFixes() throws Exception {
    JsonObject body =
        assertStatus(
            h.postFixes("task-1", token(), Fixes.batch(Fixes.baseTs() - 5_000_000, 101).encode()),
            400,
            "invalid_fixes");
    assertTrue(body.getString("message").contains("100"), body.encode());
  }

  @Test
  void httpOversizedPayload() throws Exception {
    String big =
        "["
            + "{\"ts\":1,\"lat\":1,\"lon\":1},".repeat(MAX_BYTES / 20)
            + "{\"ts\":2,\"lat\":1,\"lon\":1}]";
    assertStatus(h.postFixes("task-1", token(), big), 413, "payload_too_large");
  }

  @Test
  void httpTokens() throws Exception {
    String body = Fixes.batch(Fixes.baseTs(), 1).encode();
    HttpResponse<String> none = h.postFixes("task-1", null, body);
    assertStatus(none, 401, "unauthorized");
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertStatus(
        h.postFixes("task-1", GatewayHarness.expiredToken("rider-1"), body), 401, "unauthorized");
    assertStatus(
        h.postFixes("task-1", GatewayHarness.forgedToken("rider-1"), body), 401, "unauthorized");
    assertStatus(h.postFixes("task-1", "not.a.jwt", body), 401, "unauthorized");
    assertStatus(
        h.postFixes("task-1", GatewayHarness.token("manager-1", "manager"), body),
        403,
        "forbidden");
  }

  @Test
  void httpUnknownTaskAndOtherRidersTask() throws Exception {
    String body = Fixes.batch(Fixes.baseTs(), 1).encode();
    JsonObject unknown =
        assertStatus(h.postFixes("no-such-task", token(), body), 404, "unknown_task");
    assertTrue(unknown.getString("message").contains("no-such-task"));
    JsonObject other = assertStatus(h.postFixes("task-2", token(), body), 403, "forbidden");
    assertTrue(other.getString("message").contains("task-2"));
  }

  // ---- MQTT 5 ------------------------------------------------------------------------------

  static int mqtt5Code(MqttAsyncClient c, String topic, byte[] payload) throws Exception {
    MqttMessage m = new MqttMessage(payload);
    m.setQos(1);
    IMqttToken t = c.publish(topic, m);
    t.waitForCompletion(10_000);
    int code = t.getReasonCodes()[0];
    if (code != 0) {
      assertNotNull(
          t.getResponseProperties().getReasonString(), "a refusal carries a reason string");
    }
    return code;
  }

  @Test
  void mqtt5Refusals() throws Exception {
    MqttAsyncClient c = MqttClients.paho5(h.mqttUri(), "bad-paho5", "rider-1", token());
    try {
      String topic = FixTopics.fixesTopic("task-1");
      assertEquals(0x99, mqtt5Code(c, topic, "{not json".getBytes()));
      assertEquals(
          0x99,
          mqtt5Code(c, topic, Fixes.fix(Fixes.baseTs(), 0).put("lat", 200).toBuffer().getBytes()));
      assertEquals(
          0x99,
          mqtt5Code(c, topic, Fixes.batch(Fixes.baseTs() - 5_000_000, 101).toBuffer().getBytes()));
      assertEquals(
          0x90,
          mqtt5Code(
              c,
              "tracklane/v1/tasks/task-1/positions",
              Fixes.batch(Fixes.baseTs(), 1).toBuffer().getBytes()));
      assertEquals(
          0x87,
          mqtt5Code(
              c,
              FixTopics.fixesTopic("no-such-task"),
              Fixes.batch(Fixes.baseTs(), 1).toBuffer().getBytes()));
      assertEquals(
          0x87,
          mqtt5Code(
              c,
              FixTopics.fixesTopic("task-2"),
              Fixes.batch(Fixes.baseTs(), 1).toBuffer().getBytes()));
      assertTrue(c.isConnected(), "refusals do not cost the connection");
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void mqtt5BadTokensGetConnack0x86() {
    for (String bad :
        new String[] {
          GatewayHarness.expiredToken("rider-1"), GatewayHarness.forgedToken("rider-1"), "junk"
        }) {
      MqttException e =
          assertThrows(
              MqttException.class,
              () -> MqttClients.paho5(h.mqttUri(), "bad-token-5", "rider-1", bad));
      assertEquals(0x86, e.getReasonCode(), e.toString());
    }
  }

  @Test
  void mqtt311BadTokenGetsConnack0x05() {
    var e =
        assertThrows(
            org.eclipse.paho.client.mqttv3.MqttException.class,
            () ->
                MqttClients.paho3(
                    h.mqttUri(), "bad-token-3", "rider-1", GatewayHarness.forgedToken("rider-1")));
    assertEquals(5, e.getReasonCode(), e.toString());
  }

  @Test
  void mqtt311RefusalIsAcknowledgedAndReportedOnTheErrorsTopic() throws Exception {
    var c = MqttClients.paho3(h.mqttUri(), "bad-paho3", "rider-1", token());
    BlockingQueue<String> reports = new ArrayBlockingQueue<>(10);
    c.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(
              String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            reports.add(topic + " " + new String(message.getPayload()));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    try {
      c.subscribe("tracklane/v1/tasks/+/errors", 0).waitForCompletion(5000);
      long ts = Fixes.baseTs();
      JsonArray bad =
          new JsonArray().add(Fixes.fix(ts, 0)).add(Fixes.fix(ts + 1, 1).put("hdg", 400));
      c.publish(FixTopics.fixesTopic("task-1"), bad.toBuffer().getBytes(), 1, false)
          .waitForCompletion(10_000);
      String report = reports.poll(10, TimeUnit.SECONDS);
      assertNotNull(report, "the refusal is reported");
      assertTrue(report.startsWith("tracklane/v1/tasks/task-1/errors "), report);
      JsonObject json = new JsonObject(report.substring(report.indexOf(' ') + 1));
      assertEquals("bad_payload", json.getString("reason"));
      JsonObject err = json.getJsonArray("errors").getJsonObject(0);
      assertEquals(1, err.getInteger("index"));
      assertEquals("hdg", err.getString("field"));
      assertTrue(c.isConnected());
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void oversizedMqttPacketDropsOnlyThatClient() throws Exception {
    MqttAsyncClient good =
        MqttClients.paho5(
            h.mqttUri(), "good-neighbour", "rider-2", GatewayHarness.riderToken("rider-2"));
    var bad = MqttClients.paho3(h.mqttUri(), "oversized-paho3", "rider-1", token());
    try {
      byte[] huge = new byte[MAX_BYTES * 2];
      java.util.Arrays.fill(huge, (byte) ' ');
      bad.publish(FixTopics.fixesTopic("task-1"), huge, 1, false);
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> !bad.isConnected()),
          "a packet over the limit closes that connection");
      JsonArray fixes = Fixes.batch(Fixes.baseTs() - 7_000_000, 2);
      assertEquals(0, mqtt5Code(good, FixTopics.fixesTopic("task-2"), fixes.toBuffer().getBytes()));
      assertEquals(2, h.items("task-2").size());
    } finally {
      good.disconnect().waitForCompletion(5000);
      good.close();
      MqttClients.closeQuietly(bad::close);
      // the good neighbour's fixes are the only ones stored; remove them for the nothing-stored
      // check
      h.items("task-2")
          .forEach(
              i ->
                  h.direct
                      .deleteItem(
                          b ->
                              b.tableName(h.table)
                                  .key(Map.of("taskId", i.get("taskId"), "ts", i.get("ts"))))
                      .join());
    }
  }
}
