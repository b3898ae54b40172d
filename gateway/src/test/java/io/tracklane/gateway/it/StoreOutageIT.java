package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.devkit.Dynalite;
import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * dynalite (persisting to disk) is killed for a few seconds under QoS 1 load and restarted:
 * acknowledgements stop while it is down, then everything acknowledged is there, once.
 */
class StoreOutageIT {

  @Test
  void storeDownForSecondsLosesNothingAcknowledged() throws Exception {
    Path data = Files.createTempDirectory("dynalite-outage");
    try (Dynalite store = Dynalite.start(0, data);
        GatewayHarness h = GatewayHarness.start(store, false, Map.of())) {
      MqttAsyncClient c =
          MqttClients.paho5(h.mqttUri(), "outage", "rider-1", GatewayHarness.riderToken("rider-1"));
      List<IMqttToken> tokens = new ArrayList<>();
      List<JsonArray> payloads = new ArrayList<>();
      long t0 =
          Fixes.baseTs() - 86_400_000L; // a day ago: all 90 messages stay in the accepted ts window
      int messages = 90;
      long downSince = 0;
      for (int i = 0; i < messages; i++) {
        if (i == 30) {
          store.stop();
          downSince = System.nanoTime();
        }
        if (i == 60) {
          // Still down after 30 messages: prove no ack came back meanwhile, then bring it back.
          long ackedDuringOutage =
              tokens.subList(35, 60).stream().filter(IMqttToken::isComplete).count();
          assertEquals(0, ackedDuringOutage, "no acknowledgement while the store is down");
          long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
          if (waited < 3000) TimeUnit.MILLISECONDS.sleep(3000 - waited);
          store.restart();
        }
        JsonArray fixes = Fixes.batch(t0 + i * 100_000L, 5);
        MqttMessage m = new MqttMessage(fixes.toBuffer().getBytes());
        m.setQos(1);
        payloads.add(fixes);
        tokens.add(c.publish(FixTopics.fixesTopic("task-1"), m));
        TimeUnit.MILLISECONDS.sleep(20); // a fleet's pace, not a wait for a condition
      }
      for (IMqttToken t : tokens) {
        t.waitForCompletion(60_000);
        assertEquals(0, t.getReasonCodes()[0]);
      }
      assertEquals(messages * 5, h.count(), "every acknowledged fix, exactly once");
      for (JsonArray p : payloads) {
        for (int i = 0; i < p.size(); i++) {
          assertFalse(h.item("task-1", p.getJsonObject(i).getLong("ts")).isEmpty());
        }
      }
      assertTrue(
          h.gateway.metrics().count("tracklane.writer.retries", "cause", "client") > 0,
          "the outage was seen and retried");
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void readinessFollowsTheStore() throws Exception {
    Path data = Files.createTempDirectory("dynalite-ready");
    try (Dynalite store = Dynalite.start(0, data);
        GatewayHarness h = GatewayHarness.start(store, false, Map.of())) {
      assertEquals(200, h.admin("/health/ready").statusCode());
      store.stop();
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(15), () -> status(h, "/health/ready") == 503));
      assertEquals(200, h.admin("/health/live").statusCode(), "alive though not ready");
      store.restart();
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(15), () -> status(h, "/health/ready") == 200));
    }
  }

  static int status(GatewayHarness h, String path) {
    try {
      return h.admin(path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
