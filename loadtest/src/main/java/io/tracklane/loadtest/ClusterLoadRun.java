package io.tracklane.loadtest;

import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.Dynalite;
import io.tracklane.devkit.TokenMinter;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.store.TableBootstrap;
import io.tracklane.loadtest.report.ClusterReport;
import io.tracklane.loadtest.report.ClusterReportWriter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * The multi-instance load run ({@code -Dloadtest.mode=cluster}): N gateway processes clustered for
 * the live stream (Hazelcast over loopback, each on its own ports), M driver processes spreading
 * the riders over them as a network load balancer would, dynalite on LevelDB ({@code --path}), a
 * dispatcher's live stream on the first gateway, and, if asked, the last gateway killed with
 * SIGKILL mid-run. Afterwards every acknowledged fix of every rider is looked up in the table.
 * Every phase is bounded in time and all traffic stays on 127.0.0.0/8.
 *
 * <p>Options (system properties): {@code loadtest.gateways} (3), {@code loadtest.drivers} (3),
 * {@code loadtest.riders} (3000), {@code loadtest.seconds} (120), {@code loadtest.periodMs}
 * (10000), {@code loadtest.killAtSeconds} (-1: nobody is killed; counted from the start of the
 * ride), {@code loadtest.discard} (false: the gateways' discarding sink), {@code
 * loadtest.intervalSeconds} (60, the per-minute table), {@code loadtest.gatewayHeap} (1g), {@code
 * loadtest.driverHeap} (1g), {@code loadtest.jfr} (false: record each gateway with JDK Flight
 * Recorder into {@code gateway-i.jfr}), {@code loadtest.sourceAddresses} (4), {@code loadtest.out}
 * (target/loadtest-cluster), {@code loadtest.gatewayEnv} (settings for every gateway, {@code
 * TRACKLANE_X=v,TRACKLANE_Y=w}).
 */
