package io.tracklane.gateway.offers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.GatewayHarness;
import io.tracklane.gateway.it.MqttClients;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
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

/**
 * Task offers over MQTT with real clients (Paho MQTT 5, HiveMQ MQTT 5, Paho MQTT 3.1.1) against a
 * real gateway (dynalite) and the back office's real schema in embedded Postgres, where the tasks
 * trigger announces every change. Tasks are written as the tasks API writes them.
 */
class OffersMqttIT {
  static final String OFFERS = "tracklane/v1/offers";
  static final double LAT = 31.2300;
  static final double LON = 121.4700;
  private static BackOfficeDb db;
  private static GatewayHarness h;
  private static String route;

  @BeforeAll
  static void start() throws Exception {
    db = BackOfficeDb.create("offers_mqtt");
    for (String r : List.of("rider-a", "rider-b", "rider-c", "rider-d", "rider-e", "rider-f"))
      db.user(r, "rider");
    route = db.route("Bund loop", LAT, LON, 952);
    h = GatewayHarness.start(false, Map.of(GatewaySettings.PG_URL.env(), db.url));
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.offersListening()),
        "the gateway listens for task changes");
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
    if (db != null) db.close();
  }

  /** What one subscriber received on the offers topic, in order. */
  static final class Inbox {
    final BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
    final List<String> topics = new ArrayList<>();
    final String name;

    Inbox(String name) {
      this.name = name;
    }

    synchronized void add(String topic, byte[] payload) {
      topics.add(topic);
      queue.add(new JsonObject(new String(payload, StandardCharsets.UTF_8)));
    }

    /** The next event of this kind about this task (null: any task); earlier others are skipped. */
    JsonObject next(String event, String taskId) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        long left = deadline - System.nanoTime();
        JsonObject e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        assertNotNull(e, name + ": no '" + event + "' for " + taskId + " within 10 s");
        if (event.equals(e.getString("event"))
            && (taskId == null || taskId.equals(e.getString("taskId")))) return e;
      }
    }
  }

  static MqttAsyncClient paho5(String id, String rider, Inbox inbox) throws Exception {
    MqttAsyncClient c = MqttClients.paho5(h.mqttUri(), id, rider, GatewayHarness.riderToken(rider));
    c.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String topic, MqttMessage m) {
            inbox.add(topic, m.getPayload());
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

  static org.eclipse.paho.client.mqttv3.MqttAsyncClient paho3(String id, String rider, Inbox inbox)
      throws Exception {
    var c = MqttClients.paho3(h.mqttUri(), id, rider, GatewayHarness.riderToken(rider));
    c.setCallback(
        new org.eclipse.paho.client.mqttv3.MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(
              String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            inbox.add(topic, message.getPayload());
          }

          @Override
          public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
        });
    return c;
  }

  static Mqtt5AsyncClient hive(String id, String rider) {
    Mqtt5AsyncClient c =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(h.mqttPort())
            .buildAsync();
    c.connectWith()
        .simpleAuth()
        .username(rider)
        .password(GatewayHarness.riderToken(rider).getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send()
        .join();
    return c;
  }

  static void awaitOffered(String taskId, boolean offered) throws InterruptedException {
    assertTrue(
        GatewayHarness.eventually(
            Duration.ofSeconds(10),
            () ->
                offered
                    == BackOfficeDb.await(
                            h.gateway.onEventLoop(() -> h.gateway.offers().openTaskIds()))
                        .contains(taskId)),
        taskId + (offered ? " in" : " out of") + " the gateway's pool");
  }

  @Test
  void threeRidersOnThreeClientsGetOffersAndTheClaimTakesItFromTheOthers() throws Exception {
    String before = db.createTask(route, "Before", "5.00", "CNY", 60);
    awaitOffered(before, true);

    Inbox a = new Inbox("rider-a/paho5");
    Inbox b = new Inbox("rider-b/hivemq5");
    Inbox c = new Inbox("rider-c/paho3");
    MqttAsyncClient pahoA = paho5("offers-a", "rider-a", a);
    Mqtt5AsyncClient hiveB = hive("offers-b", "rider-b");
    var pahoC = paho3("offers-c", "rider-c", c);
    try {
      IMqttToken subA = pahoA.subscribe(new MqttSubscription(OFFERS, 1));
      subA.waitForCompletion(5000);
      assertArrayEquals(new int[] {1}, subA.getReasonCodes());
      Mqtt5SubAck subB =
          hiveB
              .subscribeWith()
              .topicFilter(OFFERS)
              .qos(MqttQos.AT_MOST_ONCE)
              .callback(p -> b.add(p.getTopic().toString(), p.getPayloadAsBytes()))
              .send()
              .get(5, TimeUnit.SECONDS);
      assertEquals(List.of(Mqtt5SubAckReasonCode.GRANTED_QOS_0), subB.getReasonCodes());
      var subC = pahoC.subscribe(OFFERS, 1);
      subC.waitForCompletion(5000);
      assertArrayEquals(new int[] {1}, subC.getGrantedQos());

      // the snapshot: the task created before they subscribed, then its end marker
      for (Inbox in : List.of(a, b, c)) {
        JsonObject snap = in.next("offer", before);
        assertEquals("Before", snap.getString("title"));
        assertTrue(in.next("snapshot_complete", null).getInteger("offers") >= 1);
      }

      // rider-a is out riding another task: its fix, 1 km north of the route's start, is recent
      String riding = db.createTask(route, "Riding", "1.00", "CNY", 60);
      assertTrue(db.claim(riding, "rider-a"));
      db.start(riding, "rider-a");
      JsonArray fix =
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("ts", System.currentTimeMillis() - 1000)
                      .put("lat", LAT + 0.009)
                      .put("lon", LON)
                      .put("acc", 5.0));
      IMqttToken pub =
          pahoA.publish(
              "tracklane/v1/tasks/" + riding + "/fixes",
              new MqttMessage(fix.toBuffer().getBytes()));
      pub.waitForCompletion(10_000);
      assertEquals(0, pub.getReasonCodes()[0], "the fix is stored");
      assertTrue(
          GatewayHarness.eventually(
              Duration.ofSeconds(5),
              () ->
                  BackOfficeDb.await(
                      h.gateway.onEventLoop(() -> h.gateway.offers().knowsPositionOf("rider-a")))));

      // a new task reaches all three
      String fresh = db.createTask(route, "Fresh at the Bund", "12.50", "CNY", 90);
      List<JsonObject> offers = new ArrayList<>();
      for (Inbox in : List.of(a, b, c)) offers.add(in.next("offer", fresh));
      for (JsonObject o : offers) {
        assertEquals("Fresh at the Bund", o.getString("title"));
        assertEquals("12.50", o.getString("bonusAmount"));
        assertEquals("CNY", o.getString("bonusCurrency"));
        Instant start = Instant.parse(o.getString("windowStart"));
        assertEquals(
            Duration.ofMinutes(90),
            Duration.between(start, Instant.parse(o.getString("windowEnd"))));
        JsonObject r = o.getJsonObject("route");
        assertEquals(route, r.getString("id"));
        assertEquals("Bund loop", r.getString("name"));
        assertEquals(952.0, r.getDouble("lengthM"));
        assertEquals(LAT, r.getJsonObject("start").getDouble("lat"), 1e-9);
        assertEquals(LON, r.getJsonObject("start").getDouble("lon"), 1e-9);
      }
      assertEquals(1000.7, offers.get(0).getDouble("distanceM"), 2.0, "rider-a's recent fix");
      assertNull(offers.get(1).getValue("distanceM"), "rider-b has no recent position");
      assertNull(offers.get(2).getValue("distanceM"), "rider-c has no recent position");

      // rider-b wins the claim: the others see it taken, rider-b sees it is theirs
      assertTrue(db.claim(fresh, "rider-b"));
      assertFalse(db.claim(fresh, "rider-c"), "the loser's claim matches no row");
      assertFalse(a.next("taken", fresh).getBoolean("byYou"));
      assertFalse(c.next("taken", fresh).getBoolean("byYou"));
      assertTrue(b.next("taken", fresh).getBoolean("byYou"));

      // released: offered again; cancelled: withdrawn
      db.release(fresh, "rider-b");
      for (Inbox in : List.of(a, b, c)) in.next("offer", fresh);
      db.cancel(fresh);
      for (Inbox in : List.of(a, b, c))
        assertEquals("cancelled", in.next("withdrawn", fresh).getString("reason"));

      for (Inbox in : List.of(a, b, c)) {
        synchronized (in) {
          assertTrue(in.topics.stream().allMatch(OFFERS::equals), in.name + ": " + in.topics);
        }
      }
    } finally {
      pahoA.disconnect().waitForCompletion(5000);
      pahoA.close();
      hiveB.disconnect().join();
      pahoC.disconnect().waitForCompletion(5000);
      pahoC.close();
    }
  }

  @Test
  void subscriptionsToOtherRidersTopicsAndWildcardsAreRefused() throws Exception {
    String someonesTask = db.createTask(route, "Someone's", "3.00", "CNY", 60);
    assertTrue(db.claim(someonesTask, "rider-e"));
    Inbox d = new Inbox("rider-d/paho5");
    MqttAsyncClient paho = paho5("refuse-5", "rider-d", d);
    Mqtt5AsyncClient hive = hive("refuse-hive", "rider-d");
    Inbox f = new Inbox("rider-f/paho3");
    var paho3 = paho3("refuse-3", "rider-f", f);
    try {
      String[] filters = {
        OFFERS,
        "#",
        "tracklane/v1/offers/+",
        "tracklane/v1/offers/rider-e",
        "tracklane/v1/tasks/" + someonesTask + "/fixes",
        "tracklane/v1/tasks/+/fixes",
        "tracklane/#"
      };
      MqttSubscription[] subs = new MqttSubscription[filters.length];
      for (int i = 0; i < filters.length; i++) subs[i] = new MqttSubscription(filters[i], 1);
      IMqttToken t = paho.subscribe(subs);
      try {
        t.waitForCompletion(5000);
      } catch (MqttException refusedSome) {
        // Paho may report the refused filters as an error; the reason codes are what count
      }
      assertArrayEquals(new int[] {1, 0x87, 0x87, 0x87, 0x87, 0x87, 0x87}, t.getReasonCodes());

      for (String filter : List.of("#", "tracklane/v1/offers/+", "+/v1/offers")) {
        try {
          Mqtt5SubAck ack =
              hive.subscribeWith()
                  .topicFilter(filter)
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .callback(p -> {})
                  .send()
                  .get(5, TimeUnit.SECONDS);
          assertEquals(List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED), ack.getReasonCodes(), filter);
        } catch (ExecutionException e) {
          Mqtt5SubAckException refused = (Mqtt5SubAckException) e.getCause();
          assertEquals(
              List.of(Mqtt5SubAckReasonCode.NOT_AUTHORIZED),
              refused.getMqttMessage().getReasonCodes(),
              filter);
        }
      }

      var t3 =
          paho3.subscribe(
              new String[] {OFFERS, "#", "tracklane/v1/offers/+", "tracklane/v1/offers/rider-e"},
              new int[] {1, 1, 1, 1});
      t3.waitForCompletion(5000);
      assertArrayEquals(new int[] {1, 0x80, 0x80, 0x80}, t3.getGrantedQos());

      // the refused filters deliver nothing: a claim by rider-e reaches them on the offers topic
      String next = db.createTask(route, "Next", "4.00", "CNY", 60);
      d.next("offer", next);
      f.next("offer", next);
      assertTrue(db.claim(next, "rider-e"));
      assertFalse(d.next("taken", next).getBoolean("byYou"));
      assertFalse(f.next("taken", next).getBoolean("byYou"));
      synchronized (d) {
        assertTrue(d.topics.stream().allMatch(OFFERS::equals), d.topics.toString());
      }
      synchronized (f) {
        assertTrue(f.topics.stream().allMatch(OFFERS::equals), f.topics.toString());
      }
    } finally {
      paho.disconnect().waitForCompletion(5000);
      paho.close();
      hive.disconnect().join();
      paho3.disconnect().waitForCompletion(5000);
      paho3.close();
    }
  }
}
