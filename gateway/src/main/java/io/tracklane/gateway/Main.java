package io.tracklane.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.gateway.access.PgTaskAccess;
import io.tracklane.gateway.access.StaticTaskAccess;
import io.tracklane.gateway.access.TaskAccess;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
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
    Vertx vertx = newVertx(registry);
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, config, taskAccess(vertx, config), registry).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("gateway failed to start: {}", e.toString());
      vertx.close();
      System.exit(1);
      return;
    }
    System.out.println("TRACKLANE_GATEWAY_READY mqtt=" + gateway.mqttPort() + " http=" + gateway.httpPort());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(config.longValue(Setting.SHUTDOWN_GRACE_MS) + 5000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("shutdown incomplete: {}", e.toString());
      }
    }, "gateway-shutdown"));
  }

  /** Postgres-backed when TRACKLANE_PG_URL is set, else the development assignments. */
  static TaskAccess taskAccess(Vertx vertx, GatewayConfig config) {
    String url = config.string(Setting.PG_URL);
    if (url.isEmpty()) {
      log.warn("{} not set: task access from {} (development only)", Setting.PG_URL.env(), Setting.DEV_TASKS.env());
      return StaticTaskAccess.parse(config.string(Setting.DEV_TASKS));
    }
    PgConnectOptions connect = PgConnectOptions.fromUri(url);
    if (!config.string(Setting.PG_PASSWORD).isEmpty()) connect.setPassword(config.string(Setting.PG_PASSWORD));
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(connect).using(vertx).build();
    return new PgTaskAccess(pool, Duration.ofMillis(config.longValue(Setting.TASK_ACCESS_CACHE_MS)));
  }

  /** A Vert.x instance reporting its own metrics (HTTP, net, pools) into {@code registry}. */
  public static Vertx newVertx(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }
}
