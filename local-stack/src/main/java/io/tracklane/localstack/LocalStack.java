package io.tracklane.localstack;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.backoffice.auth.AuthSettings;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.LocalSchedule;
import io.tracklane.backoffice.common.Migrations;
import io.tracklane.backoffice.localapi.LocalBackoffice;
import io.tracklane.backoffice.receipts.LocalReceiptSweep;
import io.tracklane.backoffice.receipts.ReceiptSettings;
import io.tracklane.backoffice.reports.LocalReportSchedule;
import io.tracklane.backoffice.reports.ReportSettings;
import io.tracklane.backoffice.tasks.TaskSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.Dynalite;
import io.tracklane.devkit.LocalPostgres;
import io.tracklane.gateway.Gateway;
import io.tracklane.gateway.Main;
import io.tracklane.gateway.access.PgTaskAccess;
import io.tracklane.gateway.access.PgUserStatus;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.config.PgClientOptions;
import io.tracklane.gateway.live.PgRouteSource;
import io.tracklane.gateway.web.WebRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The whole stack on one machine with embedded defaults: embedded Postgres (migrated and seeded),
 * dynalite (installed from npm on first run), development signing keys, local-api hosting every
 * back-office handler behind the real authorizer, and the gateway checking task access in Postgres.
 * State lives in {@code .tracklane/}; demo passwords are generated on first run.
 */
public final class LocalStack implements AutoCloseable {
  public final LocalPostgres postgres;
  public final Dynalite dynalite;
  public final BackofficeContext backoffice;
  public final LocalBackoffice api;
  public final int apiPort;

  /** Serves local-api's HTTP (the Lambdas themselves start no Vert.x). */
  public final Vertx apiVertx;

  private final List<LocalSchedule> schedules;

  public final Vertx gatewayVertx;
  public final Gateway gateway;
  public final DevSigningKeys keys;
  public final DemoSeed.Seeded seeded;
  public final LocalS3 s3;

  private LocalStack(
      LocalPostgres postgres,
      Dynalite dynalite,
      BackofficeContext backoffice,
      LocalBackoffice api,
      int apiPort,
      Vertx apiVertx,
      List<LocalSchedule> schedules,
      Vertx gatewayVertx,
      Gateway gateway,
      DevSigningKeys keys,
      DemoSeed.Seeded seeded,
      LocalS3 s3) {
    this.postgres = postgres;
    this.dynalite = dynalite;
    this.backoffice = backoffice;
    this.api = api;
    this.apiPort = apiPort;
    this.apiVertx = apiVertx;
    this.schedules = schedules;
    this.gatewayVertx = gatewayVertx;
    this.gateway = gateway;
    this.keys = keys;
    this.seeded = seeded;
    this.s3 = s3;
  }

