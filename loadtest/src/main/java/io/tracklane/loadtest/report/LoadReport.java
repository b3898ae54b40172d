package io.tracklane.loadtest.report;

import io.tracklane.loadtest.AckedFixAudit;
import io.tracklane.loadtest.MqttFleet;
import io.tracklane.loadtest.ResourceSampler;
import io.tracklane.loadtest.gatling.GatlingPhase;
import java.util.List;
import java.util.Locale;

/**
 * One load-test run's numbers, with the targets they are judged against.
 *
 * @param rawItemsPerSecond dynalite's raw BatchWriteItem(25) capacity on this machine, this run,
 *     empty
 * @param rawBeforePeakItemsPerSecond the same, measured again right before the peak phase (dynalite
 *     then holds the rider phase's fixes and serves more slowly)
 */
public record LoadReport(
    String started,
    String finished,
    Machine machine,
    boolean smoke,
    double rawItemsPerSecond,
    double rawBeforePeakItemsPerSecond,
    FleetPhase riderPhase,
    AckedFixAudit.Result riderAudit,
    FleetPhase peakPhase,
    AckedFixAudit.Result peakAudit,
    FleetPhase riderDiscardPhase,
    FleetPhase discardPhase,
    FleetPhase mosquittoPhase,
    List<GatlingPhase.SimulationResult> gatling) {

  public static final int TARGET_RIDERS = 50_000;
  public static final double TARGET_P99_MS = 200;
  public static final long TARGET_HEAP_BYTES = 2L << 30;
  public static final double TARGET_PEAK_RATIO = 0.9;
  public static final double TARGET_PROTOCOL_RATIO = 1.0;

  public record Machine(int cores, String cpu, String java, long openFilesLimit) {}

  /** One driven phase: what the fleet saw and what the server process used. */
  public record FleetPhase(
      String name,
      int connections,
      double connectSeconds,
      double seconds,
      double fixesPerSecond,
      long acked,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      double maxMs,
      long errors,
      long refused,
      long resent,
      long neverAcknowledged,
      String errorDetail,
      double cpuCores,
      long maxRssBytes,
      long rssForConnectionsBytes,
      long maxHeapUsedBytes,
      long storeWrites,
      double storeP50Ms,
      double storeP99Ms,
      double storeMaxMs,
      double gatewayGcPauseMaxMs) {

    /**
     * @param rssForConnections resident memory the connections added (after connecting − before)
     */
    public static FleetPhase of(
        String name,
        MqttFleet.Result r,
        ResourceSampler.Usage u,
        double connectSeconds,
        long rssForConnections) {
      return new FleetPhase(
          name,
          r.riders(),
          connectSeconds,
          r.measured().toMillis() / 1000.0,
          r.fixesPerSecond(),
          r.ackedTotal(),
          r.p50Ms(),
          r.p95Ms(),
          r.p99Ms(),
          r.maxMs(),
          r.errors(),
          r.refused(),
          r.resent(),
          r.neverAcknowledged(),
          r.errorDetail(),
          u.cpuCores(),
          u.maxRssBytes(),
          rssForConnections,
          u.maxHeapUsedBytes(),
          u.store().writes(),
          u.store().p50Ms(),
          u.store().p99Ms(),
          u.store().maxBucketMs(),
          u.maxGcPauseMs());
    }

    /** Resident memory the connections added, per 1,000 connections, in MiB. */
    public double rssMiBPer1000() {
      return connections == 0 || rssForConnectionsBytes <= 0
          ? 0
          : rssForConnectionsBytes / 1048576.0 / connections * 1000;
    }

    /** CPU cores per 1,000 fixes/s. */
    public double cpuPer1000FixesPerSecond() {
      return fixesPerSecond == 0 ? 0 : cpuCores / fixesPerSecond * 1000;
    }

    public String summary() {
      return String.format(
          Locale.ROOT,
          "%s: %d connections, %.0f fixes/s, ack p50 %.1f / p95 %.1f / p99 %.1f / max %.1f ms,"
              + " errors %d, CPU %.2f cores, RSS max %.0f MiB, heap max %.0f MiB",
          name,
          connections,
          fixesPerSecond,
          p50Ms,
          p95Ms,
          p99Ms,
          maxMs,
          errors,
          cpuCores,
          maxRssBytes / 1048576.0,
          maxHeapUsedBytes / 1048576.0);
    }
  }

  /** Acknowledged fixes missing from the table, over every checked phase. */
  public long lost() {
    return riderAudit.lost()
        + riderAudit.spotMismatches()
        + peakAudit.lost()
        + peakAudit.spotMismatches();
  }

  /** Peak ingest through the gateway over dynalite's raw capacity in the same state. */
  public double peakRatio() {
    return rawBeforePeakItemsPerSecond == 0
        ? 0
        : peakPhase.fixesPerSecond() / rawBeforePeakItemsPerSecond;
  }

  /** Discarding sink vs Mosquitto (NaN without Mosquitto). */
  public double protocolRatio() {
    return mosquittoPhase == null || mosquittoPhase.fixesPerSecond() == 0
        ? Double.NaN
        : discardPhase.fixesPerSecond() / mosquittoPhase.fixesPerSecond();
  }
}
