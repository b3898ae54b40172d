package io.tracklane.gateway;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.gateway.access.PgDeviceKeys;
import io.tracklane.gateway.access.PgRiderTasks;
import io.tracklane.gateway.access.PgTaskAccess;
import io.tracklane.gateway.access.PgUserStatus;
import io.tracklane.gateway.access.StaticTaskAccess;
import io.tracklane.gateway.access.TaskAccess;
import io.tracklane.gateway.access.UserStatus;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.config.PgClientOptions;
import io.tracklane.gateway.live.LiveCluster;
import io.tracklane.gateway.live.PgRouteSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the gateway from environment variables (see the README's configuration table). */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    GatewayConfig config = GatewayConfig.fromEnv();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // heap, GC, threads and CPU on /metrics: what capacity planning and the load-test report read
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    Vertx vertx;
    try {
      vertx = newVertx(registry, config).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error(
          "could not start Vert.x{}: {}",
          config.get(GatewaySettings.CLUSTER) ? " (joining the cluster)" : "",
          e.toString());
      System.exit(1);
      return;
    }
    Gateway gateway;
    try {
      gateway =
          Gateway.start(vertx, config, backend(vertx, config), registry)
              .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("gateway failed to start: {}", e.toString());
      vertx.close();
      System.exit(1);
      return;
    }
    System.out.println(
        "TRACKLANE_GATEWAY_READY mqtt="
            + gateway.mqttPort()
            + " http="
            + gateway.httpPort()
            + " admin="
            + gateway.adminPort());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    vertx
                        .close()
                        .await(
                            config.get(GatewaySettings.SHUTDOWN_GRACE_MS).toMillis() + 5000,
                            TimeUnit.MILLISECONDS);
                  } catch (Exception e) {
                    log.warn("shutdown incomplete: {}", e.toString());
                  }
                },
                "gateway-shutdown"));
  }

  /**
   * Postgres-backed when TRACKLANE_PG_URL is set (task access, routes for live progress, users'
   * active flags, task and user status notifications), else the development assignments (live
   * fixes, no progress).
   */
  public static Gateway.Backend backend(Vertx vertx, GatewayConfig config) {
    String url = config.get(GatewaySettings.PG_URL);
    if (url.isEmpty()) {
      log.warn(
          "{} not set: task access from {} (development only); live stream without progress",
          GatewaySettings.PG_URL.env(),
          GatewaySettings.DEV_TASKS.env());
      String spec = config.get(GatewaySettings.DEV_TASKS);
      String file = config.get(GatewaySettings.DEV_TASKS_FILE);
      if (!file.isEmpty()) {
        try {
          spec = spec + "," + Files.readString(Path.of(file)).replace('\n', ',');
        } catch (IOException e) {
          throw new IllegalArgumentException(
              GatewaySettings.DEV_TASKS_FILE.env() + ": cannot read " + file + ": " + e, e);
        }
      }
      return Gateway.Backend.of(StaticTaskAccess.parse(spec));
    }
    PgConnectOptions connect = PgClientOptions.of(config);
    connect.setCachePreparedStatements(true);
    Pool pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(4))
            .connectingTo(connect)
            .using(vertx)
            .build();
    TaskAccess access = new PgTaskAccess(pool, config.get(GatewaySettings.TASK_ACCESS_CACHE_MS));
    UserStatus users = new PgUserStatus(pool, config.get(GatewaySettings.USER_STATUS_CACHE_MS));
    return new Gateway.Backend(
        access,
        new PgRouteSource(pool),
        users,
        new PgConnectOptions(connect),
        new PgDeviceKeys(pool, config.get(GatewaySettings.DEVICE_KEY_CACHE_MS)),
        new PgRiderTasks(pool, config.get(GatewaySettings.TASK_ACCESS_CACHE_MS)));
  }

  /**
   * A Vert.x instance reporting its metrics into {@code registry}; with {@code TRACKLANE_CLUSTER} a
   * clustered one (Hazelcast) whose event bus spans every gateway instance.
   */
  public static Future<Vertx> newVertx(PrometheusMeterRegistry registry, GatewayConfig config) {
    if (!config.get(GatewaySettings.CLUSTER)) return Future.succeededFuture(newVertx(registry));
    log.info(
        "joining cluster '{}' (members {})",
        config.get(GatewaySettings.CLUSTER_NAME),
        config.get(GatewaySettings.CLUSTER_MEMBERS));
    return Vertx.builder()
        .with(LiveCluster.eventBusOptions(metricsOptions(), config))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(LiveCluster.clusterManager(config))
        .buildClustered();
  }

  /** A Vert.x instance reporting its own metrics (HTTP, net, pools) into {@code registry}. */
  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(metricsOptions())
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  private static VertxOptions metricsOptions() {
    return new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
  }
}