public final class ClusterLoadRun {
  /** What to run. */
  public record Options(
      int gateways,
      int drivers,
      int riders,
      Duration ride,
      long periodMs,
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
          props.put("warmupMs", Long.toString(o.periodMs()));
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
          long warmupAndRide = o.periodMs() + o.ride().toMillis();
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

          return report(
              o,
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

  private static ClusterReport report(
      Options o,
      Instant started,
      double connectSeconds,
      long connectionsAtStart,
      List<FleetDriverProcess> drivers,
      ClusterSampler sampler,
      LiveStreamWatcher live,
      DynamoDbAsyncClient ddb,
      long rideStartMs,
      long rideEndMs,
      long killedAtMs,
      int victim,
      long connectionsOnKilled,
      Consumer<String> log)
      throws Exception {
    List<String> problems = new ArrayList<>();
    // the fleet, summed over the drivers
    Histogram window = new Histogram(3);
    Histogram reconnect = new Histogram(3);
    TreeMap<Integer, Histogram> intervalLatency = new TreeMap<>();
    TreeMap<Integer, Long> intervalAcked = new TreeMap<>();
    TreeMap<Long, Long> reconnectsBySecond = new TreeMap<>();
    long acked = 0;
    long ackedTotal = 0;
    long published = 0;
    long skipped = 0;
    long closed = 0;
    long resent = 0;
    long never = 0;
    double windowSeconds = 0;
    String firstError = "";
    List<MqttFleet.AckedFixes> ackedFixes = new ArrayList<>();
    for (FleetDriverProcess d : drivers) {
      JsonObject r = d.result();
      window.add(FleetDriverMain.decode(r.getString("window")));
      reconnect.add(FleetDriverMain.decode(r.getString("reconnectMillis")));
      acked += r.getLong("acked");
      ackedTotal += r.getLong("ackedTotal");
      published += r.getLong("published");
      skipped += r.getLong("skipped");
      closed += r.getLong("connectionsClosed");
      resent += r.getLong("resent");
      never += r.getLong("neverAcknowledged");
      windowSeconds = Math.max(windowSeconds, r.getDouble("measuredSeconds"));
      if (firstError.isEmpty()) firstError = r.getString("errorDetail", "");
      JsonArray ivs = r.getJsonArray("intervals");
      for (int k = 0; k < ivs.size(); k++) {
        JsonObject iv = ivs.getJsonObject(k);
        intervalLatency
            .computeIfAbsent(k, x -> new Histogram(3))
            .add(FleetDriverMain.decode(iv.getString("latency")));
        intervalAcked.merge(k, iv.getLong("acked"), Long::sum);
      }
      r.getJsonObject("reconnectsBySecond")
          .forEach(
              e ->
                  reconnectsBySecond.merge(
                      Long.parseLong(e.getKey()), ((Number) e.getValue()).longValue(), Long::sum));
      ackedFixes.addAll(d.ackedFixes());
    }
    boolean any = window.getTotalCount() > 0;
    ClusterReport.Fleet fleet =
        new ClusterReport.Fleet(
            o.riders(),
            connectSeconds,
            acked,
            windowSeconds,
            windowSeconds > 0 ? acked / windowSeconds : 0,
            any ? window.getValueAtPercentile(50) / 1000.0 : 0,
            any ? window.getValueAtPercentile(99) / 1000.0 : 0,
            any ? window.getValueAtPercentile(99.9) / 1000.0 : 0,
            any ? window.getMaxValue() / 1000.0 : 0,
            ackedTotal,
            published,
            skipped,
            closed,
            resent,
            never,
            firstError);
    if (connectionsAtStart != o.riders())
      problems.add(
          "the gateways counted " + connectionsAtStart + " connections, not " + o.riders());
    if (never > 0) problems.add(never + " fixes were never acknowledged");

    // the audit: every acknowledged fix of every rider
    ClusterReport.Audit audit = null;
    if (!o.discard()) {
      AckedFixAudit.Result a = AckedFixAudit.check(ddb, TABLE, ackedFixes, 200);
      audit =
          new ClusterReport.Audit(
              a.tasks(),
              a.acknowledged(),
              a.lost(),
              a.spotChecked(),
              a.spotMismatches(),
              a.seconds(),
              a.firstProblem());
      if (a.lost() > 0 || a.spotMismatches() > 0)
        problems.add("audit: lost " + a.lost() + ", mismatches " + a.spotMismatches());
      if (a.acknowledged() != ackedTotal)
        problems.add(
            "the drivers acknowledged " + ackedTotal + " fixes but listed " + a.acknowledged());
      log.accept("  lost " + a.lost() + " of " + a.acknowledged());
    }

    // per instance, and CPU per fix
    List<ClusterReport.Instance> instances = new ArrayList<>();
    double cpu = 0;
    long written = 0;
    TreeMap<Double, Double> store = new TreeMap<>();
    TreeMap<Double, Double> ack = new TreeMap<>();
    for (int i = 0; i < sampler.instances().size(); i++) {
      ClusterSampler.Instance in = sampler.instances().get(i);
      ClusterSampler.Sample first = in.first();
      ClusterSampler.Sample last = in.last();
      if (first == null || last == null) {
        problems.add("gateway-" + i + " was never sampled");
        continue;
      }
      double c = last.cpuSeconds() - first.cpuSeconds();
      long w = (long) (last.written() - first.written());
      double secs = Math.max(1e-3, (last.atMs() - first.atMs()) / 1000.0);
      List<ClusterSampler.Sample> all = in.between(0, Long.MAX_VALUE);
      instances.add(
          new ClusterReport.Instance(
              "gateway-" + i,
              in.gateway.pid(),
              i == victim && killedAtMs >= 0,
              all.stream().mapToLong(ClusterSampler.Sample::connections).max().orElse(0),
              c,
              c / secs,
              w,
              w > 0 ? c / w * 1e6 : 0,
              all.stream().mapToLong(ClusterSampler.Sample::rssBytes).max().orElse(0),
              all.stream().mapToLong(ClusterSampler.Sample::heapBytes).max().orElse(0),
              first.rssBytes(),
              last.rssBytes(),
              last.heapBytes()));
      cpu += c;
      written += w;
      synchronized (in) {
        subtractInto(store, in.storeLast, in.storeStart);
        subtractInto(ack, in.ackLast, in.ackStart);
      }
    }
    long fixes = o.discard() ? ackedTotal : written;
    double micros = fixes > 0 ? cpu / fixes * 1e6 : 0;
    // the same after the first interval: JIT compilation and warm-up left out
    double[] steady = cpuAndWritten(sampler, rideStartMs + o.intervalSeconds() * 1000, rideEndMs);
    double steadyMicros = steady[1] > 0 ? steady[0] / steady[1] * 1e6 : 0;
    ClusterReport.Cost cost =
        new ClusterReport.Cost(
            cpu, fixes, micros, micros / 1000.0, steady[0], (long) steady[1], steadyMicros);

    ClusterReport.Histograms histograms = histograms(store, ack);

    // per interval (minute)
    List<ClusterReport.Minute> minutes = new ArrayList<>();
    long step = o.intervalSeconds() * 1000;
    for (var e : intervalLatency.entrySet()) {
      int k = e.getKey();
      long from = rideStartMs + k * step;
      long to = Math.min(rideEndMs, from + step);
      double secs = Math.max(1, (to - from) / 1000.0);
      long maxRss = 0;
      long maxHeap = 0;
      for (ClusterSampler.Instance in : sampler.instances()) {
        for (ClusterSampler.Sample s : in.between(from, to)) {
          maxRss = Math.max(maxRss, s.rssBytes());
          maxHeap = Math.max(maxHeap, s.heapBytes());
        }
      }
      Histogram h = e.getValue();
      boolean has = h.getTotalCount() > 0;
      double[] cw = cpuAndWritten(sampler, from, to);
      minutes.add(
          new ClusterReport.Minute(
              k + 1,
              intervalAcked.getOrDefault(k, 0L) / secs,
              has ? h.getValueAtPercentile(99) / 1000.0 : 0,
              has ? h.getMaxValue() / 1000.0 : 0,
              maxRss,
              maxHeap,
              cw[0] / secs,
              cw[1] > 0 ? cw[0] / cw[1] * 1e6 : 0));
    }

    // failover
    ClusterReport.Failover failover = null;
    LiveStreamWatcher.Summary seen = live.summary();
    if (killedAtMs >= 0) {
      long killSecond = killedAtMs / 1000;
      List<long[]> perSecond = new ArrayList<>();
      long reconnected = 0;
      for (var e : reconnectsBySecond.entrySet()) {
        if (e.getKey() < killSecond) continue;
        perSecond.add(new long[] {e.getKey() - killSecond, e.getValue()});
        reconnected += e.getValue();
      }
      boolean r = reconnect.getTotalCount() > 0;
      failover =
          new ClusterReport.Failover(
              "gateway-" + victim,
              (killedAtMs - rideStartMs) / 1000.0,
              connectionsOnKilled,
              reconnected,
              r ? reconnect.getValueAtPercentile(50) : 0,
              r ? reconnect.getValueAtPercentile(99) : 0,
              r ? reconnect.getMaxValue() : 0,
              perSecond,
              resent,
              "gateway-0",
              seen.fixes(),
              seen.ridersSeen(),
              seen.ridersSeenAfterMark(),
              seen.gapPercentileMs(50),
              seen.gapPercentileMs(99),
              seen.gapPercentileMs(100),
              seen.maxFirstAfterMarkMs());
      if (reconnected < connectionsOnKilled)
        problems.add(
            "only "
                + reconnected
                + " of "
                + connectionsOnKilled
                + " riders reconnected after the kill");
      if (r && reconnect.getMaxValue() > 30_000)
        problems.add("a rider took " + reconnect.getMaxValue() + " ms to reconnect (limit 30 s)");
      if (!o.discard() && seen.ridersSeenAfterMark() < o.riders())
        problems.add(
            "the live stream on gateway-0 saw "
                + seen.ridersSeenAfterMark()
                + " of "
                + o.riders()
                + " riders after the kill");
    } else if (closed > 0) {
      problems.add(closed + " connections were closed by the gateways: " + firstError);
    }
    if (!o.discard() && seen.ridersSeen() < o.riders())
      problems.add(
          "the live stream on gateway-0 saw "
              + seen.ridersSeen()
              + " of "
              + o.riders()
              + " riders");

    return new ClusterReport(
        started.toString(),
        Instant.now().toString(),
        LoadTestRun.machine(),
        new ClusterReport.Setup(
            o.gateways(),
            o.drivers(),
            o.riders(),
            o.ride().toSeconds(),
            o.periodMs(),
            o.discard(),
            o.discard() ? "discarding sink" : "dynalite --path (LevelDB)",
            o.killAtSeconds()),
        fleet,
        audit,
        instances,
        cost,
        histograms,
        minutes,
        failover,
        problems);
  }

  /**
   * CPU seconds and fixes written by all instances between two moments, from the samples nearest
   * before each (a killed instance counts up to its last sample).
   */
  static double[] cpuAndWritten(ClusterSampler sampler, long fromMs, long toMs) {
    double cpu = 0;
    double written = 0;
    for (ClusterSampler.Instance in : sampler.instances()) {
      List<ClusterSampler.Sample> all = in.between(0, Long.MAX_VALUE);
      ClusterSampler.Sample a = null;
      ClusterSampler.Sample b = null;
      for (ClusterSampler.Sample s : all) {
        if (s.atMs() <= fromMs) a = s;
        if (s.atMs() <= toMs) b = s;
      }
      if (a == null && !all.isEmpty()) a = all.get(0); // sampling began after fromMs
      if (a == null || b == null || b.atMs() <= a.atMs()) continue;
      cpu += b.cpuSeconds() - a.cpuSeconds();
      written += b.written() - a.written();
    }
    return new double[] {cpu, written};
  }

  private static void subtractInto(
      TreeMap<Double, Double> into, TreeMap<Double, Double> end, TreeMap<Double, Double> start) {
    end.forEach((k, v) -> into.merge(k, v - start.getOrDefault(k, 0.0), Double::sum));
  }

  static ClusterReport.Histograms histograms(
      TreeMap<Double, Double> store, TreeMap<Double, Double> ack) {
    double[] s = percentiles(store);
    double[] a = percentiles(ack);
    List<ClusterReport.Bucket> buckets = new ArrayList<>();
    double prevS = 0;
    double prevA = 0;
    TreeMap<Double, Double> bounds = new TreeMap<>(store);
    ack.forEach(bounds::putIfAbsent);
    for (double bound : bounds.keySet()) {
      double cs = store.getOrDefault(bound, prevS);
      double ca = ack.getOrDefault(bound, prevA);
      if (cs - prevS > 0 || ca - prevA > 0)
        buckets.add(
            new ClusterReport.Bucket(bound * 1000, Math.round(cs - prevS), Math.round(ca - prevA)));
      prevS = cs;
      prevA = ca;
    }
    return new ClusterReport.Histograms(
        (long) s[0], s[1], s[2], s[3], (long) a[0], a[1], a[2], a[3], buckets);
  }

  /** total, p50, p99 (upper bucket bounds, ms) and the highest non-empty bucket's bound. */
  private static double[] percentiles(TreeMap<Double, Double> cumulative) {
    if (cumulative.isEmpty()) return new double[4];
    double total = cumulative.lastEntry().getValue();
    if (total <= 0) return new double[4];
    double p50 = 0;
    double p99 = 0;
    double max = 0;
    double previous = 0;
    for (var e : cumulative.entrySet()) {
      if (p50 == 0 && e.getValue() >= total * 0.5) p50 = e.getKey() * 1000;
      if (p99 == 0 && e.getValue() >= total * 0.99) p99 = e.getKey() * 1000;
      if (e.getValue() > previous) max = e.getKey() * 1000;
      previous = e.getValue();
    }
    return new double[] {total, p50, p99, max};
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
