package io.tracklane.loadtest;

import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.Dynalite;
import io.tracklane.devkit.TokenMinter;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.store.TableBootstrap;
import io.tracklane.loadtest.gatling.GatlingPhase;
import io.tracklane.loadtest.report.LoadReport;
import io.tracklane.loadtest.report.LoadReportWriter;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The load test, one command: on this machine and in this order, dynalite's raw BatchWriteItem
 * capacity; the gateway (its own JVM) holding a fleet of riders that publish a fix every 10 s at
 * QoS 1, with its CPU, memory and every acknowledged fix checked in the table; the peak sustained
 * QoS 1 ingest through the gateway into dynalite; the protocol layer alone (the gateway's
 * discarding sink) against Mosquitto driven by the same fleet driver. Writes the report as
 * Markdown, JSON and an SVG chart. Traffic only goes to 127.0.0.0/8 and every phase is bounded.
 *
 * <p>Options (system properties): {@code loadtest.riders} (19000), {@code loadtest.seconds} (300),
 * {@code loadtest.periodMs} (10000), {@code loadtest.sourceAddresses} (4), {@code
 * loadtest.peakRiders} (200), {@code loadtest.peakWindow} (8), {@code loadtest.peakSeconds} (30),
 * {@code loadtest.rawSeconds} (20), {@code loadtest.gatlingRiders} (100; 0 skips Gatling), {@code
 * loadtest.gatlingSeconds} (60), {@code loadtest.out} (target/loadtest-report); {@code
 * loadtest.smoke=true} makes every default small (200 riders for 30 s, 10 s phases).
 */
public final class LoadTestRun {
  static final String ISSUER = "tracklane";
  static final String AUDIENCE = "tracklane";

  /** What to run. */
  public record Options(
      int riders,
      Duration riderPhase,
      long periodMs,
      int sourceAddresses,
      int peakRiders,
      int peakWindow,
      Duration peakPhase,
      Duration rawPhase,
      Path out,
      boolean smoke,
      int gatlingRiders,
      Duration gatlingPhase) {

    public static Options fromSystemProperties() {
      boolean smoke = Boolean.getBoolean("loadtest.smoke");
      return new Options(
          Integer.getInteger("loadtest.riders", smoke ? 200 : 19_000),
          Duration.ofSeconds(Integer.getInteger("loadtest.seconds", smoke ? 30 : 300)),
          Long.getLong("loadtest.periodMs", 10_000L),
          Integer.getInteger("loadtest.sourceAddresses", 4),
          Integer.getInteger("loadtest.peakRiders", 200),
          Integer.getInteger("loadtest.peakWindow", 8),
          Duration.ofSeconds(Integer.getInteger("loadtest.peakSeconds", smoke ? 10 : 30)),
          Duration.ofSeconds(Integer.getInteger("loadtest.rawSeconds", smoke ? 10 : 20)),
          Path.of(System.getProperty("loadtest.out", "target/loadtest-report")),
          smoke,
          Integer.getInteger("loadtest.gatlingRiders", smoke ? 10 : 100),
          Duration.ofSeconds(Integer.getInteger("loadtest.gatlingSeconds", smoke ? 20 : 60)));
    }
  }

  private LoadTestRun() {}

  public static void main(String[] args) throws Exception {
    if ("cluster".equals(System.getProperty("loadtest.mode"))) {
      ClusterLoadRun.main(args);
      return;
    }
    Options o = Options.fromSystemProperties();
    LoadReport report = run(o, System.out::println);
    List<Path> files = LoadReportWriter.write(report, o.out());
    System.out.println();
    System.out.println(LoadReportWriter.markdown(report));
    System.out.println("report: " + files);
    boolean gatlingOk =
        report.gatling().stream().allMatch(g -> g.exitCode() == 0 && g.problem().isEmpty());
    System.exit(report.lost() == 0 && report.riderPhase().errors() == 0 && gatlingOk ? 0 : 1);
  }

