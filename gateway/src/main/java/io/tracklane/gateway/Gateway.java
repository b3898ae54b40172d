package io.tracklane.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.gateway.access.TaskAccess;
import io.tracklane.gateway.auth.JwksSource;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.Setting;
import io.tracklane.gateway.http.HttpIngestServer;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.tracklane.gateway.mqtt.MqttIngestServer;
import io.tracklane.gateway.store.DynamoClients;
import io.tracklane.gateway.store.FixBatchWriter;
import io.tracklane.gateway.store.TableBootstrap;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The gateway: MQTT and HTTP listeners, the batch writer and the DynamoDB client, all on one
 * event loop (one verticle). Undeploying it (or closing Vert.x) shuts down gracefully: refuse
 * new fixes, write and acknowledge what was accepted, then close.
 */
public final class Gateway extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final TaskAccess access;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private GatewayMetrics metrics;
  private DynamoDbAsyncClient ddb;
  private FixBatchWriter writer;
  private FixIngest ingest;
  private MqttIngestServer mqtt;
  private HttpIngestServer http;
  private volatile int mqttPort;
  private volatile int httpPort;
  private String deploymentId;
  private long readyCheckedAt;
  private Future<Boolean> lastReady = Future.succeededFuture(false);

  public Gateway(GatewayConfig config, TaskAccess access, PrometheusMeterRegistry registry, Clock clock) {
    this.config = config;
    this.access = access;
    this.registry = registry;
    this.clock = clock;
  }

  /** Deploys a gateway on {@code vertx}; the future completes when both listeners are bound. */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, TaskAccess access,
      PrometheusMeterRegistry registry) {
    Gateway gateway = new Gateway(config, access, registry, Clock.systemUTC());
    return vertx.deployVerticle(gateway, new DeploymentOptions()).map(id -> {
      gateway.deploymentId = id;
      return gateway;
    });
  }

  /** Graceful stop (same as closing the Vert.x instance). */
  public Future<Void> shutdown() {
    return vertx.undeploy(deploymentId);
  }

  public int mqttPort() { return mqttPort; }

  public int httpPort() { return httpPort; }

  public FixBatchWriter writer() { return writer; }

  public GatewayMetrics metrics() { return metrics; }

  @Override
  public Future<?> start() {
    metrics = new GatewayMetrics(registry);
    ddb = DynamoClients.create(config);
    String table = config.string(Setting.FIXES_TABLE);
    writer = new FixBatchWriter(vertx, context, ddb, new FixBatchWriter.Settings(table,
        config.longValue(Setting.BATCH_LINGER_MS), config.integer(Setting.WRITES_IN_FLIGHT),
        config.longValue(Setting.RETRY_BASE_MS), config.longValue(Setting.RETRY_MAX_MS),
        config.longValue(Setting.FIX_RETENTION_DAYS) * 86_400L), metrics);
    ingest = new FixIngest(new FixPayloadParser(config.fixLimits()), access, writer, metrics, clock);
    Future<Void> table0 = config.bool(Setting.TABLE_BOOTSTRAP)
        ? TableBootstrap.ensureTable(vertx, ddb, table) : Future.succeededFuture();
    return table0
        .compose(v -> JwksSource.verifier(vertx, config))
        .compose(verifier -> {
          int maxBytes = config.integer(Setting.MAX_MESSAGE_BYTES);
          mqtt = new MqttIngestServer(vertx, verifier, ingest, metrics, maxBytes,
              config.integer(Setting.QUEUE_HARD_LIMIT));
          http = new HttpIngestServer(vertx, verifier, ingest, registry, this::storeReady, maxBytes,
              config.integer(Setting.QUEUE_SOFT_LIMIT), config.integer(Setting.RETRY_AFTER_SECONDS));
          return mqtt.listen(config.string(Setting.MQTT_HOST), config.integer(Setting.MQTT_PORT))
              .compose(p -> {
                mqttPort = p;
                return http.listen(config.string(Setting.HTTP_HOST), config.integer(Setting.HTTP_PORT));
              })
              .map(p -> httpPort = p);
        })
        .onSuccess(v -> log.info("gateway up: MQTT {} HTTP {} table {}", mqttPort, httpPort, table))
        .onFailure(err -> ddb.close());
  }

  @Override
  public Future<?> stop() {
    ingest.stopAccepting();
    long grace = config.longValue(Setting.SHUTDOWN_GRACE_MS);
    log.info("gateway stopping: writing {} queued fixes (grace {} ms)", writer.outstanding(), grace);
    return writer.drain(grace)
        .onFailure(err -> log.warn("shutdown: {}; unacknowledged fixes will be resent by clients", err.getMessage()))
        .transform(ar -> Future.join(mqtt.close(), http.close()))
        .transform(ar -> vertx.executeBlocking(() -> {
          ddb.close();
          return null;
        }));
  }

  /** Whether the fixes table answers DescribeTable as ACTIVE; cached for a second. */
  private Future<Boolean> storeReady() {
    long now = System.currentTimeMillis();
    if (now - readyCheckedAt < 1000 && lastReady.isComplete()) return lastReady;
    readyCheckedAt = now;
    lastReady = Future.fromCompletionStage(
            ddb.describeTable(b -> b.tableName(config.string(Setting.FIXES_TABLE))), context)
        .map(r -> r.table().tableStatus() == TableStatus.ACTIVE)
        .otherwise(false);
    return lastReady;
  }
}
