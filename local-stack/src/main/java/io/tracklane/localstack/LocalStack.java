package io.tracklane.localstack;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.Dynalite;
import io.tracklane.gateway.Gateway;
import io.tracklane.gateway.Main;
import io.tracklane.gateway.access.StaticTaskAccess;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.Setting;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The whole stack on one machine with embedded defaults: dynalite (installed from npm on first
 * run, data kept in .tracklane/dynamodb), development signing keys, the fixes table, and the
 * gateway. Prints ready-to-paste mosquitto_pub and curl commands with a development token.
 */
public final class LocalStack {
  private LocalStack() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getenv().getOrDefault("TRACKLANE_LOCAL_DIR", ".tracklane")).toAbsolutePath();
    Files.createDirectories(home);
    int dynamoPort = preferredPort(System.getenv().getOrDefault("TRACKLANE_DYNALITE_PORT", "8000"));
    Dynalite dynalite = Dynalite.start(dynamoPort, home.resolve("dynamodb"));
    DevSigningKeys keys = DevSigningKeys.loadOrCreate(home.resolve("keys"));
    Path jwks = keys.writeJwks(home.resolve("keys").resolve("jwks.json"));

    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent(Setting.DYNAMODB_ENDPOINT.env(), dynalite.endpoint());
    env.putIfAbsent(Setting.TABLE_BOOTSTRAP.env(), "true");
    env.putIfAbsent(Setting.JWKS_FILE.env(), jwks.toString());
    env.putIfAbsent(Setting.DEV_TASKS.env(), "demo-task-1=rider-1,demo-task-2=rider-2");
    env.putIfAbsent(Setting.MQTT_HOST.env(), "127.0.0.1");
    env.putIfAbsent(Setting.HTTP_HOST.env(), "127.0.0.1");
    env.putIfAbsent(Setting.MQTT_PORT.env(), Integer.toString(preferredPort("1883")));
    env.putIfAbsent(Setting.HTTP_PORT.env(), Integer.toString(preferredPort("8080")));
    GatewayConfig config = GatewayConfig.from(env);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Main.newVertx(registry);
    StaticTaskAccess access = StaticTaskAccess.parse(config.string(Setting.DEV_TASKS));
    Gateway gateway = Gateway.start(vertx, config, access, registry).await(60, TimeUnit.SECONDS);

    var assignment = access.assignments().entrySet().iterator().next();
    String task = assignment.getKey();
    String rider = assignment.getValue();
    String token = keys.minter(vertx, config.string(Setting.JWT_ISSUER), config.string(Setting.JWT_AUDIENCE))
        .mint(rider, "rider", Duration.ofHours(12));
    System.out.println(banner(dynalite, gateway, config, task, rider, token));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(15, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
      dynalite.stop();
      stopped.countDown();
    }, "local-stack-shutdown"));
    stopped.await();
  }

  static String banner(Dynalite dynalite, Gateway gateway, GatewayConfig config, String task, String rider,
      String token) {
    long ts = System.currentTimeMillis();
    String fix = "{\"ts\":" + ts + ",\"lat\":31.2304,\"lon\":121.4737,\"acc\":5.0,\"spd\":3.1}";
    return String.join("\n",
        "",
        "Tracklane local stack is up",
        "  DynamoDB (dynalite): " + dynalite.endpoint() + "   table " + config.string(Setting.FIXES_TABLE),
        "  MQTT:                tcp://127.0.0.1:" + gateway.mqttPort(),
        "  HTTP:                http://127.0.0.1:" + gateway.httpPort() + "   (/health/ready, /metrics)",
        "  Task assignments:    " + config.string(Setting.DEV_TASKS),
        "",
        "Development token for " + rider + " (12 h):",
        "  export TOKEN=" + token,
        "",
        "Publish a fix over MQTT (QoS 1: acknowledged only once stored):",
        "  mosquitto_pub -h 127.0.0.1 -p " + gateway.mqttPort() + " -q 1 -u " + rider + " -P \"$TOKEN\" \\",
        "    -t tracklane/v1/tasks/" + task + "/fixes -m '" + fix + "'",
        "",
        "Or over HTTP:",
        "  curl -s -X POST http://127.0.0.1:" + gateway.httpPort() + "/v1/tasks/" + task + "/fixes \\",
        "    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '[" + fix + "]'",
        "",
        "(The ts above is now; the gateway refuses fixes more than 5 min ahead or 7 days behind its clock.)",
        "Ctrl-C stops everything; data stays in .tracklane/.",
        "");
  }

  /** The wanted port if it is free on loopback, else any free port (so a second stack still starts). */
  static int preferredPort(String wanted) throws Exception {
    int port = Integer.parseInt(wanted);
    try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException busy) {
      try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }
  }
}
