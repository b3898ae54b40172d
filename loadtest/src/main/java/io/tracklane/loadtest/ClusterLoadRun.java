package io.tracklane.loadtest;

import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.Dynalite;
import io.tracklane.devkit.TokenMinter;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.store.TableBootstrap;
import io.tracklane.loadtest.report.ClusterReport;
import io.tracklane.loadtest.report.ClusterReportWriter;
import io.vertx.core.Vertx;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The multi-instance load run ({@code -Dloadtest.mode=cluster}): N gateway processes clustered for
 * the live stream (Hazelcast over loopback, each on its own ports), M driver processes spreading
 * the riders over them as a network load balancer would, dynalite on LevelDB ({@code --path}), a
 * dispatcher's live stream on the first gateway, and, if asked, the last gateway killed with
 * SIGKILL mid-run. Afterwards every acknowledged fix of every rider is looked up in the table.
 * Every phase is bounded in time and all traffic stays on 127.0.0.0/8.
 *
 * <p>Options (system properties): {@code loadtest.gateways} (3), {@code loadtest.drivers} (3),
 * {@code loadtest.riders} (3000), {@code loadtest.seconds} (120), {@code loadtest.warmupSeconds}
 * (one period: riding before the measured window, e.g. 60 to let six JVMs finish JIT compilation on
 * a 2-core machine), {@code loadtest.periodMs} (10000), {@code loadtest.killAtSeconds} (-1: nobody
 * is killed; counted from the start of the ride), {@code loadtest.discard} (false: the gateways'
 * discarding sink), {@code loadtest.intervalSeconds} (60, the per-minute table), {@code
 * loadtest.gatewayHeap} (1g), {@code loadtest.driverHeap} (1g), {@code loadtest.jfr} (false: record
 * each gateway with JDK Flight Recorder into {@code gateway-i.jfr}), {@code
 * loadtest.sourceAddresses} (4), {@code loadtest.out} (target/loadtest-cluster), {@code
 * loadtest.gatewayEnv} (settings for every gateway, {@code TRACKLANE_X=v,TRACKLANE_Y=w}).
 */
public final class ClusterLoadRun {
  /** What to run. */
  public record Options(
      int gateways,
      int drivers,
      int riders,
      Duration ride,
      long periodMs,
      long warmupSeconds,
      long killAtSeconds,
      boolean discard,
      long intervalSeconds,
      String gatewayHeap,
      String driverHeap,
      boolean jfr,
      int sourceAddresses,
      Path out,
      Map<String, String> gatewayEnv) {
    public Options {
      if (gateways < 1) throw new IllegalArgumentException("loadtest.gateways must be >= 1");
      if (drivers < 1) throw new IllegalArgumentException("loadtest.drivers must be >= 1");
      if (riders < drivers)
        throw new IllegalArgumentException("loadtest.riders must be >= loadtest.drivers");
      if (killAtSeconds >= 0 && gateways < 2)
        throw new IllegalArgumentException("killing a gateway needs loadtest.gateways >= 2");
      if (warmupSeconds < 0)
        throw new IllegalArgumentException("loadtest.warmupSeconds must be >= 0");
      if (killAtSeconds >= ride.toSeconds())
        throw new IllegalArgumentException("loadtest.killAtSeconds must be inside the ride");
    }

    public static Options fromSystemProperties() {
      return new Options(
          Integer.getInteger("loadtest.gateways", 3),
          Integer.getInteger("loadtest.drivers", 3),
          Integer.getInteger("loadtest.riders", 3000),
          Duration.ofSeconds(Integer.getInteger("loadtest.seconds", 120)),
          Long.getLong("loadtest.periodMs", 10_000L),
          Long.getLong("loadtest.warmupSeconds", Long.getLong("loadtest.periodMs", 10_000L) / 1000),
          Long.getLong("loadtest.killAtSeconds", -1L),
          Boolean.getBoolean("loadtest.discard"),
          Long.getLong("loadtest.intervalSeconds", 60L),
          System.getProperty("loadtest.gatewayHeap", "1g"),
          System.getProperty("loadtest.driverHeap", "1g"),
          Boolean.getBoolean("loadtest.jfr"),
          Integer.getInteger("loadtest.sourceAddresses", 4),
          Path.of(System.getProperty("loadtest.out", "target/loadtest-cluster")),
          settings(System.getProperty("loadtest.gatewayEnv", "")));
    }

    /** {@code K=V,K=V}: gateway settings for every instance (e.g. TRACKLANE_BATCH_LINGER_MS=50). */
    static Map<String, String> settings(String spec) {
      Map<String, String> m = new HashMap<>();
      for (String kv : spec.split(",")) {
        if (kv.isBlank()) continue;
        int eq = kv.indexOf('=');
        if (eq <= 0 || !kv.trim().startsWith("TRACKLANE_"))
          throw new IllegalArgumentException(
              "loadtest.gatewayEnv takes TRACKLANE_NAME=value pairs, not '" + kv + "'");
        m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
      return m;
    }
  }

  private static final String TABLE = "loadtest-fixes";

  private ClusterLoadRun() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.fromSystemProperties();
    ClusterReport r = run(o, System.out::println);
    List<Path> files = ClusterReportWriter.write(r, o.out());
    System.out.println();
    System.out.println(ClusterReportWriter.markdown(r));
    System.out.println("report: " + files);
    System.exit(passed(r) ? 0 : 1);
  }

