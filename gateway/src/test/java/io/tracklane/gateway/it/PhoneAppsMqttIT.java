package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.offers.BackOfficeDb;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * OwnTracks over MQTT against a real gateway, with real Paho clients connecting with a device key:
 * PUBACK only after the durable write (held at the fault proxy), and the cadence commands on {@code
 * owntracks/u/d/cmd} as the rider's task starts and ends (the back office's own transition SQL and
 * notification, in a real Postgres).
 */
class PhoneAppsMqttIT {
  static BackOfficeDb db;
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    db = BackOfficeDb.create("phoneapps_mqtt");
    db.user("rider-m", "rider");
    db.user("rider-x", "rider");
    h = GatewayHarness.start(true, Map.of(GatewaySettings.PG_URL.env(), db.url));
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.taskStatusListening()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
    if (db != null) db.close();
  }

  /** A Paho 5 client logged in as an OwnTracks app: user name "u", password the device key. */
  static MqttAsyncClient owntracks(String clientId, String key, BlockingQueue<JsonObject> cmds)
      throws Exception {
    MqttAsyncClient c = MqttClients.paho5(h.mqttUri(), clientId, "u", key);
    c.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String topic, MqttMessage m) {
            cmds.add(
                new JsonObject(new String(m.getPayload(), StandardCharsets.UTF_8))
                    .put("_topic", topic));
          }

          @Override
          public void deliveryComplete(IMqttToken t) {}

          @Override
          public void connectComplete(boolean reconnect, String uri) {}

          @Override
          public void authPacketArrived(int reason, MqttProperties p) {}
        });
    return c;
  }

  static JsonObject next(BlockingQueue<JsonObject> q) throws InterruptedException {
    JsonObject m = q.poll(10, TimeUnit.SECONDS);
    assertNotNull(m, "a cmd arrives");
    assertEquals("owntracks/u/d/cmd", m.getString("_topic"));
    assertEquals("cmd", m.getString("_type"));
    return m;
  }

  static int monitoring(JsonObject setConfiguration) {
    assertEquals("setConfiguration", setConfiguration.getString("action"));
    return setConfiguration.getJsonObject("configuration").getInteger("monitoring");
  }

  static int acked(IMqttToken t) throws MqttException {
    t.waitForCompletion(10_000);
    return t.getReasonCodes()[0];
  }

  static MqttMessage location(long ts) {
    MqttMessage m =
        new MqttMessage(
            ("{\"_type\":\"location\",\"tid\":\"d\",\"lat\":31.2304,\"lon\":121.4737,\"tst\":"
                    + ts / 1000
                    + ",\"vel\":18,\"cog\":45,\"acc\":6,\"alt\":10,\"batt\":80,\"conn\":\"w\"}")
                .getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    return m;
  }

  @Test
  void pubackOnlyAfterStorageAndCadenceFollowsTheTask() throws Exception {
    String task = PhoneAppsBackOffice.claimedTask(db, "rider-m");
    String key = PhoneAppsBackOffice.addDevice(db, "rider-m", "d");
    BlockingQueue<JsonObject> cmds = new LinkedBlockingQueue<>();
    MqttAsyncClient c = owntracks("ot-d", key, cmds);
    try {
      IMqttToken sub =
          c.subscribe(
              new MqttSubscription[] {
                new MqttSubscription("owntracks/u/d/cmd", 1),
                new MqttSubscription("owntracks/+/+", 1)
              });
      sub.waitForCompletion(10_000);
      assertEquals(1, sub.getReasonCodes()[0], "cmd topic granted at QoS 1");
      assertEquals(0x87, sub.getReasonCodes()[1], "other riders' locations are not served");
      // no task in progress: told the fallback at once
      assertEquals(1, monitoring(next(cmds)));

      PhoneAppsBackOffice.start(db, task, "rider-m");
      JsonObject set = next(cmds);
      assertEquals(2, monitoring(set), "move mode while the task is in progress");
      assertEquals(10, set.getJsonObject("configuration").getInteger("locatorInterval"));
      assertEquals("reportLocation", next(cmds).getString("action"));

      long ts = (System.currentTimeMillis() / 1000 - 5) * 1000;
      h.proxy.holdBatchWrites();
      IMqttToken puback = c.publish("owntracks/u/d", location(ts));
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> h.proxy.heldCount() >= 1),
          "the gateway sent its BatchWriteItem");
      assertFalse(
          GatewayHarness.eventually(Duration.ofMillis(1500), puback::isComplete),
          "no PUBACK while the write is held");
      assertTrue(h.item(task, ts).isEmpty());
      h.proxy.releaseBatchWrites();
      puback.waitForCompletion(10_000);
      assertEquals(0, puback.getReasonCodes()[0]);
      Map<String, AttributeValue> item = h.item(task, ts);
      assertFalse(item.isEmpty(), "stored");
      assertEquals(5.0, Double.parseDouble(item.get("spd").n()), 1e-9, "18 km/h");
      assertEquals(0.8, Double.parseDouble(item.get("bat").n()), 1e-9, "80 %");
      assertEquals(45, Double.parseDouble(item.get("hdg").n()));

      // other _types and sub-topics: acknowledged, nothing stored
      MqttMessage lwt = new MqttMessage("{\"_type\":\"lwt\",\"tst\":1}".getBytes());
      lwt.setQos(1);
      assertEquals(0, acked(c.publish("owntracks/u/d", lwt)));
      assertEquals(0, acked(c.publish("owntracks/u/d/event", lwt)));
      MqttMessage bad = new MqttMessage("{\"_type\":\"location\",\"lat\":1}".getBytes());
      bad.setQos(1);
      IMqttToken refused = c.publish("owntracks/u/d", bad);
      refused.waitForCompletion(10_000);
      assertEquals(0x99, refused.getReasonCodes()[0], "payload format invalid");
      IMqttToken wrongTopic =
          c.publish("tracklane/v1/tasks/" + task + "/fixes", location(ts + 1000));
      wrongTopic.waitForCompletion(10_000);
      assertEquals(0x90, wrongTopic.getReasonCodes()[0], "topic name invalid");

      PhoneAppsBackOffice.complete(db, task, "rider-m");
      assertEquals(1, monitoring(next(cmds)), "the task ended: significant changes");
      assertNull(cmds.poll(300, TimeUnit.MILLISECONDS), "no reportLocation on the way down");

      // after the task a fix is acknowledged and not stored
      long after = ts + 60_000;
      IMqttToken outside = c.publish("owntracks/u/d", location(after));
      outside.waitForCompletion(10_000);
      assertEquals(0, outside.getReasonCodes()[0]);
      assertTrue(h.item(task, after).isEmpty());
    } finally {
      h.proxy.reset();
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void mqtt311LocationsAreStoredAndUnstorableOnesAcknowledged() throws Exception {
    db.user("rider-3", "rider");
    String task = PhoneAppsBackOffice.claimedTask(db, "rider-3");
    PhoneAppsBackOffice.start(db, task, "rider-3");
    String key = PhoneAppsBackOffice.addDevice(db, "rider-3", "p3");
    var c = MqttClients.paho3(h.mqttUri(), "ot-311", "u", key);
    try {
      long ts = (System.currentTimeMillis() / 1000 - 2) * 1000;
      c.publish("owntracks/u/p3", location(ts).getPayload(), 1, false).waitForCompletion(10_000);
      assertFalse(h.item(task, ts).isEmpty(), "acknowledged after it was stored");
      // MQTT 3.1.1 has no negative ack: a payload that can never be stored is acknowledged
      c.publish("owntracks/u/p3", "{\"_type\":\"location\"}".getBytes(), 1, false)
          .waitForCompletion(10_000);
      assertTrue(c.isConnected());
    } finally {
      c.disconnect().waitForCompletion(5000);
      c.close();
    }
  }

  @Test
  void unknownKeysAreRefusedAsBadUserNameOrPassword() throws Exception {
    String stranger = PhoneAppsBackOffice.newKey();
    MqttException v5 =
        assertThrows(
            MqttException.class,
            () -> MqttClients.paho5(h.mqttUri(), "ot-stranger5", "u", stranger));
    assertEquals(0x86, v5.getReasonCode());
    org.eclipse.paho.client.mqttv3.MqttException v3 =
        assertThrows(
            org.eclipse.paho.client.mqttv3.MqttException.class,
            () -> MqttClients.paho3(h.mqttUri(), "ot-stranger3", "u", stranger));
    assertEquals(
        org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_FAILED_AUTHENTICATION,
        v3.getReasonCode());
  }

  @Test
  void aRevokedKeyEndsItsSession() throws Exception {
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.deviceStatusListening()));
    String key = PhoneAppsBackOffice.addDevice(db, "rider-x", "x");
    var v3 = MqttClients.paho3(h.mqttUri(), "ot-x3", "u", key);
    var lost = Disconnects.of(v3);
    PhoneAppsBackOffice.revoke(db, key);
    assertNotNull(lost.get(5, TimeUnit.SECONDS), "disconnected within 5 s of the revocation");
    MqttClients.closeQuietly(v3);
  }
}
