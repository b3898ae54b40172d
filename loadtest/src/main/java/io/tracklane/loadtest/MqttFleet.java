package io.tracklane.loadtest;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A fleet of simulated riders publishing GPS fixes to the gateway over MQTT 3.1.1 at QoS 1, built
 * on the Vert.x MQTT client. Rider {@code i} (1-based) is {@code rider-i} with its own connection,
 * token and task {@code task-i}, and publishes single-fix payloads with a strictly increasing
 * {@code ts} (starting a day in the past, +1 ms per fix, so every fix is a distinct item well inside
 * the gateway's acceptance window).
 *
 * <p>Two modes: {@linkplain Mode#CLOSED_LOOP closed loop}, where each rider keeps up to
 * {@code window} messages in flight and publishes the next one whenever a PUBACK arrives, and
 * {@linkplain Mode#PACED paced}, where each rider publishes every {@code periodMs} (a phone's
 * cadence), skipping a beat if {@code window} messages are still unacknowledged.
 *
 * <p>A PUBACK from the gateway means the fix is durably stored, so "acked" counts stored fixes.
 * The first {@code warmup} of a run is excluded from the reported throughput and latency; after
 * the measurement window the riders stop publishing and the fleet waits (bounded) for the
 * acknowledgements still in flight, which count in {@link Result#ackedTotal()}.
 *
 * <p>Only loopback addresses are accepted as the target. Riders are spread over the fleet's own
 * event loops (one verticle per loop); each rider's state is confined to its loop.
 */
public final class MqttFleet implements AutoCloseable {

  public enum Mode { CLOSED_LOOP, PACED }

  /** Big enough for any payload the gateway accepts (its default limit plus MQTT overhead). */
  static final int MAX_MESSAGE_BYTES = 262_144 + 1024;
  private static final long CONNECT_TIMEOUT_MS = 30_000;
  private static final long CLOSE_TIMEOUT_MS = 15_000;
  private static final long DAY_MS = 86_400_000L;

  /**
   * @param host loopback address of the gateway's MQTT listener
   * @param window most unacknowledged messages per rider
   * @param periodMs paced mode: time between a rider's publishes (ignored in closed loop)
   * @param settleTimeout after the window, how long to wait for acknowledgements still in flight
   * @param eventLoops event-loop threads the fleet's connections run on
   */
  public record Settings(String host, int port, int riders, Mode mode, int window, long periodMs,
      Duration warmup, Duration duration, Duration settleTimeout, int eventLoops) {
    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(mode, "mode");
      if (port <= 0 || port > 65_535) throw new IllegalArgumentException("port out of range: " + port);
      if (riders <= 0) throw new IllegalArgumentException("riders must be positive");
      if (window <= 0 || window > 10_000) throw new IllegalArgumentException("window must be 1..10000");
      if (mode == Mode.PACED && periodMs <= 0) throw new IllegalArgumentException("periodMs must be positive");
      if (warmup.isNegative() || duration.isNegative() || duration.isZero() || settleTimeout.isNegative()) {
        throw new IllegalArgumentException("warmup/settle must be >= 0 and duration > 0");
      }
      if (eventLoops <= 0) throw new IllegalArgumentException("eventLoops must be positive");
      requireLoopback(host);
    }

    /** Each rider keeps {@code window} messages in flight for {@code warmup + duration}. */
    public static Settings closedLoop(int port, int riders, int window, Duration warmup, Duration duration) {
      return new Settings("127.0.0.1", port, riders, Mode.CLOSED_LOOP, window, 0, warmup, duration,
          Duration.ofSeconds(30), 1);
    }

    /** Each rider publishes every {@code periodMs}, at most {@code window} unacknowledged. */
    public static Settings paced(int port, int riders, long periodMs, int window, Duration warmup, Duration duration) {
      return new Settings("127.0.0.1", port, riders, Mode.PACED, window, periodMs, warmup, duration,
          Duration.ofSeconds(30), 1);
    }

    public Settings withEventLoops(int n) {
      return new Settings(host, port, riders, mode, window, periodMs, warmup, duration, settleTimeout, n);
    }

    public Settings withSettleTimeout(Duration d) {
      return new Settings(host, port, riders, mode, window, periodMs, warmup, duration, d, eventLoops);
    }
  }

  /**
   * @param acked fixes acknowledged (= stored) inside the measurement window
   * @param measured actual length of the measurement window
   * @param fixesPerSecond {@code acked / measured}
   * @param p50Ms publish-to-PUBACK latency of the acknowledgements inside the window
   * @param errors publish failures, lost connections, unexpected PUBACKs and messages still
   *     unacknowledged after the settle timeout
   * @param ackedTotal every fix acknowledged during the run, warm-up and settling included (what
   *     the table must hold)
   * @param published PUBLISH packets sent
   * @param skipped paced mode: beats skipped because the window was full
   * @param errorDetail breakdown of {@code errors} and the first error seen, or "" if none
   */
  public record Result(Mode mode, int riders, long acked, Duration measured, double fixesPerSecond,
      double p50Ms, double p99Ms, double maxMs, long errors, long ackedTotal, long published, long skipped,
      String errorDetail) {}

  /** Called on a fleet event loop at the edges of the measurement window; keep it short. */
  public interface WindowListener {
    default void windowStarted() {}

    default void windowEnded() {}
  }

  public static String riderId(int i) { return "rider-" + i; }

  public static String taskId(int i) { return "task-" + i; }

  public static String topic(int i) { return "tracklane/v1/tasks/" + taskId(i) + "/fixes"; }

  /** task-i → rider-i for riders 1..n, the assignments the gateway must know. */
  public static Map<String, String> assignments(int riders) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 1; i <= riders; i++) m.put(taskId(i), riderId(i));
    return m;
  }

  private final Settings settings;
  private final Vertx vertx;
  private final List<Group> groups = new ArrayList<>();
  private final Set<Long> threadIds = ConcurrentHashMap.newKeySet();

  private final Recorder latencyMicros = new Recorder(3);
  private final LongAdder acked = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder publishFailed = new LongAdder();
  private final LongAdder connectionsLost = new LongAdder();
  private final LongAdder lostInFlight = new LongAdder();
  private final LongAdder unexpectedAcks = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile boolean closing;
  private boolean ran;

  private MqttFleet(Settings settings) {
    this.settings = settings;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.eventLoops())
        .setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
  }

  /**
   * Connects every rider (fails if any is refused or the connections take longer than 30 s).
   *
   * @param tokens the access token of a rider id
   */
  public static MqttFleet connect(Settings settings, Function<String, String> tokens) throws Exception {
    MqttFleet fleet = new MqttFleet(settings);
    try {
      fleet.connectAll(tokens);
      return fleet;
    } catch (Exception | Error e) {
      fleet.close();
      throw e;
    }
  }

  private void connectAll(Function<String, String> tokens) throws Exception {
    int loops = Math.min(settings.eventLoops(), settings.riders());
    List<List<Rider>> split = new ArrayList<>();
    for (int g = 0; g < loops; g++) split.add(new ArrayList<>());
    long baseTs = System.currentTimeMillis() - DAY_MS;
    for (int i = 1; i <= settings.riders(); i++) {
      String token = Objects.requireNonNull(tokens.apply(riderId(i)), "no token for " + riderId(i));
      split.get((i - 1) % loops).add(new Rider(i, token, baseTs));
    }
    List<Future<String>> deployed = new ArrayList<>();
    for (List<Rider> riders : split) {
      Group g = new Group(riders);
      groups.add(g);
      // One verticle per group: each gets its own event-loop context, which its clients inherit.
      deployed.add(vertx.deployVerticle(g));
    }
    Future.all(deployed).await(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Threads the riders run on (to tell the fleet's CPU use from the gateway's). */
  public Set<Long> threadIds() {
    return Set.copyOf(threadIds);
  }

  public Settings settings() {
    return settings;
  }

  public Result run() throws Exception {
    return run(new WindowListener() {});
  }

  /**
   * Publishes for {@code warmup + duration}, then waits up to {@code settleTimeout} for the
   * outstanding acknowledgements. Blocks; call it once, from a thread that is not a Vert.x thread.
   */
  public synchronized Result run(WindowListener listener) throws Exception {
    Objects.requireNonNull(listener, "listener");
    if (Vertx.currentContext() != null) throw new IllegalStateException("run() blocks; not on an event loop");
    if (ran) throw new IllegalStateException("a fleet runs once");
    ran = true;

    Promise<Window> windowDone = Promise.promise();
    long warmupMs = settings.warmup().toMillis();
    long durationMs = settings.duration().toMillis();
    for (Group g : groups) g.context().runOnContext(v -> g.begin());
    Runnable openWindow = () -> {
      try {
        long ackedBefore = acked.sum();
        latencyMicros.reset();
        long started = System.nanoTime();
        notify(listener::windowStarted);
        vertx.setTimer(Math.max(1, durationMs), t -> {
          long ackedAfter = acked.sum();
          Histogram h = latencyMicros.getIntervalHistogram();
          long ended = System.nanoTime();
          notify(listener::windowEnded);
          windowDone.complete(new Window(ackedAfter - ackedBefore, ended - started, h));
        });
      } catch (RuntimeException e) {
        windowDone.tryFail(e);
      }
    };
    if (warmupMs <= 0) {
      vertx.runOnContext(v -> openWindow.run());
    } else {
      vertx.setTimer(warmupMs, t -> openWindow.run());
    }

    Window w;
    try {
      w = windowDone.future().await(warmupMs + durationMs + 30_000, TimeUnit.MILLISECONDS);
    } finally {
      List<Future<Void>> settled = new ArrayList<>();
      for (Group g : groups) {
        Promise<Void> p = Promise.promise();
        g.context().runOnContext(v -> g.stopPublishing().onComplete(p));
        settled.add(p.future());
      }
      try {
        Future.all(settled).await(settings.settleTimeout().toMillis() + 1, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        noteError("acknowledgements still outstanding after " + settings.settleTimeout().toMillis() + " ms");
      }
    }

    long ackedTotal = acked.sum();
    long sent = published.sum();
    long unsettled = Math.max(0, sent - ackedTotal - lostInFlight.sum());
    long errors = publishFailed.sum() + connectionsLost.sum() + unexpectedAcks.sum() + unsettled;
    String detail = errors == 0 ? "" : String.format(
        "publish failed %d, connections lost %d (%d messages unacknowledged), unexpected PUBACKs %d,"
            + " unsettled %d; first: %s", publishFailed.sum(), connectionsLost.sum(), lostInFlight.sum(),
        unexpectedAcks.sum(), unsettled, firstError.get());
    Duration measured = Duration.ofNanos(w.nanos);
    double seconds = w.nanos / 1e9;
    Histogram h = w.latency;
    boolean any = h.getTotalCount() > 0;
    return new Result(settings.mode(), settings.riders(), w.acked, measured, w.acked / seconds,
        any ? h.getValueAtPercentile(50) / 1000.0 : 0, any ? h.getValueAtPercentile(99) / 1000.0 : 0,
        any ? h.getMaxValue() / 1000.0 : 0, errors, ackedTotal, sent, skipped.sum(), detail);
  }

  private void notify(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (RuntimeException e) {
      noteError("window listener failed: " + e);
    }
  }

  private void noteError(String message) {
    firstError.compareAndSet(null, message);
  }

  /** Disconnects every rider and closes the fleet's Vert.x instance. */
  @Override
  public void close() throws Exception {
    closing = true;
    List<Future<Void>> closed = new ArrayList<>();
    for (Group g : groups) {
      if (g.context() == null) continue;
      Promise<Void> p = Promise.promise();
      g.context().runOnContext(v -> g.disconnectAll().onComplete(p));
      closed.add(p.future());
    }
    try {
      Future.join(closed).await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      noteError("disconnect: " + e);
    } finally {
      vertx.close().await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private record Window(long acked, long nanos, Histogram latency) {}

  /** Riders sharing one event loop. */
  private final class Group extends VerticleBase {
    final List<Rider> riders;

    Group(List<Rider> riders) {
      this.riders = riders;
    }

    io.vertx.core.Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      threadIds.add(Thread.currentThread().getId());
      List<Future<Void>> connected = new ArrayList<>(riders.size());
      for (Rider r : riders) connected.add(r.connect(vertx));
      return Future.all(connected);
    }

    void begin() {
      for (Rider r : riders) r.begin(vertx);
    }

    Future<Void> stopPublishing() {
      List<Future<Void>> settled = new ArrayList<>(riders.size());
      for (Rider r : riders) settled.add(r.stopPublishing(vertx));
      return Future.all(settled).mapEmpty();
    }

    Future<Void> disconnectAll() {
      List<Future<Void>> done = new ArrayList<>(riders.size());
      for (Rider r : riders) done.add(r.disconnect());
      return Future.join(done).mapEmpty();
    }
  }

  /** One simulated phone; confined to its group's event loop. */
  private final class Rider {
    final int index;
    final String riderId;
    final String topic;
    final String token;
    final double lat;
    final double lon;
    final HashMap<Integer, Long> sentAt = new HashMap<>();
    MqttClient client;
    long nextTs;
    long seq;
    int inFlight;
    boolean stopping;
    boolean lost;
    long timer = -1;
    Promise<Void> settled;

    Rider(int index, String token, long baseTs) {
      this.index = index;
      this.riderId = MqttFleet.riderId(index);
      this.topic = MqttFleet.topic(index);
      this.token = token;
      this.nextTs = baseTs;
      this.lat = 31.2 + (index % 100) * 0.001;
      this.lon = 121.4 + (index / 100) * 0.001;
    }

    Future<Void> connect(Vertx vertx) {
      MqttClientOptions o = new MqttClientOptions()
          .setClientId("bench-" + riderId)
          .setUsername(riderId)
          .setPassword(token)
          .setCleanSession(true)
          .setMaxInflightQueue(settings.window())
          .setAutoKeepAlive(true)
          .setMaxMessageSize(MAX_MESSAGE_BYTES);
      o.setConnectTimeout(10_000);
      client = MqttClient.create(vertx, o);
      client.publishCompletionHandler(this::onAck);
      client.publishCompletionUnknownPacketIdHandler(id -> {
        unexpectedAcks.increment();
        noteError(riderId + ": PUBACK for unknown message id " + id);
      });
      client.closeHandler(v -> onClosed());
      client.exceptionHandler(err -> noteError(riderId + ": " + err));
      return client.connect(settings.port(), settings.host())
          .<Void>mapEmpty()
          .recover(err -> Future.failedFuture(new IllegalStateException(
              riderId + " could not connect to " + settings.host() + ":" + settings.port() + ": " + err, err)));
    }

    void begin(Vertx vertx) {
      if (settings.mode() == Mode.CLOSED_LOOP) {
        fill();
      } else {
        long period = settings.periodMs();
        long offset = 1 + ThreadLocalRandom.current().nextLong(period); // spread riders over the period
        timer = vertx.setPeriodic(offset, period, id -> tick());
      }
    }

    /** Closed loop: top the window up; at most {@code window} publishes per call. */
    void fill() {
      int room = settings.window() - inFlight;
      for (int k = 0; k < room && !stopping && !lost; k++) publishOne();
    }

    void tick() {
      if (stopping || lost) return;
      if (inFlight >= settings.window()) {
        skipped.increment();
        return;
      }
      publishOne();
    }

    void publishOne() {
      long ts = nextTs++;
      long n = seq++;
      Buffer payload = Buffer.buffer(payload(ts, lat + (n % 1000) * 1e-5, lon + (n % 1000) * 1e-5));
      inFlight++;
      long sent = System.nanoTime();
      client.publish(topic, payload, MqttQoS.AT_LEAST_ONCE, false, false).onComplete(ar -> {
        if (ar.succeeded()) {
          published.increment();
          sentAt.put(ar.result(), sent);
        } else if (!lost) {
          inFlight--;
          publishFailed.increment();
          noteError(riderId + ": publish failed: " + ar.cause());
          settleIfDone();
        }
      });
    }

    void onAck(int messageId) {
      long now = System.nanoTime();
      Long sent = sentAt.remove(messageId);
      acked.increment();
      if (sent != null) {
        latencyMicros.recordValue(Math.max(1, (now - sent) / 1000));
      } else {
        unexpectedAcks.increment();
        noteError(riderId + ": PUBACK " + messageId + " before its publish completed");
      }
      inFlight--;
      if (stopping) {
        settleIfDone();
      } else if (settings.mode() == Mode.CLOSED_LOOP) {
        fill();
      }
    }

    void onClosed() {
      if (closing || lost) return;
      lost = true;
      connectionsLost.increment();
      lostInFlight.add(inFlight);
      noteError(riderId + ": connection closed by the gateway with " + inFlight + " messages unacknowledged");
      inFlight = 0;
      sentAt.clear();
      settleIfDone();
    }

    Future<Void> stopPublishing(Vertx vertx) {
      stopping = true;
      if (timer != -1) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      settled = Promise.promise();
      settleIfDone();
      return settled.future();
    }

    void settleIfDone() {
      if (settled != null && (inFlight == 0 || lost)) settled.tryComplete();
    }

    Future<Void> disconnect() {
      if (client == null || !client.isConnected()) return Future.succeededFuture();
      try {
        return client.disconnect();
      } catch (RuntimeException alreadyClosed) {
        return Future.succeededFuture();
      }
    }
  }

  static String payload(long ts, double lat, double lon) {
    return new StringBuilder(112).append("{\"ts\":").append(ts)
        .append(",\"lat\":").append(round6(lat)).append(",\"lon\":").append(round6(lon))
        .append(",\"acc\":5.0,\"spd\":3.1,\"hdg\":90,\"bat\":0.8}").toString();
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  static void requireLoopback(String host) {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new IllegalArgumentException("the fleet only targets loopback addresses, not " + host);
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + host, e);
    }
  }
}
