package io.tracklane.loadtest;

import io.tracklane.devkit.Dynalite;
import io.tracklane.gateway.config.GatewaySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * How close the gateway comes to the store's own write throughput, in one run on one machine:
 *
 * <ol>
 *   <li>RAW: BatchWriteItem(25) straight into a fresh in-memory dynalite, as many requests in
 *       flight as the gateway allows itself ({@code TRACKLANE_WRITES_IN_FLIGHT}) — the ceiling;
 *   <li>GATEWAY: the gateway in-process on the same dynalite, driven by an {@link MqttFleet} of
 *       riders publishing single fixes at QoS 1 in a closed loop; a PUBACK means stored, so acked
 *       fixes/s is the sustained end-to-end throughput;
 *   <li>the ratio against the target (0.9), the batch size the gateway achieved, and a Scan COUNT
 *       proving that the table holds exactly what was acknowledged.
 * </ol>
 *
 * <p>System properties: {@code bench.seconds} (measured seconds per phase, 20), {@code
 * bench.warmupSeconds} (5), {@code bench.riders} (200), {@code bench.window} (in-flight messages
 * per rider, 4), {@code bench.fleetThreads} (event loops of the fleet, 1), {@code
 * bench.rawInFlight} (requests in flight in the raw phase; the default of {@code
 * TRACKLANE_WRITES_IN_FLIGHT}), and {@code bench.gateway.<ENV_VAR>=value} to override a gateway
 * setting. Exits 1 only when the count check fails; a missed target is reported, not an error.
 */
public final class GatewayBenchmark {
  static final double TARGET = 0.90;
  private static final String TABLE = "bench-fixes";
  private static final String GATEWAY_PREFIX = "bench.gateway.";

  private GatewayBenchmark() {}

  record Params(
      int seconds,
      int warmupSeconds,
      int riders,
      int window,
      int fleetThreads,
      Map<String, String> gatewayOverrides) {
    static Params fromSystemProperties() {
      Map<String, String> overrides = new LinkedHashMap<>();
      for (String name : System.getProperties().stringPropertyNames()) {
        if (name.startsWith(GATEWAY_PREFIX))
          overrides.put(name.substring(GATEWAY_PREFIX.length()), System.getProperty(name));
      }
      return new Params(
          intProp("bench.seconds", 20, 1),
          intProp("bench.warmupSeconds", 5, 0),
          intProp("bench.riders", 200, 1),
          intProp("bench.window", 4, 1),
          intProp("bench.fleetThreads", 1, 1),
          overrides);
    }

    Duration measured() {
      return Duration.ofSeconds(seconds);
    }

    Duration warmup() {
      return Duration.ofSeconds(warmupSeconds);
    }
  }

  public static void main(String[] args) throws Exception {
    int code = run(Params.fromSystemProperties());
    if (code != 0) System.exit(code);
  }

  static int run(Params p) throws Exception {
    Map<String, String> gatewayEnv = p.gatewayOverrides();
    // The raw phase gets the concurrency the gateway's writer is allowed by default.
    int inFlight =
        intProp(
            "bench.rawInFlight",
            Integer.parseInt(GatewaySettings.WRITES_IN_FLIGHT.defaultValue()),
            1);
    long retentionSeconds =
        Long.parseLong(
                gatewayEnv.getOrDefault(
                    GatewaySettings.FIX_RETENTION_DAYS.env(),
                    GatewaySettings.FIX_RETENTION_DAYS.defaultValue()))
            * 86_400L;

    System.out.println("Tracklane gateway benchmark");
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %s %s, max heap %d MiB, %s %s %s, node %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        nodeVersion());
    System.out.printf(
        Locale.ROOT,
        "params:  %d s measured after %d s warm-up per phase; %d riders x %d in flight"
            + " (fleet on %d event loop%s); BatchWriteItem(25) x %d in flight (raw), x %s (gateway)%s%n",
        p.seconds(),
        p.warmupSeconds(),
        p.riders(),
        p.window(),
        p.fleetThreads(),
        p.fleetThreads() == 1 ? "" : "s",
        inFlight,
        gatewayEnv.getOrDefault(
            GatewaySettings.WRITES_IN_FLIGHT.env(),
            GatewaySettings.WRITES_IN_FLIGHT.defaultValue()),
        gatewayEnv.isEmpty() ? "" : "; gateway overrides " + gatewayEnv);
    System.out.println();

