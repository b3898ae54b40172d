package io.tracklane.loadtest;

import io.tracklane.loadtest.report.ClusterReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/**
 * Turns what a multi-instance run collected (the drivers' results and acknowledged fixes, the
 * gateways' samples, the live stream) into its {@link ClusterReport}: the fleet summed over the
 * drivers, the audit of every acknowledged fix, per-instance usage and CPU per fix, the store and
 * acknowledgement histograms, the per-minute table, the failover timeline, and what failed.
 */
final class ClusterReportBuilder {
  private ClusterReportBuilder() {}

  static ClusterReport build(
      ClusterLoadRun.Options o,
      String table,
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
      AckedFixAudit.Result a = AckedFixAudit.check(ddb, table, ackedFixes, 200);
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
    double[] steady =
        cpuAndWritten(
            sampler,
            rideStartMs + Math.max(o.intervalSeconds(), o.warmupSeconds()) * 1000,
            rideEndMs);
    // a discarding sink writes nothing: count what the drivers had acknowledged instead
    if (o.discard())
      steady[1] = intervalAcked.tailMap(1).values().stream().mapToLong(Long::longValue).sum();
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
      long floorHeap = 0;
      for (ClusterSampler.Instance in : sampler.instances()) {
        long instanceFloor = Long.MAX_VALUE;
        for (ClusterSampler.Sample s : in.between(from, to)) {
          maxRss = Math.max(maxRss, s.rssBytes());
          maxHeap = Math.max(maxHeap, s.heapBytes());
          if (s.heapBytes() > 0) instanceFloor = Math.min(instanceFloor, s.heapBytes());
        }
        if (instanceFloor != Long.MAX_VALUE) floorHeap = Math.max(floorHeap, instanceFloor);
      }
      Histogram h = e.getValue();
      boolean has = h.getTotalCount() > 0;
      double[] cw = cpuAndWritten(sampler, from, to);
      if (o.discard()) cw[1] = intervalAcked.getOrDefault(k, 0L);
      minutes.add(
          new ClusterReport.Minute(
              k + 1,
              intervalAcked.getOrDefault(k, 0L) / secs,
              has ? h.getValueAtPercentile(99) / 1000.0 : 0,
              has ? h.getMaxValue() / 1000.0 : 0,
              maxRss,
              maxHeap,
              floorHeap,
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
            o.killAtSeconds(),
            o.warmupSeconds(),
            o.intervalSeconds()),
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
}
