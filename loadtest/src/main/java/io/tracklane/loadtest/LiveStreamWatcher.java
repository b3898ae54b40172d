package io.tracklane.loadtest;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A dispatcher's live stream ({@code GET /v1/live}, Server-Sent Events, every task) on one gateway
 * of the cluster: per rider, how many fixes arrived and the longest silence between two of them, so
 * a failover run shows whether the riders of a killed instance kept appearing on a surviving one,
 * and after how long a gap.
 */
final class LiveStreamWatcher implements AutoCloseable {
  /** Per rider: fixes seen, the last arrival, the longest gap, the first arrival after the mark. */
  private static final class Seen {
    long fixes;
    long lastNanos;
    long maxGapNanos;
    long firstAfterMarkNanos = -1;
  }

  private final ConcurrentHashMap<String, Seen> riders = new ConcurrentHashMap<>();
  private final AtomicLong events = new AtomicLong();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private volatile Stream<String> body;
  private volatile long markNanos = Long.MAX_VALUE;
  private volatile long stopNanos = Long.MAX_VALUE;

  LiveStreamWatcher(int httpPort, String managerToken) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/live"))
            .header("Authorization", "Bearer " + managerToken)
            .header("Accept", "text/event-stream")
            .build();
    response = http.sendAsync(req, HttpResponse.BodyHandlers.ofLines());
    response.thenAcceptAsync(
        r -> {
          if (r.statusCode() != 200) return;
          body = r.body();
          try {
            body.forEach(this::onLine);
          } catch (RuntimeException closed) {
            // the stream ended (the run is over or the gateway went away)
          }
        });
  }

  /** Waits until the stream is open (200). */
  void awaitOpen(Duration timeout) throws Exception {
    int status = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
    if (status != 200) throw new IllegalStateException("live stream answered " + status);
  }

  private void onLine(String line) {
    if (!line.startsWith("data: ") || !line.contains("\"event\":\"fix\"")) return;
    long now = System.nanoTime();
    if (now > stopNanos) return;
    String rider = new JsonObject(line.substring(6)).getString("riderId");
    if (rider == null) return;
    events.incrementAndGet();
    Seen s = riders.computeIfAbsent(rider, r -> new Seen());
    synchronized (s) {
      if (s.lastNanos != 0) s.maxGapNanos = Math.max(s.maxGapNanos, now - s.lastNanos);
      s.lastNanos = now;
      s.fixes++;
      if (now >= markNanos && s.firstAfterMarkNanos < 0) s.firstAfterMarkNanos = now;
    }
  }

  /** From now on, note each rider's first fix (e.g. the moment a gateway is killed). */
  void mark() {
    markNanos = System.nanoTime();
  }

  /** Stops counting (the riders stop publishing). */
  void stop() {
    stopNanos = System.nanoTime();
  }

  /**
   * @param ridersSeen riders with at least one fix on the stream
   * @param ridersSeenAfterMark riders with a fix after {@link #mark()}
   * @param gapsMs each rider's longest silence between two fixes, ms (ascending)
   * @param maxFirstAfterMarkMs longest time from the mark to a rider's first fix after it
   */
  record Summary(
      long fixes,
      int ridersSeen,
      int ridersSeenAfterMark,
      List<Long> gapsMs,
      long maxFirstAfterMarkMs) {
    long gapPercentileMs(double p) {
      if (gapsMs.isEmpty()) return 0;
      int i = (int) Math.ceil(p / 100.0 * gapsMs.size()) - 1;
      return gapsMs.get(Math.max(0, Math.min(gapsMs.size() - 1, i)));
    }
  }

  Summary summary() {
    List<Long> gaps = new ArrayList<>();
    int afterMark = 0;
    long maxFirst = 0;
    for (Seen s : riders.values()) {
      synchronized (s) {
        gaps.add(s.maxGapNanos / 1_000_000);
        if (s.firstAfterMarkNanos >= 0) {
          afterMark++;
          maxFirst = Math.max(maxFirst, (s.firstAfterMarkNanos - markNanos) / 1_000_000);
        }
      }
    }
    gaps.sort(null);
    return new Summary(events.get(), riders.size(), afterMark, gaps, maxFirst);
  }

  @Override
  public void close() {
    response.cancel(true);
    Stream<String> b = body;
    if (b != null) b.close();
  }
}
