package io.tracklane.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One driver process of a multi-instance load run: its own JVM (so its open files count against its
 * own limit) holding one slice of the fleet, riders {@code firstRider+1 .. firstRider+riders},
 * spread over the gateways like a load balancer would ({@link MqttFleet#connect(MqttFleet.Settings,
 * java.util.function.Function, List, int)}).
 *
 * <p>Protocol with {@link FleetDriverProcess}: connects every rider, prints {@code
 * DRIVER_CONNECTED}, waits for {@code GO} on stdin, rides, then writes {@code result.json} (the
 * fleet's result, the window's and each interval's latency histograms, the reconnection timeline)
 * and {@code acked.txt} (every acknowledged fix per rider, for the audit) into its folder, prints
 * {@code DRIVER_DONE} and exits. Arguments are system properties {@code driver.*}.
 */
public final class FleetDriverMain {
  private FleetDriverMain() {}

  public static void main(String[] args) throws Exception {
    List<Integer> ports =
        Arrays.stream(System.getProperty("driver.ports").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    int firstRider = Integer.getInteger("driver.firstRider", 0);
    int riders = Integer.getInteger("driver.riders");
    long periodMs = Long.getLong("driver.periodMs", 10_000L);
    Duration warmup = Duration.ofMillis(Long.getLong("driver.warmupMs", periodMs));
    Duration duration = Duration.ofSeconds(Long.getLong("driver.seconds", 60L));
    long intervalMs = Long.getLong("driver.intervalMs", 60_000L);
    Path out = Path.of(System.getProperty("driver.out"));
    Path tokensFile = Path.of(System.getProperty("driver.tokens"));
    Files.createDirectories(out);

    Map<String, String> tokens = new HashMap<>();
    for (String line : Files.readAllLines(tokensFile, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) tokens.put(line.substring(0, eq), line.substring(eq + 1));
    }
    MqttFleet.Settings s =
        MqttFleet.Settings.paced(
                ports.get(0),
                riders,
                periodMs,
                Integer.getInteger("driver.window", 4),
                warmup,
                duration)
            .withEventLoops(Integer.getInteger("driver.eventLoops", 1))
            .withSourceAddresses(Integer.getInteger("driver.sourceAddresses", 4))
            .withSettleTimeout(Duration.ofSeconds(Long.getLong("driver.settleSeconds", 60L)));
    long t0 = System.nanoTime();
    try (MqttFleet fleet = MqttFleet.connect(s, tokens::get, ports, firstRider)) {
      System.out.printf("DRIVER_CONNECTED %.1f%n", (System.nanoTime() - t0) / 1e9);
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String go = in.readLine();
      if (!"GO".equals(go)) throw new IllegalStateException("expected GO, got " + go);

      List<JsonObject> intervals = new ArrayList<>();
      long runStart = System.currentTimeMillis();
      ScheduledExecutorService clock =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "driver-intervals");
                t.setDaemon(true);
                return t;
              });
      Runnable take =
          () -> {
            MqttFleet.Interval iv = fleet.takeInterval();
            synchronized (intervals) {
              intervals.add(
                  new JsonObject()
                      .put("endMs", System.currentTimeMillis())
                      .put("acked", iv.acked())
                      .put("latency", encode(iv.latency())));
            }
          };
      clock.scheduleAtFixedRate(take, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
      MqttFleet.Result r = fleet.run();
      clock.shutdownNow();
      clock.awaitTermination(5, TimeUnit.SECONDS);
      take.run();

      JsonObject timeline = new JsonObject();
      fleet.reconnectsBySecond().forEach((sec, n) -> timeline.put(Long.toString(sec), n));
      JsonObject result =
          new JsonObject()
              .put("firstRider", firstRider)
              .put("riders", riders)
              .put("runStartMs", runStart)
              .put("acked", r.acked())
              .put("ackedTotal", r.ackedTotal())
              .put("published", r.published())
              .put("skipped", r.skipped())
              .put("errors", r.errors())
              .put("errorDetail", r.errorDetail())
              .put("connectionsClosed", r.refused())
              .put("resent", r.resent())
              .put("neverAcknowledged", r.neverAcknowledged())
              .put("measuredSeconds", r.measured().toNanos() / 1e9)
              .put("window", encode(fleet.windowLatency()))
              .put("reconnectMillis", encode(fleet.reconnectMillis()))
              .put("reconnectsBySecond", timeline);
      synchronized (intervals) {
        result.put("intervals", new JsonArray(new ArrayList<>(intervals)));
      }
      Files.writeString(out.resolve("result.json"), result.encode(), StandardCharsets.UTF_8);
      try (BufferedWriter w = Files.newBufferedWriter(out.resolve("acked.txt"))) {
        for (MqttFleet.AckedFixes a : fleet.ackedFixes()) {
          w.write(AckedFixesLine.format(a));
          w.newLine();
        }
      }
      System.out.println("DRIVER_DONE");
      System.out.flush();
    }
    System.exit(0);
  }

  /** An HdrHistogram as compressed Base64 (empty string for none). */
  static String encode(Histogram h) {
    if (h == null) return "";
    ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(b);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(b.array(), n));
  }

  static Histogram decode(String s) {
    if (s == null || s.isEmpty()) return new Histogram(3);
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(s)), 0);
    } catch (Exception e) {
      throw new IllegalStateException("bad histogram from a driver: " + e, e);
    }
  }
}
