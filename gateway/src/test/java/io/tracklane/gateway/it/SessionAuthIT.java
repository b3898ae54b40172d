package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.mqtt.FixTopics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * An MQTT session lasts as long as its authorisation: it ends when the access token expires, and a
 * client id belongs to the user connected with it. Real gateway (dynalite), real Paho clients.
 */
class SessionAuthIT {

  @Test
  void aSessionEndsWhenItsTokenExpires() throws Exception {
    try (GatewayHarness h = GatewayHarness.start(false, Map.of())) {
      // JWT times are whole seconds: this token expires 2 to 3 s from now
      String shortLived = GatewayHarness.token("rider-1", "rider", Duration.ofSeconds(3));
      MqttAsyncClient v5 = MqttClients.paho5(h.mqttUri(), "expiring-5", "rider-1", shortLived);
      CompletableFuture<MqttDisconnectResponse> v5Gone = Disconnects.of(v5);
      var v3 = MqttClients.paho3(h.mqttUri(), "expiring-3", "rider-1", shortLived);
      CompletableFuture<Throwable> v3Lost = Disconnects.of(v3);
      // while the token is valid the session works: a QoS 1 message is acknowledged
      assertEquals(0, publish(v5, "task-1").getReasonCodes()[0]);

      MqttDisconnectResponse d = v5Gone.get(10, TimeUnit.SECONDS);
      assertEquals(0xA0, d.getReturnCode(), "MQTT 5 DISCONNECT: maximum connect time");
      assertTrue(
          d.getReasonString() != null && d.getReasonString().contains("token expired"),
          d.getReasonString());
      assertNotNull(v3Lost.get(10, TimeUnit.SECONDS), "the MQTT 3.1.1 connection is closed");
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(5),
              () -> h.registry.get("tracklane.mqtt.connections").gauge().value() == 0));

      // the expired token does not open a new session (though within the verifier's clock leeway)
      MqttException again =
          assertThrows(
              MqttException.class,
              () -> MqttClients.paho5(h.mqttUri(), "expiring-5", "rider-1", shortLived));
      assertEquals(0x86, again.getReasonCode(), "bad user name or password");
      // a fresh token does
      MqttAsyncClient fresh =
          MqttClients.paho5(
              h.mqttUri(), "expiring-5", "rider-1", GatewayHarness.riderToken("rider-1"));
      assertEquals(0, publish(fresh, "task-1").getReasonCodes()[0]);
      fresh.disconnect().waitForCompletion(5000);
      MqttClients.closeQuietly(fresh::close);
      MqttClients.closeQuietly(v5::close);
      MqttClients.closeQuietly(v3::close);
    }
  }

  @Test
  void anotherUserCannotTakeAClientId() throws Exception {
    try (GatewayHarness h = GatewayHarness.start(false, Map.of())) {
      MqttAsyncClient owner =
          MqttClients.paho5(
              h.mqttUri(), "phone-7", "rider-1", GatewayHarness.riderToken("rider-1"));
      CompletableFuture<MqttDisconnectResponse> ownerGone = Disconnects.of(owner);

      MqttException v5 =
          assertThrows(
              MqttException.class,
              () ->
                  MqttClients.paho5(
                      h.mqttUri(), "phone-7", "rider-2", GatewayHarness.riderToken("rider-2")));
      assertEquals(0x85, v5.getReasonCode(), "MQTT 5 CONNACK: client identifier not valid");
      var v3 =
          assertThrows(
              org.eclipse.paho.client.mqttv3.MqttException.class,
              () ->
                  MqttClients.paho3(
                      h.mqttUri(), "phone-7", "rider-2", GatewayHarness.riderToken("rider-2")));
      assertEquals(
          org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_INVALID_CLIENT_ID,
          v3.getReasonCode(),
          "MQTT 3.1.1 CONNACK 0x02: identifier rejected");

      // the owner never noticed: still connected, and its QoS 1 messages are acknowledged
      assertTrue(owner.isConnected());
      assertEquals(0, publish(owner, "task-1").getReasonCodes()[0]);
      assertTrue(owner.isConnected());
      assertTrue(!ownerGone.isDone());

      // the same user still takes its own session over
      MqttAsyncClient again =
          MqttClients.paho5(
              h.mqttUri(), "phone-7", "rider-1", GatewayHarness.riderToken("rider-1"));
      assertEquals(0x8E, ownerGone.get(10, TimeUnit.SECONDS).getReturnCode(), "session taken over");
      assertEquals(0, publish(again, "task-1").getReasonCodes()[0]);
      again.disconnect().waitForCompletion(5000);
      MqttClients.closeQuietly(again::close);
      MqttClients.closeQuietly(owner::close);
    }
  }

  static IMqttToken publish(MqttAsyncClient c, String taskId) throws Exception {
    MqttMessage m =
        new MqttMessage(
            Fixes.batch(Fixes.baseTs() - 2_000_000 + (long) (Math.random() * 1_000_000), 2)
                .toBuffer()
                .getBytes());
    m.setQos(1);
    IMqttToken t = c.publish(FixTopics.fixesTopic(taskId), m);
    t.waitForCompletion(10_000);
    return t;
  }
}
