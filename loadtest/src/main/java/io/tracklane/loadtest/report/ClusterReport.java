package io.tracklane.loadtest.report;

import java.util.List;

/**
 * A multi-instance load run: several clustered gateways, driver processes spreading the riders over
 * them, optionally one gateway killed mid-run; what the fleet saw, what each instance used, the
 * audit of every acknowledged fix, and the failover timeline.
 */
public record ClusterReport(
    String started,
    String finished,
    LoadReport.Machine machine,
    Setup setup,
    Fleet fleet,
    Audit audit,
    List<Instance> instances,
    Cost cost,
    Histograms latency,
    List<Minute> minutes,
    Failover failover,
    List<String> problems) {

  /** What was run. */
  public record Setup(
      int gateways,
      int drivers,
      int riders,
      long seconds,
      long periodMs,
      boolean discardingSink,
      String store,
      long killAtSeconds,
      long warmupSeconds,
      long intervalSeconds) {}

  /**
   * What the riders saw, summed over the drivers: the measurement window's acknowledgements and
   * their publish-to-PUBACK latency, and the run's totals (warm-up and settling included).
   */
  public record Fleet(
      int connections,
      double connectSeconds,
      long acked,
      double windowSeconds,
      double fixesPerSecond,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      long ackedTotal,
      long published,
      long skipped,
      long connectionsClosed,
      long resent,
      long neverAcknowledged,
      String firstError) {}

  /** Every acknowledged fix looked up in the table; null fields when the sink discards. */
  public record Audit(
      int riders,
      long acknowledged,
      long lost,
      int spotChecked,
      int spotMismatches,
      double seconds,
      String firstProblem) {}

  /** One gateway over the run (a killed one up to its last sample). */
  public record Instance(
      String name,
      long pid,
      boolean killed,
      long maxConnections,
      double cpuSeconds,
      double cores,
      long fixesWritten,
      double cpuMicrosPerFix,
      long maxRssBytes,
      long maxHeapBytes,
      long firstRssBytes,
      long lastRssBytes,
      long lastHeapBytes) {}

  /** CPU per durable fix over all instances (or per acknowledged fix with the discarding sink). */
  public record Cost(
      double cpuSeconds,
      long fixes,
      double cpuMicrosPerFix,
      double coresPer1000FixesPerSecond,
      double steadyCpuSeconds,
      long steadyFixes,
      double steadyCpuMicrosPerFix) {}

  /**
   * The store's round trips (each BatchWriteItem, gateway histogram) beside the acknowledgements
   * (gateway histogram: fix received to PUBACK sent), by upper bucket bound, summed over the
   * instances.
   */
  public record Histograms(
      long storeWrites,
      double storeP50Ms,
      double storeP99Ms,
      double storeMaxBucketMs,
      long gatewayAcks,
      double gatewayAckP50Ms,
      double gatewayAckP99Ms,
      double gatewayAckMaxBucketMs,
      List<Bucket> buckets) {}

  public record Bucket(double upToMs, long storeWrites, long acks) {}

  /**
   * One minute of the run: throughput, ack tail, and the largest instance's memory. {@code
   * floorHeapBytes} is the highest per-instance low point of the used heap in the minute (what
   * survives GC), the figure that shows a leak where the sawtooth maximum does not.
   */
  public record Minute(
      int minute,
      double fixesPerSecond,
      double p99Ms,
      double maxMs,
      long maxRssBytes,
      long maxHeapBytes,
      long floorHeapBytes,
      double cpuCores,
      double cpuMicrosPerFix) {}

  /**
   * One gateway killed: its riders' way to the others and what a dispatcher on a surviving instance
   * saw.
   */
  public record Failover(
      String killed,
      double killedAtSecond,
      long connectionsOnKilled,
      long reconnected,
      double reconnectP50Ms,
      double reconnectP99Ms,
      double reconnectMaxMs,
      List<long[]> reconnectsPerSecondAfterKill,
      long resent,
      String liveOn,
      long liveFixes,
      int liveRidersSeen,
      int liveRidersSeenAfterKill,
      long liveGapP50Ms,
      long liveGapP99Ms,
      long liveGapMaxMs,
      long liveMaxFirstFixAfterKillMs) {}
}
