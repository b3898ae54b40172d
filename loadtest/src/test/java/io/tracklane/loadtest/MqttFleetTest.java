package io.tracklane.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.devkit.Dynalite;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

class MqttFleetTest {

  /** What the fleet counts as acknowledged is exactly what the gateway stored. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void ackedFixesAreExactlyTheStoredOnes() throws Exception {
    Dynalite dynalite = Dynalite.shared();
    String table = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
    int riders = 5;
    try (DynamoDbAsyncClient ddb = Dynamo.client(dynalite.endpoint(), 16);
        GatewayUnderTest gut = new GatewayUnderTest()) {
      gut.ensureTable(ddb, table);
      gut.start(gut.settings(dynalite.endpoint(), table, Map.of()), riders);
      MqttFleet.Result r;
      try (MqttFleet fleet =
          MqttFleet.connect(
              MqttFleet.Settings.closedLoop(
                  gut.mqttPort(), riders, 4, Duration.ofMillis(500), Duration.ofMillis(2500)),
              gut::token)) {
        r = fleet.run();
      }

      assertEquals(0, r.errors(), r.errorDetail());
      assertTrue(r.acked() > 0, "no fix acknowledged in the window: " + r);
      assertTrue(r.ackedTotal() >= r.acked(), r.toString());
      assertEquals(r.published(), r.ackedTotal(), "every published message is acknowledged: " + r);
      assertTrue(
          r.fixesPerSecond() > 0
              && r.p50Ms() > 0
              && r.p99Ms() >= r.p50Ms()
              && r.maxMs() >= r.p99Ms(),
          r.toString());
      assertEquals(
          r.ackedTotal(),
          Dynamo.count(ddb, table, Duration.ofSeconds(30)),
          "stored items = acknowledged fixes");
    }
  }

  /** Paced riders publish at their cadence, not as fast as they can. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void pacedRidersPublishAtTheirCadence() throws Exception {
    Dynalite dynalite = Dynalite.shared();
    String table = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
    int riders = 5;
    long periodMs = 100;
    try (DynamoDbAsyncClient ddb = Dynamo.client(dynalite.endpoint(), 16);
        GatewayUnderTest gut = new GatewayUnderTest()) {
      gut.ensureTable(ddb, table);
      gut.start(gut.settings(dynalite.endpoint(), table, Map.of()), riders);
      MqttFleet.Result r;
      try (MqttFleet fleet =
          MqttFleet.connect(
              MqttFleet.Settings.paced(
                  gut.mqttPort(),
                  riders,
                  periodMs,
                  4,
                  Duration.ofMillis(300),
                  Duration.ofMillis(2000)),
              gut::token)) {
        r = fleet.run();
      }

      assertEquals(0, r.errors(), r.errorDetail());
      double expectedRate = riders * 1000.0 / periodMs; // 50 fixes/s
      assertTrue(
          r.fixesPerSecond() > expectedRate * 0.6 && r.fixesPerSecond() < expectedRate * 1.4,
          "paced rate " + r.fixesPerSecond() + " vs " + expectedRate + ": " + r);
      assertEquals(r.ackedTotal(), Dynamo.count(ddb, table, Duration.ofSeconds(30)));
    }
  }

  @Test
  void payloadIsTheDocumentedSingleFixShape() {
    assertEquals(
        "{\"ts\":1764200000000,\"lat\":31.2304,\"lon\":121.4737,\"acc\":5.0,\"spd\":3.1,\"hdg\":90,\"bat\":0.8}",
        MqttFleet.payload(1764200000000L, 31.2304, 121.4737));
  }
}
