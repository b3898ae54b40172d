package io.tracklane.gateway.live;

import io.tracklane.gateway.access.StaticTaskAccess;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.it.GatewayHarness;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live stream fan-out latency: a real gateway (dynalite), N SSE clients (Vert.x HTTP client)
 * watching every task, and riders posting fixes over HTTP at a steady rate. For every fix and every
 * client: the time from the start of the POST to the fix event's arrival at the client (so it
 * includes the durable write). Prints p50/p99/max over all deliveries against the target p99 ≤ 50
 * ms, and exits non-zero when the target is missed or a delivery is lost.
 *
 * <pre>
 * mvn -B -q -pl gateway test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.tracklane.gateway.live.FanoutBenchmark
 * </pre>
 *
 * Options: {@code -Dbench.clients=200 -Dbench.rate=50} (fixes/s) {@code -Dbench.seconds=20
 * -Dbench.riders=20 -Dbench.warmupSeconds=5 -Dbench.lingerMs=15} (the gateway's batch linger, part
 * of the write's latency: a lone fix waits that long for company before it is written).
 */
public final class FanoutBenchmark {
  static final double TARGET_P99_MS = 50;

  private FanoutBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = Integer.getInteger("bench.clients", 200);
    int rate = Integer.getInteger("bench.rate", 50);
    int seconds = Integer.getInteger("bench.seconds", 20);
    int riders = Integer.getInteger("bench.riders", 20);
    int warmup = Integer.getInteger("bench.warmupSeconds", 5);
    String linger =
        System.getProperty("bench.lingerMs", GatewaySettings.BATCH_LINGER_MS.defaultValue());
    int code = run(clients, rate, seconds, riders, warmup, linger);
    // the shared test fixtures (dynalite, the harness's Vert.x) keep non-daemon threads: exit
    // explicitly
    System.exit(code);
  }

  static int run(int clients, int rate, int seconds, int riders, int warmupSeconds, String lingerMs)
      throws Exception {
    Map<String, String> assignments = new LinkedHashMap<>();
    for (int r = 0; r < riders; r++) assignments.put("bench-task-" + r, "bench-rider-" + r);
    Vertx vertx = Vertx.vertx();
    try (GatewayHarness h =
        GatewayHarness.start(
            false,
            Map.of(GatewaySettings.BATCH_LINGER_MS.env(), lingerMs),
            new StaticTaskAccess(assignments))) {
      int port = h.httpPort();
      String manager = GatewayHarness.token("bench-manager", "manager");
      List<String> riderTokens = new ArrayList<>();
      for (int r = 0; r < riders; r++)
        riderTokens.add(GatewayHarness.riderToken("bench-rider-" + r));

      int warmupFixes = warmupSeconds * rate;
      int fixes = warmupFixes + seconds * rate;
      long ts0 = System.currentTimeMillis() - 120_000;
      // POST start (nanoTime) per fix, keyed by its ts (unique: ts0 + fix number)
      Map<Long, Long> postStart = new ConcurrentHashMap<>();
      AtomicLongArray firstArrival = new AtomicLongArray(fixes);
      AtomicLongArray lastArrival = new AtomicLongArray(fixes);
      AtomicLongArray latencies = new AtomicLongArray(clients * (fixes - warmupFixes));
      AtomicLongArray fanout = new AtomicLongArray(latencies.length());
      AtomicInteger recorded = new AtomicInteger();
      // when the gateway published each fix event (after its durable write), seen from its event
      // bus
      AtomicLongArray publishedAt = new AtomicLongArray(fixes);
      h.vertx
          .eventBus()
          .addOutboundInterceptor(
              ctx -> {
                if (LiveEvents.ADDRESS.equals(ctx.message().address())
                    && ctx.message().body() instanceof JsonObject e
                    && "fix".equals(e.getString("event"))) {
                  long k = e.getLong("ts") - ts0;
                  if (k >= 0 && k < fixes) publishedAt.compareAndSet((int) k, 0, System.nanoTime());
                }
                ctx.next();
              });
      AtomicInteger delivered = new AtomicInteger();

      HttpClient sseClient =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(clients + 10));
      CountDownLatch ready = new CountDownLatch(clients);
      for (int c = 0; c < clients; c++) {
        // each client on its own context (spread over the event loops), its handlers set there
        io.vertx.core.Context where = vertx.getOrCreateContext();
        where.runOnContext(
            v ->
                connect(
                    sseClient,
                    port,
                    manager,
                    ready,
                    ts -> {
                      long now = System.nanoTime();
                      Long start = postStart.get(ts);
                      if (start == null) return;
                      int n = (int) (ts - ts0);
                      firstArrival.compareAndSet(n, 0, now);
                      lastArrival.accumulateAndGet(n, now, Math::max);
                      delivered.incrementAndGet();
                      if (n >= warmupFixes) {
                        int i = recorded.getAndIncrement();
                        if (i < latencies.length()) {
                          latencies.set(i, now - start);
                          long published = publishedAt.get(n);
                          if (published > 0) fanout.set(i, now - published);
                        }
                      }
                    }));
      }
      if (!ready.await(60, TimeUnit.SECONDS))
        throw new IllegalStateException("SSE clients did not connect");
      System.out.printf(
          "%d SSE clients connected; posting %d fixes/s for %d s (+%d s warm-up) from %d riders; "
              + "batch linger %s ms; %d cores%n",
          clients,
          rate,
          seconds,
          warmupSeconds,
          riders,
          lingerMs,
          Runtime.getRuntime().availableProcessors());

      HttpClient poster =
          vertx.createHttpClient(
              new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
      AtomicLongArray ackLatency = new AtomicLongArray(fixes);
      AtomicInteger acked = new AtomicInteger();
      AtomicInteger failed = new AtomicInteger();
      Promise<Void> allSent = Promise.promise();
      AtomicInteger next = new AtomicInteger();
      long periodNanos = 1_000_000_000L / rate;
      long startNanos = System.nanoTime();
      // a steady (open-loop) schedule: fix k is due at start + k/rate, whatever earlier POSTs do
      vertx.setPeriodic(
          1,
          id -> {
            long due = (System.nanoTime() - startNanos) / periodNanos + 1;
            while (next.get() < Math.min(due, fixes)) {
              int k = next.getAndIncrement();
              int r = k % riders;
              long ts = ts0 + k;
              String body =
                  new JsonObject()
                      .put("ts", ts)
                      .put("lat", 31.23 + r * 0.001)
                      .put("lon", 121.47 + k * 1e-6)
                      .put("acc", 5.0)
                      .encode();
              long start = System.nanoTime();
              postStart.put(ts, start);
              poster
                  .request(
                      new RequestOptions()
                          .setMethod(HttpMethod.POST)
                          .setHost("127.0.0.1")
                          .setPort(port)
                          .setURI("/v1/tasks/bench-task-" + r + "/fixes")
                          .putHeader("Authorization", "Bearer " + riderTokens.get(r))
                          .putHeader("Content-Type", "application/json"))
                  .compose(req -> req.send(Buffer.buffer(body)))
                  .compose(res -> res.body().map(b -> res.statusCode()))
                  .onComplete(
                      ar -> {
                        if (ar.succeeded() && ar.result() == 200) {
                          ackLatency.set(k, System.nanoTime() - start);
                          acked.incrementAndGet();
                        } else {
                          failed.incrementAndGet();
                        }
                      });
            }
            if (next.get() >= fixes) {
              vertx.cancelTimer(id);
              allSent.tryComplete();
            }
          });
      allSent.future().await(seconds + warmupSeconds + 60L, TimeUnit.SECONDS);
      long expected = (long) clients * fixes;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((delivered.get() < expected || acked.get() + failed.get() < fixes)
          && System.nanoTime() < deadline) {
        Future<Void> tick = Future.future(p -> vertx.setTimer(20, t -> p.complete()));
        tick.await(1, TimeUnit.SECONDS);
      }
      double sentSeconds = (System.nanoTime() - startNanos) / 1e9;

      int n = Math.min(recorded.get(), latencies.length());
      long[] lat = new long[n];
      for (int i = 0; i < n; i++) lat[i] = latencies.get(i);
      Arrays.sort(lat);
      long[] fan = new long[n];
      for (int i = 0; i < n; i++) fan[i] = fanout.get(i);
      Arrays.sort(fan);
      long[] acks = new long[fixes - warmupFixes];
      int a = 0;
      for (int k = warmupFixes; k < fixes; k++)
        if (ackLatency.get(k) > 0) acks[a++] = ackLatency.get(k);
      acks = Arrays.copyOf(acks, a);
      Arrays.sort(acks);
      long[] spread = new long[fixes - warmupFixes];
      int s = 0;
      for (int k = warmupFixes; k < fixes; k++) {
        if (firstArrival.get(k) > 0) spread[s++] = lastArrival.get(k) - firstArrival.get(k);
      }
      spread = Arrays.copyOf(spread, s);
      Arrays.sort(spread);

      System.out.printf(
          "fixes posted: %d in %.1f s (%d acknowledged, %d failed)%n",
          fixes, sentSeconds, acked.get(), failed.get());
      System.out.printf(
          "deliveries: %d of %d expected (%d clients x %d fixes)%n",
          delivered.get(), expected, clients, fixes);
      System.out.printf(
          "POST -> SSE arrival, over %d measured deliveries: p50 %.1f ms, p99 %.1f ms, max %.1f ms "
              + "(target p99 <= %.0f ms)%n",
          n, ms(pct(lat, 50)), ms(pct(lat, 99)), ms(max(lat)), TARGET_P99_MS);
      System.out.printf(
          "  fan-out alone (fix event published after the write -> SSE arrival): p50 %.1f ms, "
              + "p99 %.1f ms, max %.1f ms%n",
          ms(pct(fan, 50)), ms(pct(fan, 99)), ms(max(fan)));
      System.out.printf(
          "  POST -> 200 (durable write): p50 %.1f ms, p99 %.1f ms; first -> last client of a fix: "
              + "p50 %.1f ms, p99 %.1f ms%n",
          ms(pct(acks, 50)), ms(pct(acks, 99)), ms(pct(spread, 50)), ms(pct(spread, 99)));
      LiveMetrics m = h.gateway.liveMetrics();
      System.out.printf(
          "gateway: live events sent %.0f, coalesced %.0f, slow clients disconnected %.0f%n",
          m.sentCount(), m.coalescedCount(), m.slowDisconnectCount());
      boolean ok =
          n > 0
              && ms(pct(lat, 99)) <= TARGET_P99_MS
              && delivered.get() >= expected
              && failed.get() == 0;
      System.out.println(ok ? "RESULT: PASS" : "RESULT: FAIL");
      sseClient.close();
      poster.close();
      return ok ? 0 : 1;
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * One SSE client; {@code ready} counts down at its snapshot_complete; {@code onFix} gets the ts
   * of every fix event. Parsing is kept to finding the event kind and ts, so that 200 clients in
   * the benchmark's JVM cost little next to the gateway.
   */
  private static void connect(
      HttpClient http,
      int port,
      String token,
      CountDownLatch ready,
      java.util.function.LongConsumer onFix) {
    StringBuilder pending = new StringBuilder();
    boolean[] counted = {false};
    http.request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/v1/live")
                .putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .onSuccess(
            res ->
                res.handler(
                    chunk -> {
                      pending.append(chunk.toString(StandardCharsets.UTF_8));
                      int end;
                      while ((end = pending.indexOf("\n\n")) >= 0) {
                        String block = pending.substring(0, end);
                        pending.delete(0, end + 2);
                        if (block.startsWith("data: {\"event\":\"fix\"")) {
                          int at = block.indexOf("\"ts\":") + 5;
                          int end2 = at;
                          while (end2 < block.length() && Character.isDigit(block.charAt(end2)))
                            end2++;
                          onFix.accept(Long.parseLong(block, at, end2, 10));
                        } else if (!counted[0]
                            && block.startsWith("data: {\"event\":\"snapshot_complete\"")) {
                          counted[0] = true;
                          ready.countDown();
                        }
                      }
                    }))
        .onFailure(err -> System.err.println("SSE client failed: " + err));
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static long max(long[] sorted) {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