  /** Lost 0, nothing left unacknowledged, and (after a kill) every rider back on the stream. */
  public static boolean passed(ClusterReport r) {
    return r.problems().isEmpty();
  }

  public static ClusterReport run(Options o, Consumer<String> log) throws Exception {
    Path out = o.out().toAbsolutePath();
    Files.createDirectories(out);
    Instant started = Instant.now();
    Path data = out.resolve("dynalite-data");
    deleteTree(data);
    Files.createDirectories(data);
    Vertx vertx = Vertx.vertx();
    Dynalite dynalite = Dynalite.start(0, data);
    List<GatewayProcess> gateways = new ArrayList<>();
    List<FleetDriverProcess> drivers = new ArrayList<>();
    try (var ddb = Dynamo.client(dynalite.endpoint(), 16)) {
      DevSigningKeys keys = DevSigningKeys.generate();
      Path jwks = keys.writeJwks(out.resolve("jwks.json"));
      TokenMinter minter = keys.minter(LoadTestRun.ISSUER, LoadTestRun.AUDIENCE);
      Path tasks = out.resolve("tasks.txt");
      Path tokens = out.resolve("tokens.txt");
      Duration tokenLife = o.ride().plus(Duration.ofHours(1));
      try (BufferedWriter t = Files.newBufferedWriter(tasks);
          BufferedWriter k = Files.newBufferedWriter(tokens)) {
        for (int i = 1; i <= o.riders(); i++) {
          t.write(MqttFleet.taskId(i) + "=" + MqttFleet.riderId(i));
          t.newLine();
          k.write(
              MqttFleet.riderId(i) + "=" + minter.mint(MqttFleet.riderId(i), "rider", tokenLife));
          k.newLine();
        }
      }
      TableBootstrap.ensureTable(vertx, ddb, TABLE).await(60, TimeUnit.SECONDS);

      // 1. the gateways, one after the other so each joins the cluster the first one formed
      int clusterBase = freePortRun(o.gateways());
      String members =
          IntStream.range(0, o.gateways())
              .mapToObj(i -> "127.0.0.1:" + (clusterBase + i))
              .collect(Collectors.joining(","));
      String clusterName = "tracklane-loadtest-" + UUID.randomUUID();
      for (int i = 0; i < o.gateways(); i++) {
        Map<String, String> env =
            LoadTestRun.gatewayEnv(dynalite.endpoint(), TABLE, jwks, tasks, o.discard());
        env.putAll(o.gatewayEnv());
        env.put(GatewaySettings.TABLE_BOOTSTRAP.env(), "false");
        env.put(GatewaySettings.CLUSTER.env(), "true");
        env.put(GatewaySettings.CLUSTER_NAME.env(), clusterName);
        env.put(GatewaySettings.CLUSTER_MEMBERS.env(), members);
        env.put(GatewaySettings.CLUSTER_HOST.env(), "127.0.0.1");
        env.put(GatewaySettings.CLUSTER_PORT.env(), Integer.toString(clusterBase + i));
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + o.gatewayHeap());
        jvm.add("-XX:+UseG1GC");
        jvm.add("-XX:+ExitOnOutOfMemoryError");
        if (o.jfr())
          jvm.add(
              "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                  + out.resolve("gateway-" + i + ".jfr"));
        GatewayProcess g = GatewayProcess.start(env, jvm, out.resolve("gateway-" + i + ".log"));
        gateways.add(g);
        log.accept(
            "gateway-" + i + " pid " + g.pid() + " mqtt " + g.mqttPort() + " http " + g.httpPort());
      }
      List<Integer> mqttPorts = gateways.stream().map(GatewayProcess::mqttPort).toList();

      // 2. a dispatcher's live stream on the first gateway (never the one killed)
      String manager = minter.mint("loadtest-manager", "manager", tokenLife);
      try (LiveStreamWatcher live = new LiveStreamWatcher(gateways.get(0).httpPort(), manager)) {
        live.awaitOpen(Duration.ofSeconds(30));

        // 3. the drivers, each with its slice of the riders
        int per = o.riders() / o.drivers();
        int first = 0;
        for (int d = 0; d < o.drivers(); d++) {
          int n = d == o.drivers() - 1 ? o.riders() - first : per;
          Map<String, String> props = new HashMap<>();
          props.put(
              "ports", mqttPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
          props.put("firstRider", Integer.toString(first));
          props.put("riders", Integer.toString(n));
          props.put("periodMs", Long.toString(o.periodMs()));
          props.put("warmupMs", Long.toString(o.warmupSeconds() * 1000));
          props.put("seconds", Long.toString(o.ride().toSeconds()));
          props.put("intervalMs", Long.toString(o.intervalSeconds() * 1000));
          props.put("tokens", tokens.toString());
          props.put("sourceAddresses", Integer.toString(o.sourceAddresses()));
          props.put("settleSeconds", "60");
          drivers.add(
              FleetDriverProcess.start(
                  out.resolve("driver-" + d),
                  List.of("-Xmx" + o.driverHeap(), "-XX:+UseG1GC"),
                  props));
          first += n;
        }
        log.accept("connecting " + o.riders() + " riders from " + o.drivers() + " drivers ...");
        long connectStart = System.nanoTime();
        Duration connectTimeout = Duration.ofSeconds(90 + o.riders() / 200);
        for (FleetDriverProcess d : drivers) d.awaitConnected(connectTimeout);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        log.accept(String.format("  connected in %.1f s", connectSeconds));

        // 4. ride; kill one gateway when asked
        try (ClusterSampler sampler = new ClusterSampler(gateways, 5_000)) {
          long connectionsAtStart =
              sampler.instances().stream()
                  .mapToLong(i -> i.last() == null ? 0 : i.last().connections())
                  .sum();
          long rideStartMs = System.currentTimeMillis();
          for (FleetDriverProcess d : drivers) d.go();
          if (o.warmupSeconds() > 0) sampler.startHistogramsAfter(o.warmupSeconds() * 1000);
          long warmupAndRide = o.warmupSeconds() * 1000 + o.ride().toMillis();
          log.accept("riding for " + warmupAndRide / 1000 + " s (warm-up included) ...");
          long killedAtMs = -1;
          long connectionsOnKilled = 0;
          int victim = o.gateways() - 1;
          if (o.killAtSeconds() >= 0) {
            sleepUntil(rideStartMs + o.killAtSeconds() * 1000);
            sampler.sampleNow();
            var last = sampler.instances().get(victim).last();
            connectionsOnKilled = last == null ? 0 : last.connections();
            live.mark();
            killedAtMs = System.currentTimeMillis();
            gateways.get(victim).kill();
            log.accept(
                "  killed gateway-"
                    + victim
                    + " (SIGKILL) at "
                    + o.killAtSeconds()
                    + " s with "
                    + connectionsOnKilled
                    + " connections");
          }
          Duration doneTimeout = Duration.ofMillis(warmupAndRide + 180_000);
          for (FleetDriverProcess d : drivers) d.awaitDone(doneTimeout);
          live.stop();
          sampler.sampleNow();
          long rideEndMs = System.currentTimeMillis();
          log.accept("  ride over; auditing ...");

          return ClusterReportBuilder.build(
              o,
              TABLE,
              started,
              connectSeconds,
              connectionsAtStart,
              drivers,
              sampler,
              live,
              ddb,
              rideStartMs,
              rideEndMs,
              killedAtMs,
              victim,
              connectionsOnKilled,
              log);
        }
      }
    } finally {
      for (FleetDriverProcess d : drivers) {
        try {
          d.close();
        } catch (Exception e) {
          log.accept("driver did not exit: " + e);
        }
      }
      for (GatewayProcess g : gateways) {
        try {
          g.close();
        } catch (Exception e) {
          log.accept("gateway did not stop: " + e);
        }
      }
      dynalite.close();
      vertx.close();
    }
  }

  private static void sleepUntil(long epochMs) throws InterruptedException {
    long left;
    while ((left = epochMs - System.currentTimeMillis()) > 0) Thread.sleep(Math.min(left, 1000));
  }

  /** The first of {@code n} consecutive loopback ports that are free now (Hazelcast members). */
  static int freePortRun(int n) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
      boolean free = true;
      for (int p = base; p < base + n + 2 && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) return base;
    }
    throw new IOException("no run of " + n + " free loopback ports");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
