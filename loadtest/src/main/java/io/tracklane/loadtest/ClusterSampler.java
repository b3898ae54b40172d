package io.tracklane.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples every gateway of a multi-instance run every few seconds: CPU time, resident memory, heap,
 * open MQTT connections and fixes written, plus its store round-trip and acknowledgement
 * histograms. A killed instance simply stops answering; its last sample stands for it.
 */
final class ClusterSampler implements AutoCloseable {
  /** One reading of one gateway. */
  record Sample(
      long atMs,
      double cpuSeconds,
      long rssBytes,
      long heapBytes,
      long connections,
      double written) {}

  /** What one instance's samples add up to. */
  static final class Instance {
    final GatewayProcess gateway;
    final List<Sample> samples = new ArrayList<>();
    TreeMap<Double, Double> storeStart = new TreeMap<>();
    TreeMap<Double, Double> storeLast = new TreeMap<>();
    TreeMap<Double, Double> ackStart = new TreeMap<>();
    TreeMap<Double, Double> ackLast = new TreeMap<>();

    Instance(GatewayProcess gateway) {
      this.gateway = gateway;
    }

    synchronized Sample first() {
      return samples.isEmpty() ? null : samples.get(0);
    }

    synchronized Sample last() {
      return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    synchronized List<Sample> between(long fromMs, long toMs) {
      return samples.stream().filter(s -> s.atMs() > fromMs && s.atMs() <= toMs).toList();
    }
  }

  private final List<Instance> instances = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cluster-sampler");
            t.setDaemon(true);
            return t;
          });

  ClusterSampler(List<GatewayProcess> gateways, long everyMs) {
    for (GatewayProcess g : gateways) instances.add(new Instance(g));
    for (Instance i : instances) sample(i, true);
    timer.scheduleAtFixedRate(
        () -> instances.forEach(i -> sample(i, false)), everyMs, everyMs, TimeUnit.MILLISECONDS);
  }

  List<Instance> instances() {
    return instances;
  }

  /**
   * From {@code delayMs} on, the store and acknowledgement histograms count only what follows: the
   * warm-up's JIT and connection storm stay out of the steady-state tails.
   */
  void startHistogramsAfter(long delayMs) {
    timer.schedule(() -> instances.forEach(i -> sample(i, true)), delayMs, TimeUnit.MILLISECONDS);
  }

  /** Takes one more reading of every instance still alive (e.g. just before killing one). */
  void sampleNow() {
    instances.forEach(i -> sample(i, false));
  }

  private static void sample(Instance i, boolean first) {
    try {
      String metrics = i.gateway.metrics();
      double cpu = i.gateway.cpuSeconds();
      long rss = i.gateway.residentBytes()[0];
      Sample s =
          new Sample(
              System.currentTimeMillis(),
              cpu,
              rss,
              (long) sum(metrics, "jvm_memory_used_bytes{", "area=\"heap\""),
              (long) sum(metrics, "tracklane_mqtt_connections", null),
              sum(metrics, "tracklane_fixes_written_total", null));
      TreeMap<Double, Double> store = buckets(metrics, "tracklane_batch_write_latency_seconds");
      TreeMap<Double, Double> ack = buckets(metrics, "tracklane_ingest_ack_latency_seconds");
      synchronized (i) {
        i.samples.add(s);
        if (first) {
          i.storeStart = store;
          i.ackStart = ack;
        }
        i.storeLast = store;
        i.ackLast = ack;
      }
    } catch (Exception gone) {
      // killed, or a missed sample: the last good one stands
    }
  }

  /**
   * Sum of the values of the lines of metric {@code prefix} (whose labels contain {@code with}).
   */
  static double sum(String metrics, String prefix, String with) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(prefix) || (with != null && !line.contains(with))) continue;
      char next = line.length() > prefix.length() ? line.charAt(prefix.length()) : ' ';
      if (!prefix.endsWith("{") && next != ' ' && next != '{') continue;
      sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  /** Cumulative bucket counts of a Prometheus histogram, by upper bound in seconds. */
  static TreeMap<Double, Double> buckets(String metrics, String histogram) {
    TreeMap<Double, Double> b = new TreeMap<>();
    String prefix = histogram + "_bucket{";
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(prefix)) continue;
      String le = line.replaceAll(".*le=\"([^\"]+)\".*", "$1");
      double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
      b.merge(bound, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
    }
    return b;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
