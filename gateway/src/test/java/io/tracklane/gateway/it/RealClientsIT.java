package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Every acknowledged fix, from every kind of real client, is read back with its attributes. */
class RealClientsIT {
  static GatewayHarness h;
  static final String TOPIC = FixTopics.fixesTopic("task-1");

  @BeforeAll
  static void start() throws Exception {
    h = GatewayHarness.start(false, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  /** Asserts that each fix of {@code sent} is stored with every attribute it was sent with. */
  static void assertStored(JsonArray sent, String rider) {
    for (int i = 0; i < sent.size(); i++) {
      JsonObject f = sent.getJsonObject(i);
      Map<String, AttributeValue> item = h.item("task-1", f.getLong("ts"));
      assertNotNull(item, "fix " + i + " (ts " + f.getLong("ts") + ") not stored");
      assertFalse(item.isEmpty(), "fix " + i + " not stored");
      assertEquals(rider, item.get("riderId").s());
      for (String k : List.of("lat", "lon", "acc", "spd", "hdg", "alt", "bat")) {
        assertEquals(f.getDouble(k), Double.parseDouble(item.get(k).n()), 1e-9, k);
      }
      long receivedAt = Long.parseLong(item.get("receivedAt").n());
      assertTrue(
          Math.abs(System.currentTimeMillis() - receivedAt) < 120_000, "receivedAt is server time");
      long expiresAt = Long.parseLong(item.get("expiresAt").n());
      assertEquals(f.getLong("ts") / 1000 + 90 * 86_400L, expiresAt, "TTL = fix time + retention");
    }
  }

  @Test
  void pahoV3QoS1() throws Exception {
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 1_000_000, 3);
    var c =
        MqttClients.paho3(
            h.mqttUri(), "paho3-qos1", "rider-1", GatewayHarness.riderToken("rider-1"));
    try {
      c.publish(TOPIC, fixes.toBuffer().getBytes(), 1, false).waitForCompletion(10_000);
      assertStored(fixes, "rider-1"); // stored before the PUBACK came back
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void pahoV3QoS2IsAcknowledgedAfterWriteToo() throws Exception {
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 2_000_000, 2);
    var c =
        MqttClients.paho3(
            h.mqttUri(), "paho3-qos2", "rider-1", GatewayHarness.riderToken("rider-1"));
    try {
      c.publish(TOPIC, fixes.toBuffer().getBytes(), 2, false).waitForCompletion(10_000);
      assertStored(fixes, "rider-1");
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void pahoV5QoS1SingleFixObject() throws Exception {
    JsonObject fix = Fixes.fix(Fixes.baseTs() - 3_000_000, 7);
    MqttAsyncClient c =
        MqttClients.paho5(
            h.mqttUri(), "paho5-qos1", "rider-1", GatewayHarness.riderToken("rider-1"));
    try {
      MqttMessage m = new MqttMessage(fix.toBuffer().getBytes());
      m.setQos(1);
      IMqttToken t = c.publish(TOPIC, m);
      t.waitForCompletion(10_000);
      assertEquals(0, t.getReasonCodes()[0], "PUBACK success");
      assertStored(new JsonArray().add(fix), "rider-1");
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void pahoV5QoS0IsWrittenWithoutAck() throws Exception {
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 4_000_000, 2);
    MqttAsyncClient c =
        MqttClients.paho5(
            h.mqttUri(), "paho5-qos0", "rider-1", GatewayHarness.riderToken("rider-1"));
    try {
      c.publish(TOPIC, fixes.toBuffer().getBytes(), 0, false).waitForCompletion(10_000);
      long ts = fixes.getJsonObject(1).getLong("ts");
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> !h.item("task-1", ts).isEmpty()));
      assertStored(fixes, "rider-1");
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void hiveMqMqtt5() {
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 5_000_000, 4);
    Mqtt5BlockingClient c =
        Mqtt5Client.builder()
            .identifier("hivemq5")
            .serverHost("127.0.0.1")
            .serverPort(h.mqttPort())
            .buildBlocking();
    c.connectWith()
        .simpleAuth()
        .username("rider-1")
        .password(GatewayHarness.riderToken("rider-1").getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    try {
      Mqtt5PublishResult r =
          c.publishWith()
              .topic(TOPIC)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(fixes.toBuffer().getBytes())
              .send();
      var ack = ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck();
      assertEquals(Mqtt5PubAckReasonCode.SUCCESS, ack.getReasonCode());
      assertStored(fixes, "rider-1");
    } finally {
      c.disconnect();
    }
  }

  @Test
  void hiveMqMqtt311() {
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 6_000_000, 4);
    Mqtt3BlockingClient c =
        Mqtt3Client.builder()
            .identifier("hivemq3")
            .serverHost("127.0.0.1")
            .serverPort(h.mqttPort())
            .buildBlocking();
    c.connectWith()
        .simpleAuth()
        .username("rider-1")
        .password(GatewayHarness.riderToken("rider-1").getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    try {
      c.publishWith()
          .topic(TOPIC)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(fixes.toBuffer().getBytes())
          .send();
      assertStored(fixes, "rider-1");
    } finally {
      c.disconnect();
    }
  }

  static boolean mosquittoAvailable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, "mosquitto_pub").canExecute()) return true;
    }
    return false;
  }

  static void requireMosquitto() {
    // On a laptop without mosquitto-clients this test is skipped; CI installs it and never skips.
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          mosquittoAvailable(), "mosquitto_pub not installed (apt-get install mosquitto-clients)");
    }
  }

  void mosquittoPub(String version, JsonArray fixes) throws Exception {
    requireMosquitto();
    Process p =
        new ProcessBuilder(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(h.mqttPort()),
                "-V",
                version,
                "-q",
                "1",
                "-i",
                "mosq-" + version,
                "-u",
                "rider-1",
                "-P",
                GatewayHarness.riderToken("rider-1"),
                "-t",
                TOPIC,
                "-m",
                fixes.encode())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "mosquitto_pub finished");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "mosquitto_pub failed: " + out);
    assertStored(fixes, "rider-1");
  }

  @Test
  void mosquittoPubV311() throws Exception {
    mosquittoPub("mqttv311", Fixes.batch(Fixes.baseTs() - 7_000_000, 3));
  }

  @Test
  void mosquittoPubV5() throws Exception {
    mosquittoPub("mqttv5", Fixes.batch(Fixes.baseTs() - 8_000_000, 3));
  }

  @Test
  void http() throws Exception {
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 9_000_000, 5);
    HttpResponse<String> r =
        h.postFixes("task-1", GatewayHarness.riderToken("rider-1"), fixes.encode());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(5, new JsonObject(r.body()).getInteger("stored"));
    assertStored(fixes, "rider-1");
  }

  @Test
  void redeliveredFixOverwritesItselfAndIsNotDoubleCounted() throws Exception {
    JsonArray fixes = Fixes.batch(Fixes.baseTs() - 10_000_000, 3);
    String token = GatewayHarness.riderToken("rider-1");
    assertEquals(200, h.postFixes("task-1", token, fixes.encode()).statusCode());
    assertEquals(200, h.postFixes("task-1", token, fixes.encode()).statusCode());
    long from = fixes.getJsonObject(0).getLong("ts");
    long to = fixes.getJsonObject(2).getLong("ts");
    long stored =
        h.items("task-1").stream()
            .mapToLong(i -> Long.parseLong(i.get("ts").n()))
            .filter(ts -> ts >= from && ts <= to)
            .count();
    assertEquals(3, stored);
  }
}