  public static LoadReport run(Options o, Consumer<String> log) throws Exception {
    Files.createDirectories(o.out());
    Instant started = Instant.now();
    Vertx vertx = Vertx.vertx();
    Dynalite dynalite = Dynalite.start();
    try (var ddb = Dynamo.client(dynalite.endpoint(), 16)) {
      DevSigningKeys keys = DevSigningKeys.generate();
      Path jwks = keys.writeJwks(o.out().resolve("jwks.json"));
      TokenMinter minter = keys.minter(ISSUER, AUDIENCE);
      int maxRiders = Math.max(o.riders(), o.peakRiders());
      Path tasks = o.out().resolve("tasks.txt");
      Files.writeString(
          tasks,
          IntStream.rangeClosed(1, maxRiders)
              .mapToObj(i -> MqttFleet.taskId(i) + "=" + MqttFleet.riderId(i))
              .collect(Collectors.joining("\n")));
      Map<String, String> tokens = new ConcurrentHashMap<>();
      Function<String, String> tokenOf =
          rider -> tokens.computeIfAbsent(rider, r -> minter.mint(r, "rider", Duration.ofHours(3)));

      // 1. dynalite's own capacity, on a table of its own
      String rawTable = "loadtest-raw";
      TableBootstrap.ensureTable(vertx, ddb, rawTable).await(60, TimeUnit.SECONDS);
      log.accept("raw dynalite BatchWriteItem(25) for " + o.rawPhase().toSeconds() + " s ...");
      RawBatchWriteLoad.Result raw =
          new RawBatchWriteLoad(ddb, rawTable, 16, 90L * 86_400)
              .run(Duration.ofSeconds(3), o.rawPhase(), new MqttFleet.WindowListener() {});
      log.accept(String.format("  raw: %.0f items/s", raw.itemsPerSecond()));

      String table = "loadtest-fixes";
      Map<String, String> env = gatewayEnv(dynalite.endpoint(), table, jwks, tasks, false);
      List<String> jvm = List.of("-Xmx2g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");

      LoadReport.FleetPhase riderPhase;
      LoadReport.FleetPhase peakPhase;
      AckedFixAudit.Result riderAudit;
      AckedFixAudit.Result peakAudit;
      double rawBeforePeak;
      try (GatewayProcess gw = GatewayProcess.start(env, jvm, o.out().resolve("gateway.log"))) {
        // 2. the fleet at its 10 s cadence
        log.accept("connecting " + o.riders() + " riders (gateway pid " + gw.pid() + ") ...");
        MqttFleet.Settings fs =
            MqttFleet.Settings.paced(
                    gw.mqttPort(),
                    o.riders(),
                    o.periodMs(),
                    4,
                    Duration.ofMillis(o.periodMs()),
                    o.riderPhase())
                .withEventLoops(2)
                .withSourceAddresses(o.sourceAddresses())
                .withSettleTimeout(Duration.ofSeconds(60));
        long rssBefore = gw.residentBytes()[0];
        long connectStart = System.nanoTime();
        try (MqttFleet fleet = MqttFleet.connect(fs, tokenOf)) {
          double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
          long[] afterConnect = gw.residentBytes();
          log.accept(
              String.format(
                  "  %d connections in %.1f s; riding for %d s ...",
                  o.riders(), connectSeconds, o.riderPhase().toSeconds()));
          MqttFleet.Result r;
          ResourceSampler.Usage usage;
          try (ResourceSampler sampler = new ResourceSampler(gw, 5_000)) {
            r = fleet.run();
            usage = sampler.finish();
          }
          riderAudit = AckedFixAudit.check(ddb, table, fleet.ackedFixes(), 200);
          riderPhase =
              LoadReport.FleetPhase.of(
                  "gateway + dynalite, "
                      + o.riders()
                      + " riders, 1 fix / "
                      + o.periodMs() / 1000
                      + " s",
                  r,
                  usage,
                  connectSeconds,
                  afterConnect[0] - rssBefore);
          log.accept("  " + riderPhase.summary() + "; lost " + riderAudit.lost());
        }
        // dynalite now holds the rider phase's fixes and serves more slowly than empty: its raw
        // capacity is measured again, in the state the peak phase meets it
        log.accept("raw dynalite again, as the peak phase finds it ...");
        rawBeforePeak =
            new RawBatchWriteLoad(ddb, rawTable, 16, 90L * 86_400)
                .run(Duration.ofSeconds(3), o.rawPhase(), new MqttFleet.WindowListener() {})
                .itemsPerSecond();
        log.accept(String.format("  raw: %.0f items/s", rawBeforePeak));
        // 3. peak sustained ingest into dynalite (closed loop)
        log.accept(
            "peak ingest: "
                + o.peakRiders()
                + " riders × "
                + o.peakWindow()
                + " in flight for "
                + o.peakPhase().toSeconds()
                + " s ...");
        MqttFleet.Settings ps =
            MqttFleet.Settings.closedLoop(
                    gw.mqttPort(),
                    o.peakRiders(),
                    o.peakWindow(),
                    Duration.ofSeconds(5),
                    o.peakPhase())
                .withEventLoops(2);
        try (MqttFleet fleet = MqttFleet.connect(ps, tokenOf)) {
          MqttFleet.Result r;
          ResourceSampler.Usage usage;
          try (ResourceSampler sampler = new ResourceSampler(gw, 5_000)) {
            r = fleet.run();
            usage = sampler.finish();
          }
          peakAudit = AckedFixAudit.check(ddb, table, fleet.ackedFixes(), 100);
          peakPhase =
              LoadReport.FleetPhase.of("peak: gateway + dynalite, closed loop", r, usage, 0, 0);
          log.accept("  " + peakPhase.summary() + "; lost " + peakAudit.lost());
        }
      }

      // 4. the protocol layer alone: the discarding sink vs Mosquitto, same driver, same load
      LoadReport.FleetPhase discardPhase;
      LoadReport.FleetPhase riderDiscardPhase;
      try (GatewayProcess gw =
          GatewayProcess.start(
              gatewayEnv(dynalite.endpoint(), table, jwks, tasks, true),
              jvm,
              o.out().resolve("gateway-discard.log"))) {
        // the same fleet at its 10 s cadence, without the store: what the protocol layer alone adds
        Duration short_ =
            o.riderPhase().compareTo(Duration.ofSeconds(60)) < 0
                ? o.riderPhase()
                : Duration.ofSeconds(60);
        log.accept(
            "protocol layer: "
                + o.riders()
                + " riders at their cadence, discarding sink, "
                + short_.toSeconds()
                + " s ...");
        MqttFleet.Settings fs =
            MqttFleet.Settings.paced(
                    gw.mqttPort(),
                    o.riders(),
                    o.periodMs(),
                    4,
                    Duration.ofMillis(o.periodMs()),
                    short_)
                .withEventLoops(2)
                .withSourceAddresses(o.sourceAddresses())
                .withSettleTimeout(Duration.ofSeconds(60));
        try (MqttFleet fleet = MqttFleet.connect(fs, tokenOf)) {
          MqttFleet.Result r;
          ResourceSampler.Usage usage;
          try (ResourceSampler sampler = new ResourceSampler(gw, 5_000)) {
            r = fleet.run();
            usage = sampler.finish();
          }
          riderDiscardPhase =
              LoadReport.FleetPhase.of(
                  "discarding sink, "
                      + o.riders()
                      + " riders, 1 fix / "
                      + o.periodMs() / 1000
                      + " s",
                  r,
                  usage,
                  0,
                  0);
          log.accept("  " + riderDiscardPhase.summary());
        }
        log.accept("protocol layer: gateway with the discarding sink ...");
        discardPhase =
            closedLoop(
                "gateway, discarding sink (protocol layer)",
                gw.mqttPort(),
                o,
                tokenOf,
                () -> gw.cpuSeconds(),
                gw);
        log.accept("  " + discardPhase.summary());
      }
      LoadReport.FleetPhase mosquittoPhase = null;
      if (MosquittoProcess.installed()) {
        try (MosquittoProcess mq =
            MosquittoProcess.start(freePort(), o.out().resolve("mosquitto"))) {
          log.accept("protocol layer: Mosquitto ...");
          mosquittoPhase =
              closedLoop(
                  "Mosquitto 2 (reference broker)",
                  mq.port(),
                  o,
                  tokenOf,
                  () -> GatewayProcess.cpuSecondsOf(mq.pid()),
                  null);
          log.accept("  " + mosquittoPhase.summary());
        }
      } else {
        log.accept(
            "mosquitto is not installed (apt-get install mosquitto): no reference broker phase");
      }
      // 5. the HTTP side with Gatling, against a fresh local stack
      List<GatlingPhase.SimulationResult> gatling =
          o.gatlingRiders() <= 0
              ? List.of()
              : GatlingPhase.run(o.out(), o.gatlingRiders(), o.gatlingPhase(), log);
      return new LoadReport(
          started.toString(),
          Instant.now().toString(),
          machine(),
          o.smoke(),
          raw.itemsPerSecond(),
          rawBeforePeak,
          riderPhase,
          riderAudit,
          peakPhase,
          peakAudit,
          riderDiscardPhase,
          discardPhase,
          mosquittoPhase,
          gatling);
    } finally {
      dynalite.close();
      vertx.close();
    }
  }