  /**
   * Ports: preferred values from the environment, else free ones. {@code home} null = throwaway.
   */
  public static LocalStack start(Path home, Map<String, String> env) throws Exception {
    Settings local = Settings.read(LocalStackSettings.ALL, env);
    boolean persistent = home != null;
    Path dir = persistent ? home : Files.createTempDirectory("tracklane-stack");
    LocalPostgres postgres =
        LocalPostgres.start(
            persistent ? dir.resolve("postgres") : null,
            persistent ? preferredPort(local.get(LocalStackSettings.POSTGRES_PORT)) : 0);
    String pgUrl = postgres.url("postgres");
    Dynalite dynalite =
        Dynalite.start(
            persistent ? preferredPort(local.get(LocalStackSettings.DYNALITE_PORT)) : 0,
            dir.resolve("dynamodb"));
    DevSigningKeys keys = DevSigningKeys.loadOrCreate(dir.resolve("keys"));
    Path jwks = keys.writeJwks(dir.resolve("keys").resolve("jwks.json"));

    String table =
        env.getOrDefault(
            GatewaySettings.FIXES_TABLE.env(), GatewaySettings.FIXES_TABLE.defaultValue());
    String receiptsBucket =
        env.getOrDefault(ReceiptSettings.BUCKET.env(), ReceiptSettings.DEFAULT_BUCKET);
    String reportsBucket = env.getOrDefault(ReportSettings.BUCKET.env(), "tracklane-reports");
    LocalS3 s3 =
        LocalS3.start(
            persistent ? dir.resolve("s3") : null,
            persistent ? preferredPort(local.get(LocalStackSettings.S3_PORT)) : 0,
            List.of(receiptsBucket, reportsBucket));
    Map<String, String> bo =
        new HashMap<>(
            Map.of(
                BackofficeSettings.PG_URL.env(),
                pgUrl,
                BackofficeSettings.SIGNING_KEY.env(),
                keys.privateJwk().encode(),
                BackofficeSettings.DYNAMODB_ENDPOINT.env(),
                dynalite.endpoint(),
                BackofficeSettings.FIXES_TABLE.env(),
                table,
                ReceiptSettings.BUCKET.env(),
                receiptsBucket,
                BackofficeSettings.S3_ENDPOINT.env(),
                s3.endpoint(),
                BackofficeSettings.S3_ACCESS_KEY.env(),
                LocalS3.ACCESS_KEY,
                BackofficeSettings.S3_SECRET_KEY.env(),
                LocalS3.SECRET_KEY,
                ReportSettings.BUCKET.env(),
                reportsBucket));
    // The demo fleet replays rides faster than real time: to completion's time checks that is a
    // backdated ride uploaded in a burst, so locally they are off unless asked for.
    bo.put(
        TaskSettings.COMPLETION_TIME_CHECKS.env(),
        env.getOrDefault(TaskSettings.COMPLETION_TIME_CHECKS.env(), "false"));
    // The gateway's ports are chosen here so that a new phone-app device's setup (OwnTracks,
    // Traccar Client) names them. A real phone on the network needs the machine's LAN address:
    // TRACKLANE_DEVICE_MQTT_HOST / TRACKLANE_DEVICE_HTTP_ORIGIN (and the gateway on 0.0.0.0).
    String mqttPort =
        env.getOrDefault(
            GatewaySettings.MQTT_PORT.env(),
            Integer.toString(persistent ? preferredPort(1883) : 0));
    String httpPort =
        env.getOrDefault(
            GatewaySettings.HTTP_PORT.env(),
            Integer.toString(persistent ? preferredPort(8080) : 0));
    for (Setting<?> device :
        List.of(
            AuthSettings.DEVICE_MQTT_HOST,
            AuthSettings.DEVICE_MQTT_PORT,
            AuthSettings.DEVICE_MQTT_TLS,
            AuthSettings.DEVICE_HTTP_ORIGIN,
            AuthSettings.OWNTRACKS_MODE,
            AuthSettings.MAX_DEVICES_PER_RIDER)) {
      if (env.containsKey(device.env())) bo.put(device.env(), env.get(device.env()));
    }
    if (!"0".equals(mqttPort)) bo.putIfAbsent(AuthSettings.DEVICE_MQTT_PORT.env(), mqttPort);
    if (!"0".equals(httpPort))
      bo.putIfAbsent(AuthSettings.DEVICE_HTTP_ORIGIN.env(), "http://localhost:" + httpPort);
    BackofficeConfig boConfig = BackofficeConfig.of(bo);
    BackofficeContext backoffice = BackofficeContext.create(boConfig);
    Migrations.apply(backoffice.db());
    DemoSeed.Seeded seeded =
        DemoSeed.seed(backoffice, demoPasswords(dir.resolve("demo-credentials.json")));
    // S3 → Lambda: an upload to the receipts bucket invokes the OCR function in process. The
    // function (and its OCR engine) is built on the first upload, like a Lambda's cold start.
    OcrFunction ocr = new OcrFunction(backoffice, env);
    s3.onObjectCreated(receiptsBucket, ocr);

    Map<String, String> gw = new HashMap<>(env);
    gw.putIfAbsent(GatewaySettings.DYNAMODB_ENDPOINT.env(), dynalite.endpoint());
    gw.putIfAbsent(GatewaySettings.TABLE_BOOTSTRAP.env(), "true");
    gw.putIfAbsent(GatewaySettings.JWKS_FILE.env(), jwks.toString());
    gw.putIfAbsent(GatewaySettings.MQTT_HOST.env(), "127.0.0.1");
    gw.putIfAbsent(GatewaySettings.HTTP_HOST.env(), "127.0.0.1");
    gw.putIfAbsent(GatewaySettings.MQTT_PORT.env(), mqttPort);
    gw.putIfAbsent(GatewaySettings.HTTP_PORT.env(), httpPort);
    gw.putIfAbsent(GatewaySettings.ADMIN_HOST.env(), "127.0.0.1");
    gw.putIfAbsent(
        GatewaySettings.ADMIN_PORT.env(), Integer.toString(persistent ? preferredPort(9090) : 0));
    Vertx apiVertx = Vertx.vertx();
    LocalBackoffice api = LocalBackoffice.create(apiVertx, backoffice);
    int apiPort =
        api.listen(
                "127.0.0.1", persistent ? preferredPort(local.get(LocalStackSettings.API_PORT)) : 0)
            .await(30, TimeUnit.SECONDS);
    // EventBridge's report schedule, locally: a minute after start, then hourly, the last complete
    // week and month get their reports if they have none (stopped by close())
    LocalSchedule reportSchedule =
        LocalReportSchedule.start(backoffice, Duration.ofMinutes(1), Duration.ofHours(1));
    // EventBridge's receipt sweep, locally: every 5 minutes a receipt whose OCR run passed its
    // deadline is read again (the same engine as the OCR function, loaded only when needed)
    LocalSchedule receiptSweep =
        LocalReceiptSweep.start(
            backoffice, null, ocr::reader, Duration.ofMinutes(1), Duration.ofMinutes(5));
    gw.putIfAbsent(GatewaySettings.BACKOFFICE_API_URL.env(), "http://127.0.0.1:" + apiPort);
    // the rider app uploads receipts straight to the local S3 with the presigned form
    gw.putIfAbsent(GatewaySettings.WEB_UPLOAD_ORIGINS.env(), s3.endpoint());
    // the pages: the web jar when it is on the classpath (the web module's tests), else the
    // working tree's sources, so an edited page shows on reload
    if (!WebRoutes.onClasspath()) {
      Path sources = webSources();
      if (sources != null) gw.putIfAbsent(GatewaySettings.WEB_ROOT.env(), sources.toString());
    }
    GatewayConfig config = GatewayConfig.from(gw);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx gatewayVertx = Main.newVertx(registry);
    var pool =
        PgBuilder.pool()
            .connectingTo(PgClientOptions.of(pgUrl, "", ""))
            .using(gatewayVertx)
            .build();
    Gateway gateway =
        Gateway.start(
                gatewayVertx,
                config,
                new Gateway.Backend(
                    new PgTaskAccess(
                        pool,
                        Duration.ofSeconds(
                            2)) /* short: the demo releases and completes tasks by hand */,
                    new PgRouteSource(pool),
                    new PgUserStatus(pool, Duration.ofSeconds(60)),
                    PgClientOptions.of(pgUrl, "", "")),
                registry)
            .await(60, TimeUnit.SECONDS);

    return new LocalStack(
        postgres,
        dynalite,
        backoffice,
        api,
        apiPort,
        apiVertx,
        List.of(reportSchedule, receiptSweep),
        gatewayVertx,
        gateway,
        keys,
        seeded,
        s3);
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  public static void main(String[] args) throws Exception {
    Settings local = Settings.read(LocalStackSettings.ALL, System.getenv());
    Path home = Path.of(local.get(LocalStackSettings.LOCAL_DIR)).toAbsolutePath();
    Files.createDirectories(home);
    LocalStack stack = start(home, System.getenv());
    System.out.println(stack.api.routesTable());
    System.out.println(stack.banner());
    // the demo fleet rides by default, so the dashboard shows movement and an alert within a minute
    FleetSimulator simulator =
        local.get(LocalStackSettings.SIMULATE)
            ? FleetSimulator.start(
                stack,
                FleetSimulator.Options.defaults()
                    .withSpeedup(local.get(LocalStackSettings.SIMULATE_SPEEDUP)))
            : null;
    if (simulator != null) {
      simulator.done().thenAccept(riders -> System.out.println("[simulator] finished: " + riders));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (simulator != null) simulator.close();
                  stack.close();
                  stopped.countDown();
                },
                "local-stack-shutdown"));
    stopped.await();
  }

  String banner() {
    // the simulator's riders claim the newest open tasks; the oldest stays for the try-it rider
    String rider = DemoSeed.TRY_IT_RIDER;
    String task = seeded.openTaskIds().isEmpty() ? "<taskId>" : seeded.openTaskIds().get(0);
    String fix =
        "{\"ts\":'$(date +%s000)',\"lat\":31.2304,\"lon\":121.4737,\"acc\":5.0,\"spd\":3.1}";
    StringBuilder users = new StringBuilder();
    seeded.passwords().forEach((u, p) -> users.append(String.format("    %-8s %s%n", u, p)));
    return String.join(
        "\n",
        "",
        "Tracklane local stack is up (state in .tracklane/)",
        "  Back-office API:  "
            + apiUrl()
            + "   (merged OpenAPI, real authorizer; routes listed above)",
        "  MQTT:             tcp://127.0.0.1:" + gateway.mqttPort(),
        "  Gateway HTTP:     http://127.0.0.1:" + gateway.httpPort() + "   (ingest, live stream)",
        "  Gateway admin:    http://127.0.0.1:"
            + gateway.adminPort()
            + "   (/health/ready, /metrics)",
        "  Dashboard:        http://127.0.0.1:"
            + gateway.httpPort()
            + "/dashboard/   (sign in as manager; "
            + "the demo fleet rides unless TRACKLANE_SIMULATE=false)",
        "  Postgres:         " + postgres.url("postgres"),
        "  DynamoDB:         " + dynalite.endpoint(),
        "  S3 (receipts):    "
            + s3.endpoint()
            + "   (path-style; keys "
            + LocalS3.ACCESS_KEY
            + " / "
            + LocalS3.SECRET_KEY
            + "; uploads run the OCR function)",
        "",
        "Demo users (passwords generated for this machine, kept in .tracklane/demo-credentials.json):",
        users.toString(),
        "Open demo tasks: " + String.join(", ", seeded.openTaskIds()),
        "",
        "Try it — log in as " + rider + ", claim and start a task, then stream a fix:",
        "  API=" + apiUrl(),
        "  TOKEN=$(curl -s $API/auth/login -H 'Content-Type: application/json' \\",
        "    -d '{\"username\":\""
            + rider
            + "\",\"password\":\""
            + seeded.passwords().get(rider)
            + "\"}' | sed 's/.*\"accessToken\":\"\\([^\"]*\\)\".*/\\1/')",
        "  curl -s -X POST $API/tasks/" + task + "/claim -H \"Authorization: Bearer $TOKEN\"",
        "  curl -s -X POST $API/tasks/" + task + "/start -H \"Authorization: Bearer $TOKEN\"",
        "  mosquitto_pub -h 127.0.0.1 -p "
            + gateway.mqttPort()
            + " -q 1 -u "
            + rider
            + " -P \"$TOKEN\" \\",
        "    -t tracklane/v1/tasks/" + task + "/fixes -m '" + fix + "'",
        "  curl -s -X POST http://127.0.0.1:"
            + gateway.httpPort()
            + "/v1/tasks/"
            + task
            + "/fixes \\",
        "    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '["
            + fix
            + "]'",
        "  curl -s \"$API/tasks/" + task + "/track\" -H \"Authorization: Bearer $TOKEN\"",
        "",
        "Ctrl-C stops everything.",
        "");
  }

  @Override
  public void close() {
    try {
      gatewayVertx.close().await(15, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting anyway
    }
    try {
      api.close().await(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting anyway
    }
    try {
      apiVertx.close().await(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting anyway
    }
    schedules.forEach(LocalSchedule::close);
    s3.close(); // before the database: a pending OCR run may still write
    backoffice.close();
    dynalite.stop();
    postgres.close();
  }

  /** Demo passwords: random per machine on first run, then read back. */
  static UnaryOperator<String> demoPasswords(Path file) throws Exception {
    JsonObject saved =
        Files.exists(file) ? new JsonObject(Files.readString(file)) : new JsonObject();
    SecureRandom random = new SecureRandom();
    return username -> {
      if (!saved.containsKey(username)) {
        byte[] b = new byte[9];
        random.nextBytes(b);
        saved.put(username, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        try {
          Files.writeString(file, saved.encodePrettily());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      return saved.getString(username);
    };
  }

  static int preferredPort(int port) throws Exception {
    try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException busy) {
      try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }
  }

  /** The web module's webroot in the working tree (from the repository root or a module). */
  static Path webSources() {
    for (String candidate :
        new String[] {"web/src/main/resources/webroot", "../web/src/main/resources/webroot"}) {
      Path p = Path.of(candidate).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) return p;
    }
    return null;
  }
}
