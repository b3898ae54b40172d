package io.tracklane.loadtest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.TokenMinter;
import io.tracklane.gateway.Gateway;
import io.tracklane.gateway.Main;
import io.tracklane.gateway.access.StaticTaskAccess;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.store.TableBootstrap;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * A gateway running in this JVM the way {@link Main} runs it (its own Vert.x with Micrometer
 * metrics, one verticle), with freshly generated signing keys, loopback listeners on free ports and
 * the simulated riders' task assignments.
 */
public final class GatewayUnderTest implements AutoCloseable {
  public static final String ISSUER = "tracklane";
  public static final String AUDIENCE = "tracklane";
  private static final long TIMEOUT_S = 60;

  private final DevSigningKeys keys = DevSigningKeys.generate();
  private final Path jwks;
  private final TokenMinter minter;
  public final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public final Vertx vertx = Main.newVertx(registry);
  private GatewayConfig config;
  private Gateway gateway;

  /** Keys and Vert.x ready; the gateway itself starts with {@link #start}. */
  public GatewayUnderTest() throws Exception {
    try {
      jwks = keys.writeJwks(Files.createTempFile("tracklane-bench-jwks-", ".json"));
      minter = keys.minter(ISSUER, AUDIENCE);
    } catch (Exception | Error e) {
      vertx.close();
      throw e;
    }
  }

  /** Creates {@code table} (and its rider index) if missing. */
  public void ensureTable(DynamoDbAsyncClient ddb, String table) throws Exception {
    TableBootstrap.ensureTable(vertx, ddb, table).await(TIMEOUT_S, TimeUnit.SECONDS);
  }

  /**
   * The settings the gateway runs with: loopback, free ports, this table and endpoint, these keys.
   */
  public Map<String, String> settings(
      String dynamoEndpoint, String table, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put(GatewaySettings.MQTT_HOST.env(), "127.0.0.1");
    env.put(GatewaySettings.MQTT_PORT.env(), "0");
    env.put(GatewaySettings.HTTP_HOST.env(), "127.0.0.1");
    env.put(GatewaySettings.HTTP_PORT.env(), "0");
    env.put(GatewaySettings.ADMIN_HOST.env(), "127.0.0.1");
    env.put(GatewaySettings.ADMIN_PORT.env(), "0");
    env.put(GatewaySettings.FIXES_TABLE.env(), table);
    env.put(GatewaySettings.DYNAMODB_ENDPOINT.env(), dynamoEndpoint);
    env.put(GatewaySettings.JWKS_FILE.env(), jwks.toString());
    env.put(GatewaySettings.JWT_ISSUER.env(), ISSUER);
    env.put(GatewaySettings.JWT_AUDIENCE.env(), AUDIENCE);
    env.putAll(overrides);
    return env;
  }

  /** Starts the gateway; task-i is assigned to rider-i for riders 1..{@code riders}. */
  public Gateway start(Map<String, String> settings, int riders) throws Exception {
    if (gateway != null) throw new IllegalStateException("already started");
    MqttFleet.requireLoopback(settings.get(GatewaySettings.MQTT_HOST.env()));
    config = GatewayConfig.from(settings);
    gateway =
        Gateway.start(vertx, config, new StaticTaskAccess(MqttFleet.assignments(riders)), registry)
            .await(TIMEOUT_S, TimeUnit.SECONDS);
    return gateway;
  }

  /**
   * Starts the gateway on the back office's Postgres named in the settings ({@code
   * TRACKLANE_PG_URL}), as {@link Main} does: task access, user status, task offers.
   */
  public Gateway startOnPostgres(Map<String, String> settings) throws Exception {
    if (gateway != null) throw new IllegalStateException("already started");
    MqttFleet.requireLoopback(settings.get(GatewaySettings.MQTT_HOST.env()));
    config = GatewayConfig.from(settings);
    gateway =
        Gateway.start(vertx, config, Main.backend(vertx, config), registry)
            .await(TIMEOUT_S, TimeUnit.SECONDS);
    return gateway;
  }

  public GatewayConfig config() {
    return config;
  }

  public int mqttPort() {
    return gateway.mqttPort();
  }

  /** A rider token valid for an hour. */
  public String token(String riderId) {
    return minter.mint(riderId, "rider", Duration.ofHours(1));
  }

  /** Cumulative counters from the gateway's registry, to be diffed across a window. */
  public record Meters(
      long batches,
      double batchItems,
      double writeSeconds,
      double fixesWritten,
      double retries,
      double rejected) {
    public Meters minus(Meters o) {
      return new Meters(
          batches - o.batches,
          batchItems - o.batchItems,
          writeSeconds - o.writeSeconds,
          fixesWritten - o.fixesWritten,
          retries - o.retries,
          rejected - o.rejected);
    }

    public double avgBatchSize() {
      return batches == 0 ? 0 : batchItems / batches;
    }

    public double avgWriteMs() {
      return batches == 0 ? 0 : writeSeconds * 1000 / batches;
    }
  }

  public Meters meters() {
    DistributionSummary size = registry.find("tracklane.batch.size").summary();
    Timer write = registry.find("tracklane.batch.write.latency").timer();
    return new Meters(
        size == null ? 0 : size.count(),
        size == null ? 0 : size.totalAmount(),
        write == null ? 0 : write.totalTime(TimeUnit.SECONDS),
        counterSum("tracklane.fixes.written"),
        counterSum("tracklane.writer.retries"),
        counterSum("tracklane.payloads.rejected"));
  }

  private double counterSum(String name) {
    double sum = 0;
    for (Counter c : registry.find(name).counters()) sum += c.count();
    return sum;
  }

  /** Graceful stop (queued fixes are written first), then the keys file is removed. */
  @Override
  public void close() throws Exception {
    try {
      vertx.close().await(TIMEOUT_S, TimeUnit.SECONDS);
    } finally {
      Files.deleteIfExists(jwks);
    }
  }
}
