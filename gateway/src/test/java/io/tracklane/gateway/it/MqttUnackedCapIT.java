package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Unacknowledged QoS 1 messages per MQTT connection are capped (TRACKLANE_MQTT_MAX_UNACKED, 5
 * here). Writes are held at the DynamoDB proxy so no acknowledgement can come back meanwhile. A raw
 * client plays the one that ignores the cap: real clients honour Receive Maximum.
 */
class MqttUnackedCapIT {
  private static final int CAP = 5;
  private static final String TOPIC = FixTopics.fixesTopic("task-1");

  @Test
  void mqtt5ClientOverReceiveMaximumIsDisconnectedWith0x93() throws Exception {
    try (GatewayHarness h =
            GatewayHarness.start(
                true, Map.of(GatewaySettings.MQTT_MAX_UNACKED.env(), Integer.toString(CAP)));
        RawMqtt c =
            RawMqtt.connect(
                h.mqttPort(), true, "greedy-5", "rider-1", GatewayHarness.riderToken("rider-1"))) {
      assertEquals(0, c.connackCode, "accepted");
      assertEquals(CAP, c.connackProperties.get(0x21), "Receive Maximum advertised in CONNACK");
      h.proxy.holdBatchWrites();
      long t0 = Fixes.baseTs();
      for (int i = 1; i <= CAP; i++) assertTrue(c.publishQos1(TOPIC, i, fix(t0, i)));
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10), () -> h.gateway.writer().outstanding() == CAP));
      assertFalse(c.closedWithin(300), "at Receive Maximum: still connected");

      c.publishQos1(TOPIC, CAP + 1, fix(t0, CAP + 1));
      RawMqtt.Packet disconnect = c.read(5000);
      assertNotNull(disconnect, "a DISCONNECT arrives");
      assertEquals(14, disconnect.type(), "DISCONNECT");
      assertEquals(0x93, disconnect.body()[0] & 0xff, "reason: Receive Maximum exceeded");
      assertTrue(c.closedWithin(5000), "and the connection is closed");
      assertEquals(CAP, h.gateway.writer().outstanding(), "the excess message was not taken in");
      h.proxy.releaseBatchWrites();
    }
  }

  @Test
  void mqtt311ClientPastTheCapIsNotReadUntilAcknowledgementsCatchUp() throws Exception {
    try (GatewayHarness h =
            GatewayHarness.start(
                true, Map.of(GatewaySettings.MQTT_MAX_UNACKED.env(), Integer.toString(CAP)));
        RawMqtt c =
            RawMqtt.connect(
                h.mqttPort(),
                false,
                "greedy-311",
                "rider-1",
                GatewayHarness.riderToken("rider-1"))) {
      assertEquals(0, c.connackCode, "accepted");
      h.proxy.holdBatchWrites();
      int messages = 30;
      long t0 = Fixes.baseTs() - 3_600_000L;
      for (int i = 1; i <= messages; i++) assertTrue(c.publishQos1(TOPIC, i, fix(t0, i)));
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10), () -> h.gateway.writer().outstanding() == CAP));
      TimeUnit.MILLISECONDS.sleep(500);
      assertEquals(
          CAP,
          h.gateway.writer().outstanding(),
          "no more than the cap taken in while none is acknowledged");
      assertFalse(c.closedWithin(300), "paused, not disconnected: nothing to resend");

      h.proxy.releaseBatchWrites();
      List<Integer> acked = new ArrayList<>();
      while (acked.size() < messages) {
        RawMqtt.Packet p = c.read(10_000);
        assertNotNull(p, "PUBACK " + (acked.size() + 1) + " arrives");
        assertEquals(4, p.type(), "PUBACK");
        acked.add(p.messageId());
      }
      for (int i = 0; i < messages; i++) assertEquals(i + 1, acked.get(i), "acknowledged in order");
      assertEquals(messages, h.items("task-1").size(), "every message stored once read");
    }
  }

  @Test
  void mqtt311FloodIsHeldBackByTcpNotBufferedInTheGateway() throws Exception {
    try (GatewayHarness h =
        GatewayHarness.start(
            true, Map.of(GatewaySettings.MQTT_MAX_UNACKED.env(), Integer.toString(CAP)))) {
      RawMqtt c =
          RawMqtt.connect(
              h.mqttPort(), false, "flood-311", "rider-1", GatewayHarness.riderToken("rider-1"));
      h.proxy.holdBatchWrites();
      int fixesPerMessage = 100;
      int messages = 4000; // ~40 MB: far more than the socket buffers of both ends hold
      long t0 = Fixes.baseTs() - 86_400_000L;
      byte[][] payloads =
          new byte[50][]; // distinct fixes, repeated: any message taken past the cap shows
      for (int i = 0; i < payloads.length; i++) {
        JsonArray batch = new JsonArray();
        for (int k = 0; k < fixesPerMessage; k++)
          batch.add(Fixes.fix(t0 + (i * fixesPerMessage + k) * 100L, k));
        payloads[i] = batch.toBuffer().getBytes();
      }
      long total = 0;
      for (int i = 0; i < messages; i++) total += payloads[i % payloads.length].length;
      Thread flood =
          new Thread(
              () -> {
                for (int i = 0; i < messages; i++) {
                  if (!c.publishQos1(TOPIC, i % 65_535 + 1, payloads[i % payloads.length])) return;
                }
              },
              "mqtt-flood");
      flood.setDaemon(true);
      flood.start();
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10),
              () -> h.gateway.writer().outstanding() == CAP * fixesPerMessage));
      TimeUnit.SECONDS.sleep(2);
      long written = c.bytesWritten;
      System.out.printf(
          "MQTT 3.1.1 flood: %d of %d KiB written by the client after 2 s; gateway holds %d fixes%n",
          written / 1024, total / 1024, h.gateway.writer().outstanding());
      assertEquals(
          CAP * fixesPerMessage,
          h.gateway.writer().outstanding(),
          "only the cap's messages taken in");
      assertTrue(flood.isAlive() && written < total, "the client is blocked by TCP flow control");

      h.proxy.releaseBatchWrites();
      for (int id = 1; id <= 200; id++) {
        RawMqtt.Packet p = c.read(20_000);
        assertNotNull(p, "PUBACK " + id + " arrives once writes go through");
        assertEquals(4, p.type(), "PUBACK");
        assertEquals(id, p.messageId(), "reading resumed, acknowledged in order");
      }
      assertTrue(
          h.gateway.writer().outstanding() <= CAP * fixesPerMessage,
          "never more than the cap in the gateway");
      c.close();
      flood.join(5000);
    }
  }

  private static byte[] fix(long t0, int i) {
    return Fixes.fix(t0 + i * 10_000L, i).toBuffer().getBytes();
  }
}
