package io.tracklane.loadtest;

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
  public record Usage(double seconds, double cpuCores, long maxRssBytes, long maxHeapUsedBytes, int samples) {}

  private final GatewayProcess gateway;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "resource-sampler");
    t.setDaemon(true);
    return t;
  });
  private final long startedNanos = System.nanoTime();
  private final double startCpu;
  private volatile long maxRss;
  private volatile long maxHeap;
  private volatile int samples;

  public ResourceSampler(GatewayProcess gateway, long everyMs) throws Exception {
    this.gateway = gateway;
    this.startCpu = gateway.cpuSeconds();
    timer.scheduleAtFixedRate(this::sample, 0, everyMs, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      maxRss = Math.max(maxRss, gateway.residentBytes()[0]);
      maxHeap = Math.max(maxHeap, gateway.heapUsedBytes());
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
    return new Usage(seconds, (gateway.cpuSeconds() - startCpu) / seconds, maxRss, maxHeap, samples);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
