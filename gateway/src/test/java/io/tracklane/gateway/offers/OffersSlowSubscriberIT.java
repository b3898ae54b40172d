package io.tracklane.gateway.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.micrometer.core.instrument.Counter;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.Disconnects;
import io.tracklane.gateway.it.GatewayHarness;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rider that stops acknowledging offers (a real Paho MQTT 5 client with manual acks and Receive
 * Maximum 1) fills its bounded queue ({@code TRACKLANE_OFFERS_CLIENT_QUEUE} = 20) and is
 * disconnected with 0x97, while another rider (HiveMQ) gets every offer.
 */
class OffersSlowSubscriberIT {
  static final int QUEUE = 20;
  private static BackOfficeDb db;
  private static GatewayHarness h;
  private static String route;

  @BeforeAll
  static void start() throws Exception {
    db = BackOfficeDb.create("offers_slow");
    for (String r : List.of("rider-slow", "rider-fast")) db.user(r, "rider");
    route = db.route("Ring road", 31.20, 121.44, 2000);
    h =
        GatewayHarness.start(
            false,
            Map.of(
                GatewaySettings.PG_URL.env(),
                db.url,
                GatewaySettings.OFFERS_CLIENT_QUEUE.env(),
                Integer.toString(QUEUE)));
    assertTrue(
        GatewayHarness.eventually(Duration.ofSeconds(15), () -> h.gateway.offersListening()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) h.close();
    if (db != null) db.close();
  }

  @Test
  void aRiderThatStopsAcknowledgingIsCutOffAndTheOthersGetEverything() throws Exception {
    MqttAsyncClient slow = new MqttAsyncClient(h.mqttUri(), "slow-5", new MemoryPersistence());
    slow.setManualAcks(true); // never acknowledges: every offer after the first waits
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setUserName("rider-slow");
    o.setPassword(GatewayHarness.riderToken("rider-slow").getBytes(StandardCharsets.UTF_8));
    o.setReceiveMaximum(1);
    o.setAutomaticReconnect(false);
    CompletableFuture<MqttDisconnectResponse> gone = Disconnects.of(slow);
    slow.connect(o).waitForCompletion(10_000);
    slow.subscribe(new MqttSubscription(OffersMqttIT.OFFERS, 1)).waitForCompletion(5000);

    Set<String> fastOffers = ConcurrentHashMap.newKeySet();
    Mqtt5AsyncClient fast =
        Mqtt5Client.builder()
            .identifier("fast-hive")
            .serverHost("127.0.0.1")
            .serverPort(h.mqttPort())
            .buildAsync();
    fast.connectWith()
        .simpleAuth()
        .username("rider-fast")
        .password(GatewayHarness.riderToken("rider-fast").getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send()
        .join();
    fast.subscribeWith()
        .topicFilter(OffersMqttIT.OFFERS)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(
            p -> {
              JsonObject e =
                  new JsonObject(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
              if ("offer".equals(e.getString("event"))) fastOffers.add(e.getString("taskId"));
            })
        .send()
        .get(5, TimeUnit.SECONDS);
    try {
      List<String> tasks = db.createTasks(route, "Bulk ", QUEUE + 5);
      MqttDisconnectResponse d = gone.get(15, TimeUnit.SECONDS);
      assertEquals(0x97, d.getReturnCode(), "DISCONNECT Quota exceeded");
      assertTrue(
          GatewayHarness.eventually(Duration.ofSeconds(10), () -> fastOffers.containsAll(tasks)),
          "the other rider got all " + tasks.size() + " offers");
      assertTrue(fast.getState().isConnected());
      Counter cut =
          h.registry.find("tracklane.offers.slow.disconnects").tag("transport", "mqtt").counter();
      assertEquals(1.0, cut == null ? 0 : cut.count());
      assertEquals(
          1,
          (int) BackOfficeDb.await(h.gateway.onEventLoop(() -> h.gateway.offers().subscribers())),
          "the slow rider's subscription is gone");
    } finally {
      fast.disconnect().join();
      slow.close(true);
    }
  }
}
