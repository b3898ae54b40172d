package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * The gateway JVM is SIGKILLed under QoS 1 load. Clients resend what was not acknowledged to the
 * restarted gateway; afterwards every acknowledged fix is stored, and stored exactly once.
 */
class CrashIT {

  @Test
  void killedUnderLoadLosesNothingAcknowledged() throws Exception {
    try (GatewayHarness h = GatewayHarness.prepare(false, Map.of())) {
      Map<String, String> env =
          ChildGateway.envFor(h, ChildGateway.freePort(), ChildGateway.freePort());
      String uri = "tcp://127.0.0.1:" + env.get("TRACKLANE_MQTT_PORT");
      int messages = 400;
      int fixesPerMessage = 4;
      JsonArray[] payloads = new JsonArray[messages];
      long t0 =
          Fixes.baseTs() - 86_400_000L; // a day ago: every message stays in the accepted ts window
      for (int i = 0; i < messages; i++)
        payloads[i] = Fixes.batch(t0 + i * 50_000L, fixesPerMessage);
      Set<Integer> acked = ConcurrentHashMap.newKeySet();

      ChildGateway first = ChildGateway.start(env);
      MqttAsyncClient c =
          MqttClients.paho5(uri, "crash-1", "rider-1", GatewayHarness.riderToken("rider-1"));
      try {
        for (int i = 0; i < messages; i++) {
          publish(c, payloads[i], i, acked);
          if (i == messages / 2) {
            assertTrue(
                GatewayHarness.eventually(Duration.ofSeconds(30), () -> acked.size() >= 50),
                "load is flowing");
            first.kill();
            break;
          }
        }
      } finally {
        first.close();
        MqttClients.closeQuietly(() -> c.close(true));
      }
      Set<Integer> ackedBeforeCrash = Set.copyOf(acked);
      assertTrue(
          ackedBeforeCrash.size() >= 50 && ackedBeforeCrash.size() < messages, "crashed mid-load");
      for (int i : ackedBeforeCrash) {
        // acknowledged means durable, even though the process died right after
        assertFalse(
            h.item("task-1", payloads[i].getJsonObject(fixesPerMessage - 1).getLong("ts"))
                .isEmpty(),
            "acknowledged message " + i + " is stored");
      }

      try (ChildGateway second = ChildGateway.start(env)) {
        MqttAsyncClient again =
            MqttClients.paho5(uri, "crash-1", "rider-1", GatewayHarness.riderToken("rider-1"));
        for (int i = 0; i < messages; i++) {
          if (!acked.contains(i))
            publish(again, payloads[i], i, acked); // what a phone does: resend the unacked
        }
        assertTrue(
            GatewayHarness.eventually(Duration.ofSeconds(60), () -> acked.size() == messages),
            "all resent messages acknowledged, got " + acked.size());
        again.disconnect().waitForCompletion(5000);
        again.close();
      }
      assertEquals(messages * fixesPerMessage, h.count(), "stored exactly once");
    }
  }

  static void publish(MqttAsyncClient c, JsonArray fixes, int index, Set<Integer> acked)
      throws Exception {
    MqttMessage m = new MqttMessage(fixes.toBuffer().getBytes());
    m.setQos(1);
    MqttActionListener listener =
        new MqttActionListener() {
          @Override
          public void onSuccess(IMqttToken t) {
            if (t.getReasonCodes() == null || t.getReasonCodes()[0] == 0) acked.add(index);
          }

          @Override
          public void onFailure(IMqttToken t, Throwable e) {
            // connection died with the gateway: this message will be resent
          }
        };
    while (true) {
      try {
        c.publish(FixTopics.fixesTopic("task-1"), m, null, listener);
        return;
      } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
        // the gateway's Receive Maximum is reached: wait for acknowledgements, as a phone's app
        // does
        if (e.getReasonCode()
            != org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT) throw e;
        TimeUnit.MILLISECONDS.sleep(5);
      }
    }
  }
}
