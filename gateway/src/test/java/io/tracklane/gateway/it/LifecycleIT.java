package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;

/** Client-id takeover, graceful shutdown, health and metrics. */
class LifecycleIT {

  @Test
  void aClientIdConnectingTwiceTakesOver() throws Exception {
    try (GatewayHarness h = GatewayHarness.start(false, Map.of())) {
      String token = GatewayHarness.riderToken("rider-1");
      MqttAsyncClient first = MqttClients.paho5(h.mqttUri(), "phone-42", "rider-1", token);
      AtomicInteger disconnectReason = new AtomicInteger(-1);
      first.setCallback(
          new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
              disconnectReason.set(r.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {}

            @Override
            public void messageArrived(String t, MqttMessage m) {}

            @Override
            public void deliveryComplete(IMqttToken t) {}

            @Override
            public void connectComplete(boolean reconnect, String uri) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties p) {}
          });
      MqttAsyncClient second = MqttClients.paho5(h.mqttUri(), "phone-42", "rider-1", token);
      // Paho marks the client disconnected before it runs the callback: wait for the callback too.
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(10), () -> !first.isConnected() && disconnectReason.get() != -1),
          "old connection closed");
      assertEquals(0x8E, disconnectReason.get(), "MQTT 5 DISCONNECT says: session taken over");
      JsonArray fixes = Fixes.batch(Fixes.baseTs() - 1_000_000, 2);
      MqttMessage m = new MqttMessage(fixes.toBuffer().getBytes());
      m.setQos(1);
      IMqttToken t = second.publish(FixTopics.fixesTopic("task-1"), m);
      t.waitForCompletion(10_000);
      assertEquals(0, t.getReasonCodes()[0]);
      assertTrue(second.isConnected());
      second.disconnect().waitForCompletion(5000);
      second.close();
      MqttClients.closeQuietly(first::close);
    }
  }

  @Test
  void gracefulShutdownWritesAndAcknowledgesWhatItAccepted() throws Exception {
    try (GatewayHarness h = GatewayHarness.start(true, Map.of())) {
      MqttAsyncClient c =
          MqttClients.paho5(
              h.mqttUri(), "shutdown", "rider-1", GatewayHarness.riderToken("rider-1"));
      JsonArray fixes = Fixes.batch(Fixes.baseTs() - 2_000_000, 6);
      h.proxy.holdBatchWrites();
      MqttMessage m = new MqttMessage(fixes.toBuffer().getBytes());
      m.setQos(1);
      IMqttToken t = c.publish(FixTopics.fixesTopic("task-1"), m);
      assertTrue(GatewayHarness.eventually(Duration.ofSeconds(10), () -> h.proxy.heldCount() >= 1));

      Future<Void> stopping = h.gateway.shutdown();
      // Shutting down: new payloads are refused, readiness drops, the accepted one still waits.
      assertEquals(
          503,
          h.postFixes(
                  "task-1",
                  GatewayHarness.riderToken("rider-1"),
                  Fixes.batch(Fixes.baseTs(), 1).encode())
              .statusCode());
      assertEquals(503, h.admin("/health/ready").statusCode());
      assertFalse(t.isComplete());
      h.proxy.releaseBatchWrites();
      t.waitForCompletion(10_000);
      assertEquals(0, t.getReasonCodes()[0], "acknowledged before the connection closed");
      stopping.await(20, TimeUnit.SECONDS);
      for (int i = 0; i < fixes.size(); i++) {
        assertFalse(h.item("task-1", fixes.getJsonObject(i).getLong("ts")).isEmpty());
      }
      assertTrue(GatewayHarness.eventually(Duration.ofSeconds(10), () -> !c.isConnected()));
      MqttClients.closeQuietly(c::close);
    }
  }

  @Test
  void healthAndMetrics() throws Exception {
    try (GatewayHarness h = GatewayHarness.start(false, Map.of())) {
      assertEquals(200, h.admin("/health/live").statusCode());
      assertEquals(200, h.admin("/health/ready").statusCode());
      assertEquals(
          200,
          h.postFixes(
                  "task-1",
                  GatewayHarness.riderToken("rider-1"),
                  Fixes.batch(Fixes.baseTs() - 3_000_000, 3).encode())
              .statusCode());
      h.postFixes("task-1", GatewayHarness.riderToken("rider-1"), "[]");
      String metrics = h.admin("/metrics").body();
      for (String expected :
          new String[] {
            "tracklane_fixes_received_total{transport=\"http\"} 3.0",
            "tracklane_fixes_written_total 3.0",
            "tracklane_payloads_rejected_total{reason=\"bad_payload\"} 1.0",
            "tracklane_batch_size_count",
            "tracklane_batch_write_latency_seconds_bucket",
            "tracklane_ingest_ack_latency_seconds_count",
            "tracklane_writer_queue_depth",
            "tracklane_mqtt_connections",
            "vertx_http_server_requests"
          }) {
        assertTrue(metrics.contains(expected), "metrics lack " + expected);
      }
    }
  }
}