    try (Dynalite dynalite = Dynalite.start();
        DynamoDbAsyncClient ddb = Dynamo.client(dynalite.endpoint(), inFlight);
        GatewayUnderTest gut = new GatewayUnderTest()) {
      gut.ensureTable(ddb, TABLE);
      CpuProfile cpu = new CpuProfile(dynalite.port());

      // ---- RAW -------------------------------------------------------------------------------
      CpuProfile.Snapshot[] rawCpu = new CpuProfile.Snapshot[2];
      RawBatchWriteLoad.Result raw =
          new RawBatchWriteLoad(ddb, TABLE, inFlight, retentionSeconds)
              .run(
                  p.warmup(),
                  p.measured(),
                  new MqttFleet.WindowListener() {
                    @Override
                    public void windowStarted() {
                      rawCpu[0] = cpu.snapshot();
                    }

                    @Override
                    public void windowEnded() {
                      rawCpu[1] = cpu.snapshot();
                    }
                  });
      System.out.printf(
          Locale.ROOT,
          "%-50s %7.0f items/s   request p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
          "raw dynalite BatchWriteItem(25), " + inFlight + " in flight:",
          raw.itemsPerSecond(),
          raw.p50Ms(),
          raw.p99Ms(),
          raw.maxMs());
      System.out.println("  cpu: " + CpuProfile.describe(rawCpu[0], rawCpu[1], Set.of()));

      // ---- GATEWAY ---------------------------------------------------------------------------
      gut.start(gut.settings(dynalite.endpoint(), TABLE, gatewayEnv), p.riders());
      MqttFleet.Settings fs =
          MqttFleet.Settings.closedLoop(
                  gut.mqttPort(), p.riders(), p.window(), p.warmup(), p.measured())
              .withEventLoops(p.fleetThreads());
      MqttFleet.Result fleet;
      CpuProfile.Snapshot[] gwCpu = new CpuProfile.Snapshot[2];
      GatewayUnderTest.Meters[] meters = new GatewayUnderTest.Meters[2];
      Set<Long> fleetThreads;
      try (MqttFleet f = MqttFleet.connect(fs, gut::token)) {
        fleetThreads = f.threadIds();
        fleet =
            f.run(
                new MqttFleet.WindowListener() {
                  @Override
                  public void windowStarted() {
                    gwCpu[0] = cpu.snapshot();
                    meters[0] = gut.meters();
                  }

                  @Override
                  public void windowEnded() {
                    gwCpu[1] = cpu.snapshot();
                    meters[1] = gut.meters();
                  }
                });
      }
      System.out.printf(
          Locale.ROOT,
          "%-50s %7.0f fixes/s   ack p50 %.1f ms  p99 %.1f ms  max %.1f ms%n",
          "gateway end-to-end (MQTT QoS1, " + p.riders() + " riders):",
          fleet.fixesPerSecond(),
          fleet.p50Ms(),
          fleet.p99Ms(),
          fleet.maxMs());
      System.out.println("  cpu: " + CpuProfile.describe(gwCpu[0], gwCpu[1], fleetThreads));

      double ratio = raw.itemsPerSecond() > 0 ? fleet.fixesPerSecond() / raw.itemsPerSecond() : 0;
      System.out.printf(
          Locale.ROOT,
          "ratio gateway/raw: %.2f (target >= %.2f) %s%n",
          ratio,
          TARGET,
          ratio >= TARGET ? "PASS" : "BELOW TARGET");

      // ---- correctness -------------------------------------------------------------------------
      GatewayUnderTest.Meters window = meters[1].minus(meters[0]);
      long expected = raw.itemsTotal() + fleet.ackedTotal();
      long stored = Dynamo.count(ddb, TABLE, Duration.ofSeconds(60));
      boolean countOk = stored == expected;
      System.out.printf(
          Locale.ROOT,
          "avg batch size: %.1f items (BatchWriteItem mean %.1f ms, raw %.1f ms); stored count check: %s (%d items%s)%n",
          window.avgBatchSize(),
          window.avgWriteMs(),
          raw.meanMs(),
          countOk ? "OK" : "FAILED",
          stored,
          countOk
              ? ""
              : String.format(
                  Locale.ROOT,
                  ", expected %d = raw %d + gateway acked %d",
                  expected,
                  raw.itemsTotal(),
                  fleet.ackedTotal()));
      System.out.printf(Locale.ROOT, "errors: %s%n", errors(raw, fleet, window));
      return countOk ? 0 : 1;
    }
  }

  private static String errors(
      RawBatchWriteLoad.Result raw, MqttFleet.Result fleet, GatewayUnderTest.Meters gw) {
    StringBuilder s = new StringBuilder();
    if (raw.failedRequests() > 0 || raw.unprocessedItems() > 0 || raw.firstError() != null) {
      s.append(
          String.format(
              Locale.ROOT,
              "raw: %d failed requests, %d unprocessed items (%s); ",
              raw.failedRequests(),
              raw.unprocessedItems(),
              raw.firstError()));
    }
    if (fleet.errors() > 0) s.append("fleet: ").append(fleet.errorDetail()).append("; ");
    if (gw.retries() > 0 || gw.rejected() > 0) {
      s.append(
          String.format(
              Locale.ROOT,
              "gateway (in window): %.0f write retries, %.0f payloads rejected; ",
              gw.retries(),
              gw.rejected()));
    }
    return s.length() == 0 ? "none" : s.substring(0, s.length() - 2);
  }

  private static int intProp(String name, int def, int min) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) return def;
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + v + "'");
    }
    if (n < min)
      throw new IllegalArgumentException("-D" + name + " must be >= " + min + ", got " + n);
    return n;
  }

  private static String nodeVersion() {
    try {
      Process proc = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      if (!proc.waitFor(10, TimeUnit.SECONDS)) {
        proc.destroyForcibly();
        return "?";
      }
      return new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    } catch (IOException e) {
      return "?";
    }
  }
}
