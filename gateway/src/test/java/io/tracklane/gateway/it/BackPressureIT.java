package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the store held, the queue fills: HTTP answers 503 + Retry-After past the soft limit, MQTT
 * holds acknowledgements and past the hard limit refuses (MQTT 5 PUBACK 0x97; MQTT 3.1.1 loses the
 * connection without an ack). After the drain every acknowledged fix is present.
 */
class BackPressureIT {
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h =
        GatewayHarness.start(
            true,
            Map.of(
                GatewaySettings.QUEUE_SOFT_LIMIT.env(),
                "10",
                GatewaySettings.QUEUE_HARD_LIMIT.env(),
                "30",
                GatewaySettings.RETRY_AFTER_SECONDS.env(),
                "3"));
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  static IMqttToken publish(MqttAsyncClient c, JsonArray fixes) throws Exception {
    MqttMessage m = new MqttMessage(fixes.toBuffer().getBytes());
    m.setQos(1);
    return c.publish(FixTopics.fixesTopic("task-1"), m);
  }

  @Test
  void fullQueueShedsLoadAndLosesNothingAcknowledged() throws Exception {
    String token = GatewayHarness.riderToken("rider-1");
    long t0 = Fixes.baseTs() - 3_000_000;
    JsonArray httpFixes = Fixes.batch(t0, 10);
    JsonArray mqttHeld = Fixes.batch(t0 + 200_000, 10);
    JsonArray mqttRefused = Fixes.batch(t0 + 400_000, 15);
    JsonArray httpRefused = Fixes.batch(t0 + 600_000, 5);
    JsonArray mqtt3Refused = Fixes.batch(t0 + 800_000, 15);

    h.proxy.holdBatchWrites();
    CompletableFuture<HttpResponse<String>> held =
        h.postFixesAsync("task-1", token, httpFixes.encode());
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(10), () -> h.gateway.writer().outstanding() == 10));

    HttpResponse<String> shed = h.postFixes("task-1", token, httpRefused.encode());
    assertEquals(503, shed.statusCode(), shed.body());
    assertEquals("3", shed.headers().firstValue("Retry-After").orElse(null));

    MqttAsyncClient a = MqttClients.paho5(h.mqttUri(), "bp-a", "rider-1", token);
    MqttAsyncClient b = MqttClients.paho5(h.mqttUri(), "bp-b", "rider-1", token);
    var old = MqttClients.paho3(h.mqttUri(), "bp-311", "rider-1", token);
    try {
      IMqttToken heldAck = publish(a, mqttHeld); // 20 queued: under the hard limit, ack withheld
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10), () -> h.gateway.writer().outstanding() == 20));
      IMqttToken quota = publish(b, mqttRefused); // 35 > 30: refused at once
      quota.waitForCompletion(10_000);
      assertEquals(0x97, quota.getReasonCodes()[0]);
      assertFalse(heldAck.isComplete(), "the accepted message's ack waits for the store");

      old.publish(FixTopics.fixesTopic("task-1"), mqtt3Refused.toBuffer().getBytes(), 1, false);
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> !old.isConnected()),
          "MQTT 3.1.1 has no negative ack: the client is disconnected and will resend");
      assertEquals(20, h.gateway.writer().outstanding(), "memory stays bounded");
      assertTrue(h.admin("/metrics").body().contains("tracklane_writer_queue_depth 20.0"));

      h.proxy.releaseBatchWrites();
      heldAck.waitForCompletion(10_000);
      assertEquals(0, heldAck.getReasonCodes()[0]);
      assertEquals(200, held.get(10, TimeUnit.SECONDS).statusCode());
      assertEquals(20, h.count(), "exactly the acknowledged fixes are stored");
      for (JsonArray acked : new JsonArray[] {httpFixes, mqttHeld}) {
        for (int i = 0; i < acked.size(); i++) {
          assertFalse(h.item("task-1", acked.getJsonObject(i).getLong("ts")).isEmpty());
        }
      }
      assertEquals(
          200,
          h.postFixes("task-1", token, httpRefused.encode()).statusCode(),
          "after the drain it is accepted");
    } finally {
      for (MqttAsyncClient c : new MqttAsyncClient[] {a, b}) {
        c.disconnect().waitForCompletion(5000);
        c.close();
      }
      MqttClients.closeQuietly(old::close);
    }
  }
}