  interface CpuClock {
    double seconds() throws Exception;
  }

  private static LoadReport.FleetPhase closedLoop(
      String name,
      int port,
      Options o,
      Function<String, String> tokens,
      CpuClock cpu,
      GatewayProcess memory)
      throws Exception {
    MqttFleet.Settings s =
        MqttFleet.Settings.closedLoop(
                port, o.peakRiders(), o.peakWindow(), Duration.ofSeconds(5), o.peakPhase())
            .withEventLoops(2);
    try (MqttFleet fleet = MqttFleet.connect(s, tokens)) {
      double cpu0 = cpu.seconds();
      long t0 = System.nanoTime();
      ResourceSampler sampler = memory == null ? null : new ResourceSampler(memory, 5_000);
      MqttFleet.Result r = fleet.run();
      ResourceSampler.Usage usage =
          sampler != null
              ? sampler.finish()
              : new ResourceSampler.Usage(
                  (System.nanoTime() - t0) / 1e9,
                  (cpu.seconds() - cpu0) / ((System.nanoTime() - t0) / 1e9),
                  0,
                  0,
                  0);
      return LoadReport.FleetPhase.of(name, r, usage, 0, 0);
    }
  }

  static Map<String, String> gatewayEnv(
      String endpoint, String table, Path jwks, Path tasks, boolean discard) {
    Map<String, String> env = new HashMap<>();
    env.put(GatewaySettings.MQTT_HOST.env(), "127.0.0.1");
    env.put(GatewaySettings.MQTT_PORT.env(), "0");
    env.put(GatewaySettings.HTTP_HOST.env(), "127.0.0.1");
    env.put(GatewaySettings.HTTP_PORT.env(), "0");
    env.put(GatewaySettings.ADMIN_HOST.env(), "127.0.0.1");
    env.put(GatewaySettings.ADMIN_PORT.env(), "0");
    env.put(GatewaySettings.FIXES_TABLE.env(), table);
    env.put(GatewaySettings.DYNAMODB_ENDPOINT.env(), endpoint);
    env.put(GatewaySettings.TABLE_BOOTSTRAP.env(), "true");
    env.put(GatewaySettings.JWKS_FILE.env(), jwks.toString());
    env.put(GatewaySettings.JWT_ISSUER.env(), ISSUER);
    env.put(GatewaySettings.JWT_AUDIENCE.env(), AUDIENCE);
    env.put(GatewaySettings.DEV_TASKS_FILE.env(), tasks.toString());
    env.put(GatewaySettings.BENCHMARK_DISCARD_FIXES.env(), Boolean.toString(discard));
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    return env;
  }

  static int freePort() throws Exception {
    try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static LoadReport.Machine machine() {
    String cpu = "unknown";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (Exception ignored) {
      // not Linux: the report says unknown
    }
    long fdLimit = -1;
    try {
      fdLimit =
          Files.readAllLines(Path.of("/proc/self/limits")).stream()
              .filter(l -> l.startsWith("Max open files"))
              .findFirst()
              .map(l -> Long.parseLong(l.trim().split("\\s+")[3]))
              .orElse(-1L);
    } catch (Exception ignored) {
      // unknown
    }
    return new LoadReport.Machine(
        Runtime.getRuntime().availableProcessors(), cpu, Runtime.version().toString(), fdLimit);
  }
}
