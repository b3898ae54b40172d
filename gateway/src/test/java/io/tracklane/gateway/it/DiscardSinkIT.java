package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * The benchmark-only discarding sink: valid payloads are acknowledged and thrown away; every check
 * before storage (auth, validation, the task check) still runs.
 */
class DiscardSinkIT {
  @Test
  void validFixesAreAcknowledgedAndNotStoredWhileBadOnesAreStillRefused() throws Exception {
    try (GatewayHarness h =
        GatewayHarness.start(false, Map.of("TRACKLANE_BENCHMARK_DISCARD_FIXES", "true"))) {
      String token = GatewayHarness.riderToken("rider-1");
      JsonArray fixes = Fixes.batch(Fixes.baseTs(), 5);
      HttpResponse<String> ok = h.postFixes("task-1", token, fixes.encode());
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals(5, new JsonObject(ok.body()).getInteger("stored"));

      MqttAsyncClient c = MqttClients.paho5(h.mqttUri(), "discard-1", "rider-1", token);
      try {
        MqttMessage m =
            new MqttMessage(Fixes.batch(Fixes.baseTs() + 100_000, 3).toBuffer().getBytes());
        m.setQos(1);
        IMqttToken t = c.publish(FixTopics.fixesTopic("task-1"), m);
        t.waitForCompletion(10_000);
        assertEquals(0, t.getReasonCodes()[0], "PUBACK success");
        MqttMessage bad = new MqttMessage("{\"ts\":1,\"lat\":91,\"lon\":0}".getBytes());
        bad.setQos(1);
        IMqttToken tb = c.publish(FixTopics.fixesTopic("task-1"), bad);
        tb.waitForCompletion(10_000);
        assertEquals(0x99, tb.getReasonCodes()[0], "invalid payloads are still refused");
      } finally {
        c.disconnect().waitForCompletion(5000);
        c.close();
      }
      assertEquals(400, h.postFixes("task-1", token, "[{\"ts\":1}]").statusCode());
      assertEquals(
          403, h.postFixes("task-2", token, fixes.encode()).statusCode(), "someone else's task");
      assertEquals(0, h.count(), "nothing is stored");
    }
  }
}
