package io.tracklane.loadtest;

import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples a gateway process every few seconds during a window: CPU, resident memory, heap. */
public final class ResourceSampler implements AutoCloseable {
  /**
   * @param cpuCores mean CPU use over the window, in cores (1.0 = one core busy)
   * @param maxRssBytes largest resident set size seen
   * @param maxHeapUsedBytes largest heap in use seen (from the gateway's /metrics)
   */
  public record Usage(
      double seconds,
      double cpuCores,
      long maxRssBytes,
      long maxHeapUsedBytes,
      int samples,
      StoreLatency store,
      double maxGcPauseMs) {
    public Usage(
        double seconds, double cpuCores, long maxRssBytes, long maxHeapUsedBytes, int samples) {
      this(seconds, cpuCores, maxRssBytes, maxHeapUsedBytes, samples, StoreLatency.NONE, 0);
    }
  }

  /**
   * The gateway's BatchWriteItem round trips during the window (from its histogram {@code
   * tracklane_batch_write_latency_seconds}), upper bucket bounds in ms.
   */
  public record StoreLatency(long writes, double p50Ms, double p99Ms, double maxBucketMs) {
    static final StoreLatency NONE = new StoreLatency(0, 0, 0, 0);
  }

  private final GatewayProcess gateway;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "resource-sampler");
            t.setDaemon(true);
            return t;
          });
  private final long startedNanos = System.nanoTime();
  private final double startCpu;
  private volatile long maxRss;
  private volatile long maxHeap;
  private volatile int samples;
  private final TreeMap<Double, Double> bucketsAtStart;
  private volatile double maxGcPauseMs;

  public ResourceSampler(GatewayProcess gateway, long everyMs) throws Exception {
    this.gateway = gateway;
    this.startCpu = gateway.cpuSeconds();
    this.bucketsAtStart = buckets(gateway);
    timer.scheduleAtFixedRate(this::sample, 0, everyMs, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      maxRss = Math.max(maxRss, gateway.residentBytes()[0]);
      maxHeap = Math.max(maxHeap, gateway.heapUsedBytes());
      maxGcPauseMs = Math.max(maxGcPauseMs, gcPauseMaxMs(gateway));
      samples++;
    } catch (Exception e) {
      // a missed sample is not a failed run; the next one counts
    }
  }

  /** Stops sampling and returns the window's usage. */
  public Usage finish() throws Exception {
    timer.shutdownNow();
    sample();
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    return new Usage(
        seconds,
        (gateway.cpuSeconds() - startCpu) / seconds,
        maxRss,
        maxHeap,
        samples,
        storeLatency(bucketsAtStart, buckets(gateway)),
        maxGcPauseMs);
  }

  /** Cumulative bucket counts of the batch-write latency histogram, by upper bound (s). */
  static TreeMap<Double, Double> buckets(GatewayProcess gw) {
    TreeMap<Double, Double> b = new TreeMap<>();
    try {
      for (String line : gw.metrics().split("\n")) {
        if (!line.startsWith("tracklane_batch_write_latency_seconds_bucket{")) continue;
        String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        b.put(bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    } catch (Exception e) {
      // no histogram (e.g. the discarding sink): no store latency
    }
    return b;
  }

  static double gcPauseMaxMs(GatewayProcess gw) {
    double max = 0;
    try {
      for (String line : gw.metrics().split("\n")) {
        if (line.startsWith("jvm_gc_pause_seconds_max{")) {
          max = Math.max(max, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000);
        }
      }
    } catch (Exception e) {
      // a missed sample
    }
    return max;
  }

  static StoreLatency storeLatency(TreeMap<Double, Double> start, TreeMap<Double, Double> end) {
    if (end.isEmpty()) return StoreLatency.NONE;
    double total = end.lastEntry().getValue() - start.getOrDefault(end.lastKey(), 0.0);
    if (total <= 0) return StoreLatency.NONE;
    double p50 = 0;
    double p99 = 0;
    double maxBound = 0;
    double previous = 0;
    for (var e : end.entrySet()) {
      double cum = e.getValue() - start.getOrDefault(e.getKey(), 0.0);
      if (p50 == 0 && cum >= total * 0.5) p50 = e.getKey() * 1000;
      if (p99 == 0 && cum >= total * 0.99) p99 = e.getKey() * 1000;
      if (cum > previous) maxBound = e.getKey() * 1000;
      previous = cum;
    }
    return new StoreLatency((long) total, p50, p99, maxBound);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
