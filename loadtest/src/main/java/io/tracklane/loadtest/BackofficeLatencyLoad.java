package io.tracklane.loadtest;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop HTTP load on local-api: {@code callers} threads, each sending its share of the
 * requests one after another over a JDK {@link HttpClient} (HTTP/1.1, keep-alive), first a warm-up
 * (not recorded), then the measured requests. Latency is from just before {@code send} to the whole
 * body read, recorded per operation in microseconds.
 */
final class BackofficeLatencyLoad {
  /** Highest recordable latency (µs); slower requests are recorded at this value. */
  private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(60);

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final int ERROR_SAMPLES = 5;

  enum Op {
    TASKS("GET /tasks", "rider"),
    TASK("GET /tasks/{taskId}", "rider"),
    ROUTES("GET /routes", "admin"),
    ROUTE("GET /routes/{routeId}", "admin"),
    ME("GET /me", "rider, admin"),
    LOGIN("POST /auth/login", "public");

    final String label;
    final String as;

    Op(String label, String as) {
      this.label = label;
      this.as = as;
    }
  }

  /** One prepared request (immutable, reused) and the status it must get. */
  record Call(Op op, HttpRequest request, int expectedStatus) {}

  /** Latency per operation and for all of them, the measured wall time and the failures. */
  static final class Result {
    final int callers;
    final Map<Op, Histogram> byOp = new EnumMap<>(Op.class);
    final Histogram all = histogram();
    long wallNanos;

    /**
     * Collections and their accumulated time (all collectors of this JVM) during the measured
     * requests.
     */
    long gcCount;

    long gcMillis;
    long errors;
    final List<String> errorSamples = new ArrayList<>();

    Result(int callers) {
      this.callers = callers;
    }

    long requests() {
      return all.getTotalCount();
    }

    double perSecond() {
      return wallNanos <= 0 ? 0 : requests() * 1e9 / wallNanos;
    }

    synchronized void merge(Worker w) {
      w.byOp.forEach((op, h) -> byOp.computeIfAbsent(op, o -> histogram()).add(h));
      all.add(w.all);
      errors += w.errors;
      for (String s : w.errorSamples) {
        if (errorSamples.size() < ERROR_SAMPLES) errorSamples.add(s);
      }
    }
  }

  private final HttpClient client;

  BackofficeLatencyLoad() {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  static HttpRequest get(String baseUrl, String path, String token) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + token)
        .GET()
        .build();
  }

  static HttpRequest postJson(String baseUrl, String path, String json) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /**
   * One request outside any measurement (e.g. the initial logins); fails on an unexpected status.
   */
  String call(HttpRequest request, int expectedStatus) throws Exception {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expectedStatus) {
      throw new IllegalStateException(
          request.method()
              + " "
              + request.uri().getPath()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response.body();
  }

  /**
   * The calls in a fixed pseudo-random order (same every run), so each caller walks the same mix.
   */
  static List<Call> shuffled(List<Call> calls, long seed) {
    List<Call> list = new ArrayList<>(calls);
    Collections.shuffle(list, new Random(seed));
    return List.copyOf(list);
  }

  /**
   * Runs {@code warmup} then {@code measured} requests in total, split evenly over {@code callers}
   * threads; caller {@code c} walks {@code mix} starting at a different offset.
   */
  Result run(List<Call> mix, int callers, int warmup, int measured) throws Exception {
    Result result = new Result(callers);
    AtomicLong start = new AtomicLong();
    long[] gcAtStart = new long[2];
    CyclicBarrier measuring =
        new CyclicBarrier(
            callers,
            () -> {
              long[] gc = gcTotals();
              gcAtStart[0] = gc[0];
              gcAtStart[1] = gc[1];
              start.set(System.nanoTime());
            });
    ExecutorService threads =
        Executors.newFixedThreadPool(
            callers,
            r -> {
              Thread t = new Thread(r, "bench-caller");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Worker>> futures = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int offset = c * Math.max(1, mix.size() / callers);
        int warm = share(warmup, callers, c);
        int meas = share(measured, callers, c);
        futures.add(
            threads.submit(
                () -> {
                  Worker w = new Worker();
                  w.loop(mix, offset, warm, false);
                  try {
                    measuring.await(10, TimeUnit.MINUTES);
                  } catch (BrokenBarrierException e) {
                    throw new IllegalStateException("another caller failed", e);
                  }
                  w.loop(mix, offset + warm, meas, true);
                  return w;
                }));
      }
      for (Future<Worker> f : futures) {
        Worker w;
        try {
          w = f.get(30, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          measuring.reset();
          throw e;
        }
        result.merge(w);
      }
      result.wallNanos = System.nanoTime() - start.get();
      long[] gc = gcTotals();
      result.gcCount = gc[0] - gcAtStart[0];
      result.gcMillis = gc[1] - gcAtStart[1];
      return result;
    } finally {
      threads.shutdownNow();
    }
  }

  /** {collections, milliseconds} summed over this JVM's collectors. */
  static long[] gcTotals() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  private static int share(int total, int parts, int index) {
    return total / parts + (index < total % parts ? 1 : 0);
  }

  private static Histogram histogram() {
    return new Histogram(MAX_MICROS, 3);
  }

  /** One caller's requests and its own histograms (HdrHistogram is not thread-safe). */
  private final class Worker {
    final Map<Op, Histogram> byOp = new EnumMap<>(Op.class);
    final Histogram all = histogram();
    long errors;
    final List<String> errorSamples = new ArrayList<>();

    void loop(List<Call> mix, int offset, int count, boolean record) throws Exception {
      for (int i = 0; i < count; i++) {
        Call call = mix.get((offset + i) % mix.size());
        long t0 = System.nanoTime();
        HttpResponse<byte[]> response =
            client.send(call.request(), HttpResponse.BodyHandlers.ofByteArray());
        long micros = Math.max(1, Math.min(MAX_MICROS, (System.nanoTime() - t0) / 1_000));
        if (response.statusCode() != call.expectedStatus()) {
          errors++;
          if (errorSamples.size() < ERROR_SAMPLES) {
            byte[] body = response.body();
            String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            errorSamples.add(
                call.op().label
                    + " -> "
                    + response.statusCode()
                    + " "
                    + text.substring(0, Math.min(200, text.length())));
          }
        }
        if (record) {
          byOp.computeIfAbsent(call.op(), o -> histogram()).recordValue(micros);
          all.recordValue(micros);
        }
      }
    }
  }
}
