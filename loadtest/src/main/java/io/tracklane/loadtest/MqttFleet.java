package io.tracklane.loadtest;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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
 * {@code ts} (starting a day in the past, +1 ms per fix, so every fix is a distinct item well
 * inside the gateway's acceptance window).
 *
 * <p>Two modes: {@linkplain Mode#CLOSED_LOOP closed loop}, where each rider keeps up to {@code
 * window} messages in flight and publishes the next one whenever a PUBACK arrives, and {@linkplain
 * Mode#PACED paced}, where each rider publishes every {@code periodMs} (a phone's cadence),
 * skipping a beat if {@code window} messages are still unacknowledged.
 *
 * <p>A PUBACK from the gateway means the fix is durably stored, so "acked" counts stored fixes. The
 * first {@code warmup} of a run is excluded from the reported throughput and latency; after the
 * measurement window the riders stop publishing and the fleet waits (bounded) for the
 * acknowledgements still in flight, which count in {@link Result#ackedTotal()}.
 *
 * <p>Only loopback addresses are accepted as the target. Riders are spread over the fleet's own
 * event loops (one verticle per loop); each rider's state is confined to its loop.
 */
public final class MqttFleet implements AutoCloseable {

  public enum Mode {
    CLOSED_LOOP,
    PACED
  }

  /** Big enough for any payload the gateway accepts (its default limit plus MQTT overhead). */
  static final int MAX_MESSAGE_BYTES = 262_144 + 1024;

  private static final long CONNECT_TIMEOUT_MS = 30_000;

  /** Connections opened at once per event loop. */
  private static final int CONNECT_WAVE = 100;

  private static final long CLOSE_TIMEOUT_MS = 15_000;
  private static final long DAY_MS = 86_400_000L;
  private static final int MAX_RECONNECT_ATTEMPTS = 20;

  /**
   * @param host loopback address of the gateway's MQTT listener
   * @param window most unacknowledged messages per rider
   * @param periodMs paced mode: time between a rider's publishes (ignored in closed loop)
   * @param settleTimeout after the window, how long to wait for acknowledgements still in flight
   * @param eventLoops event-loop threads the fleet's connections run on
   */
  public record Settings(
      String host,
      int port,
      int riders,
      Mode mode,
      int window,
      long periodMs,
      Duration warmup,
      Duration duration,
      Duration settleTimeout,
      int eventLoops,
      int sourceAddresses) {
    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(mode, "mode");
      if (port <= 0 || port > 65_535)
        throw new IllegalArgumentException("port out of range: " + port);
      if (riders <= 0) throw new IllegalArgumentException("riders must be positive");
      if (window <= 0 || window > 10_000)
        throw new IllegalArgumentException("window must be 1..10000");
      if (mode == Mode.PACED && periodMs <= 0)
        throw new IllegalArgumentException("periodMs must be positive");
      if (warmup.isNegative()
          || duration.isNegative()
          || duration.isZero()
          || settleTimeout.isNegative()) {
        throw new IllegalArgumentException("warmup/settle must be >= 0 and duration > 0");
      }
      if (eventLoops <= 0) throw new IllegalArgumentException("eventLoops must be positive");
      if (sourceAddresses < 1 || sourceAddresses > 250)
        throw new IllegalArgumentException("sourceAddresses must be 1..250");
      requireLoopback(host);
    }

    /** Each rider keeps {@code window} messages in flight for {@code warmup + duration}. */
    public static Settings closedLoop(
        int port, int riders, int window, Duration warmup, Duration duration) {
      return new Settings(
          "127.0.0.1",
          port,
          riders,
          Mode.CLOSED_LOOP,
          window,
          0,
          warmup,
          duration,
          Duration.ofSeconds(30),
          1,
          1);
    }

    /** Each rider publishes every {@code periodMs}, at most {@code window} unacknowledged. */
    public static Settings paced(
        int port, int riders, long periodMs, int window, Duration warmup, Duration duration) {
      return new Settings(
          "127.0.0.1",
          port,
          riders,
          Mode.PACED,
          window,
          periodMs,
          warmup,
          duration,
          Duration.ofSeconds(30),
          1,
          1);
    }

    public Settings withEventLoops(int n) {
      return new Settings(
          host,
          port,
          riders,
          mode,
          window,
          periodMs,
          warmup,
          duration,
          settleTimeout,
          n,
          sourceAddresses);
    }

    public Settings withSettleTimeout(Duration d) {
      return new Settings(
          host,
          port,
          riders,
          mode,
          window,
          periodMs,
          warmup,
          duration,
          d,
          eventLoops,
          sourceAddresses);
    }

    /**
     * Connections bound to 127.0.0.1 … 127.0.0.n in turn: one source address has about 28,000
     * ephemeral ports towards one server port, too few for a large fleet.
     */
    public Settings withSourceAddresses(int n) {
      return new Settings(
          host,
          port,
          riders,
          mode,
          window,
          periodMs,
          warmup,
          duration,
          settleTimeout,
          eventLoops,
          n);
    }
  }

  /**
   * @param acked fixes acknowledged (= stored) inside the measurement window
   * @param measured actual length of the measurement window
   * @param fixesPerSecond {@code acked / measured}
   * @param p50Ms publish-to-PUBACK latency of the acknowledgements inside the window
   * @param errors publish failures, lost connections, unexpected PUBACKs and messages still
   *     unacknowledged after the settle timeout
   * @param ackedTotal distinct fixes acknowledged during the run, warm-up and settling included
   *     (what the table must hold)
   * @param published PUBLISH packets sent
   * @param skipped paced mode: beats skipped because the window was full
   * @param errorDetail breakdown of {@code errors} and the first error seen, or "" if none
   * @param refused connections the gateway closed (MQTT 3.1.1 refusals, or it went away); the rider
   *     reconnected and resent what was unacknowledged
   * @param resent messages sent again after a reconnect
   * @param neverAcknowledged fixes published but never acknowledged, even after resending
   */
  public record Result(
      Mode mode,
      int riders,
      long acked,
      Duration measured,
      double fixesPerSecond,
      double p50Ms,
      double p99Ms,
      double maxMs,
      long errors,
      long ackedTotal,
      long published,
      long skipped,
      String errorDetail,
      long refused,
      long resent,
      long neverAcknowledged,
      double p95Ms) {}

  /** Called on a fleet event loop at the edges of the measurement window; keep it short. */
  public interface WindowListener {
    default void windowStarted() {}

    default void windowEnded() {}
  }

  public static String riderId(int i) {
    return "rider-" + i;
  }

  public static String taskId(int i) {
    return "task-" + i;
  }

  public static String topic(int i) {
    return "tracklane/v1/tasks/" + taskId(i) + "/fixes";
  }

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
  private final LongAdder ackedDistinct = new LongAdder();
  private final LongAdder resent = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder unexpectedAcks = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  /** The gateways' MQTT ports; a rider picks one by its id and moves to another when it fails. */
  private final List<Integer> ports;

  /** Riders are firstRider+1 .. firstRider+riders (a driver process runs one slice of a fleet). */
  private final int firstRider;

  /** Successful reconnections by epoch second (the failover timeline). */
  private final ConcurrentHashMap<Long, LongAdder> reconnectsBySecond = new ConcurrentHashMap<>();

  /** Time from a lost connection to the next accepted one, in ms. */
  private final Recorder reconnectMillis = new Recorder(3);

  /** Acknowledgement latency since the last {@link #takeInterval()}, for per-minute tables. */
  private final Recorder intervalLatency = new Recorder(3);

  private final LongAdder intervalAcked = new LongAdder();
  private volatile Histogram windowLatency;
  private volatile boolean closing;
  private boolean ran;

  private MqttFleet(Settings settings, List<Integer> ports, int firstRider) {
    this.settings = settings;
    this.ports = List.copyOf(ports);
    this.firstRider = firstRider;
    if (this.ports.isEmpty()) throw new IllegalArgumentException("no gateway port");
    if (firstRider < 0) throw new IllegalArgumentException("firstRider must be >= 0");
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(settings.eventLoops())
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
  }

  /**
   * Connects every rider (fails if any is refused or the connections take longer than 30 s).
   *
   * @param tokens the access token of a rider id
   */
  public static MqttFleet connect(Settings settings, Function<String, String> tokens)
      throws Exception {
    return connect(settings, tokens, List.of(settings.port()), 0);
  }

  /**
   * Riders {@code firstRider+1 .. firstRider+settings.riders()} spread over the gateways at {@code
   * ports} the way a network load balancer spreads them: by a hash of the rider id, and, when a
   * rider's gateway closes its connection or refuses it, over the other gateways.
   */
  public static MqttFleet connect(
      Settings settings, Function<String, String> tokens, List<Integer> ports, int firstRider)
      throws Exception {
    MqttFleet fleet = new MqttFleet(settings, ports, firstRider);
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
    for (int i = firstRider + 1; i <= firstRider + settings.riders(); i++) {
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
    Future.all(deployed).await(CONNECT_TIMEOUT_MS + 5L * settings.riders(), TimeUnit.MILLISECONDS);
  }

  /** Threads the riders run on (to tell the fleet's CPU use from the gateway's). */
  public Set<Long> threadIds() {
    return Set.copyOf(threadIds);
  }

  public Settings settings() {
    return settings;
  }

  /** One rider's acknowledged fixes, for checking the store afterwards. */
  public record AckedFixes(
      String taskId, String riderId, Set<Long> ts, long lastTs, double lastLat, double lastLon) {}

  /** Every rider's acknowledged fixes; call after {@link #run}. */
  public List<AckedFixes> ackedFixes() throws Exception {
    List<Future<List<AckedFixes>>> parts = new ArrayList<>();
    for (Group g : groups) {
      Promise<List<AckedFixes>> p = Promise.promise();
      g.context()
          .runOnContext(
              v -> {
                List<AckedFixes> out = new ArrayList<>();
                for (Rider r : g.riders) {
                  Pending last = r.lastAcked;
                  out.add(
                      new AckedFixes(
                          taskId(r.index),
                          r.riderId,
                          Set.copyOf(r.ackedTs),
                          last == null ? -1 : last.ts(),
                          last == null ? 0 : last.lat(),
                          last == null ? 0 : last.lon()));
                }
                p.complete(out);
              });
      parts.add(p.future());
    }
    List<AckedFixes> all = new ArrayList<>();
    for (Future<List<AckedFixes>> f : parts) all.addAll(f.await(30, TimeUnit.SECONDS));
    return all;
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
    if (Vertx.currentContext() != null)
      throw new IllegalStateException("run() blocks; not on an event loop");
    if (ran) throw new IllegalStateException("a fleet runs once");
    ran = true;

    Promise<Window> windowDone = Promise.promise();
    long warmupMs = settings.warmup().toMillis();
    long durationMs = settings.duration().toMillis();
    for (Group g : groups) g.context().runOnContext(v -> g.begin());
    Runnable openWindow =
        () -> {
          try {
            long ackedBefore = acked.sum();
            latencyMicros.reset();
            long started = System.nanoTime();
            notify(listener::windowStarted);
            vertx.setTimer(
                Math.max(1, durationMs),
                t -> {
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
        noteError(
            "acknowledgements still outstanding after "
                + settings.settleTimeout().toMillis()
                + " ms");
      }
    }

    long ackedTotal = ackedDistinct.sum();
    long sent = published.sum();
    long unsettled = Math.max(0, sent - ackedTotal);
    long errors = publishFailed.sum() + connectionsLost.sum() + unexpectedAcks.sum() + unsettled;
    String detail =
        errors == 0
            ? ""
            : String.format(
                "publish failed %d, connections closed by the gateway %d (%d messages unacknowledged, resent %d, "
                    + "reconnects %d), unexpected PUBACKs %d, never acknowledged %d; first: %s",
                publishFailed.sum(),
                connectionsLost.sum(),
                lostInFlight.sum(),
                resent.sum(),
                reconnects.sum(),
                unexpectedAcks.sum(),
                unsettled,
                firstError.get());
    Duration measured = Duration.ofNanos(w.nanos);
    double seconds = w.nanos / 1e9;
    Histogram h = w.latency;
    windowLatency = h;
    boolean any = h.getTotalCount() > 0;
    return new Result(
        settings.mode(),
        settings.riders(),
        w.acked,
        measured,
        w.acked / seconds,
        any ? h.getValueAtPercentile(50) / 1000.0 : 0,
        any ? h.getValueAtPercentile(99) / 1000.0 : 0,
        any ? h.getMaxValue() / 1000.0 : 0,
        errors,
        ackedTotal,
        sent,
        skipped.sum(),
        detail,
        connectionsLost.sum(),
        resent.sum(),
        unsettled,
        h.getValueAtPercentile(95) / 1000.0);
  }

  /** The measurement window's acknowledgement latencies (µs); after {@link #run}. */
  public Histogram windowLatency() {
    return windowLatency;
  }

  /** Acknowledgements and their latencies (µs) since the previous call. */
  public record Interval(long acked, Histogram latency) {}

  public Interval takeInterval() {
    return new Interval(intervalAcked.sumThenReset(), intervalLatency.getIntervalHistogram());
  }

  /** Reconnections that succeeded, by epoch second. */
  public Map<Long, Long> reconnectsBySecond() {
    Map<Long, Long> out = new TreeMap<>();
    reconnectsBySecond.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Lost-connection-to-reconnected times (ms) so far. */
  public Histogram reconnectMillis() {
    return reconnectMillis.getIntervalHistogram();
  }

  /** Fixes sent again after a reconnection, so far. */
  public long resentCount() {
    return resent.sum();
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

    Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      threadIds.add(Thread.currentThread().getId());
      return connectFrom(0);
    }

    /** Connects in waves: thousands of simultaneous SYNs overflow the listen backlog. */
    private Future<Void> connectFrom(int first) {
      if (first >= riders.size()) return Future.succeededFuture();
      int end = Math.min(riders.size(), first + CONNECT_WAVE);
      List<Future<Void>> wave = new ArrayList<>(end - first);
      for (int i = first; i < end; i++) wave.add(riders.get(i).connect(vertx));
      return Future.all(wave).compose(v -> connectFrom(end));
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

  /** One fix as published: kept until acknowledged, resent after a reconnect. */
  private record Pending(long ts, double lat, double lon, Buffer payload) {}

  /** One simulated phone; confined to its group's event loop. */
  private final class Rider {
    final int index;
    final String riderId;
    final String topic;
    final String token;
    final String localAddress;
    final RideAlongLoop ride;

    /** Unacknowledged publishes by MQTT message id, with the time they were sent. */
    final HashMap<Integer, Pending> unacked = new HashMap<>();

    final HashMap<Integer, Long> sentAt = new HashMap<>();

    /** What a lost connection left unacknowledged, oldest first: sent again after reconnecting. */
    final ArrayDeque<Pending> resend = new ArrayDeque<>();

    /** The ts of every acknowledged fix (a resent fix acknowledged twice counts once). */
    final HashSet<Long> ackedTs = new HashSet<>();

    Pending lastAcked;
    MqttClient client;

    /** Index into {@code ports} of the gateway this rider is on. */
    int target;

    int moves;
    long lostAtNanos;
    long lastTs;
    int inFlight;
    boolean connected;
    boolean stopping;
    boolean gaveUp;
    int reconnectAttempts;
    long timer = -1;
    Promise<Void> settled;

    Rider(int index, String token, long baseTs) {
      this.index = index;
      this.riderId = MqttFleet.riderId(index);
      this.topic = MqttFleet.topic(index);
      this.token = token;
      this.localAddress = "127.0.0." + (1 + (index - 1) % settings.sourceAddresses());
      this.lastTs = baseTs;
      this.ride = new RideAlongLoop(index);
      this.target = Math.floorMod(spread(riderId, 0), ports.size());
    }

    /** Off the gateway that failed, to one of the others chosen by the rider id. */
    void moveOff() {
      target = otherTarget(riderId, target, ports.size(), ++moves);
    }

    Future<Void> connect(Vertx vertx) {
      MqttClientOptions o =
          new MqttClientOptions()
              .setClientId("bench-" + riderId)
              .setUsername(riderId)
              .setPassword(token)
              .setCleanSession(true)
              .setMaxInflightQueue(settings.window())
              .setAutoKeepAlive(true)
              .setMaxMessageSize(MAX_MESSAGE_BYTES);
      o.setConnectTimeout(10_000);
      if (settings.sourceAddresses() > 1) o.setLocalAddress(localAddress);
      MqttClient c = MqttClient.create(vertx, o);
      client = c;
      c.publishCompletionHandler(id -> onAck(c, id));
      c.publishCompletionUnknownPacketIdHandler(
          id -> {
            unexpectedAcks.increment();
            noteError(riderId + ": PUBACK for unknown message id " + id);
          });
      c.closeHandler(v -> onClosed(vertx, c));
      c.exceptionHandler(err -> noteError(riderId + ": " + err));
      int port = ports.get(target);
      return c.connect(port, settings.host())
          .<Void>map(
              ack -> {
                connected = true;
                return null;
              })
          .recover(
              err ->
                  Future.failedFuture(
                      new IllegalStateException(
                          riderId
                              + " could not connect to "
                              + settings.host()
                              + ":"
                              + port
                              + " from "
                              + localAddress
                              + ": "
                              + err,
                          err)));
    }

    void begin(Vertx vertx) {
      if (settings.mode() == Mode.CLOSED_LOOP) {
        fill();
      } else {
        long period = settings.periodMs();
        long offset =
            1 + ThreadLocalRandom.current().nextLong(period); // jittered start over the period
        timer = vertx.setPeriodic(offset, period, id -> tick());
      }
    }

    /** Closed loop: top the window up (resends first). */
    void fill() {
      while (connected
          && !gaveUp
          && inFlight < settings.window()
          && (!resend.isEmpty() || !stopping)) {
        if (!resend.isEmpty()) {
          send(resend.pollFirst(), true);
        } else if (settings.mode() == Mode.CLOSED_LOOP) {
          send(next(), false);
        } else {
          break;
        }
      }
    }

    void tick() {
      if (stopping || gaveUp) return;
      if (!connected || inFlight >= settings.window()) {
        skipped.increment();
        return;
      }
      send(next(), false);
    }

    /** The next fix: wall-clock ts (strictly increasing), the rider's position on its loop. */
    Pending next() {
      long ts = Math.max(System.currentTimeMillis(), lastTs + 1);
      lastTs = ts;
      double[] p = ride.at(ts);
      return new Pending(ts, p[0], p[1], Buffer.buffer(payload(ts, p[0], p[1])));
    }

    void send(Pending fix, boolean again) {
      inFlight++;
      if (again) resent.increment();
      long sent = System.nanoTime();
      MqttClient c = client;
      c.publish(topic, fix.payload(), MqttQoS.AT_LEAST_ONCE, false, false)
          .onComplete(
              ar -> {
                if (c != client) {
                  // the connection this went out on is gone: onClosed already queued it for
                  // resending
                  return;
                }
                if (ar.succeeded()) {
                  if (!again) published.increment();
                  unacked.put(ar.result(), fix);
                  sentAt.put(ar.result(), sent);
                } else {
                  inFlight--;
                  if (connected) {
                    publishFailed.increment();
                    noteError(riderId + ": publish failed: " + ar.cause());
                  }
                  resend.addFirst(fix);
                  settleIfDone();
                }
              });
    }

    void onAck(MqttClient c, int messageId) {
      if (c != client) return;
      long now = System.nanoTime();
      Long sent = sentAt.remove(messageId);
      Pending fix = unacked.remove(messageId);
      if (sent == null || fix == null) {
        unexpectedAcks.increment();
        noteError(riderId + ": PUBACK " + messageId + " before its publish completed");
        return;
      }
      acked.increment();
      intervalAcked.increment();
      intervalLatency.recordValue(Math.max(1, (now - sent) / 1000));
      if (ackedTs.add(fix.ts())) ackedDistinct.increment();
      lastAcked = fix;
      latencyMicros.recordValue(Math.max(1, (now - sent) / 1000));
      inFlight--;
      if (stopping) {
        fill(); // resends still owed
        settleIfDone();
      } else {
        fill();
      }
    }

    /** The gateway closed the connection (a refusal, or it went away): reconnect and resend. */
    void onClosed(Vertx vertx, MqttClient c) {
      if (closing || c != client) return;
      connected = false;
      connectionsLost.increment();
      lostInFlight.add(unacked.size());
      List<Pending> owed = new ArrayList<>(unacked.values());
      owed.sort((a, b) -> Long.compare(a.ts(), b.ts()));
      for (int i = owed.size() - 1; i >= 0; i--) resend.addFirst(owed.get(i));
      unacked.clear();
      sentAt.clear();
      inFlight = 0;
      noteError(
          riderId
              + ": connection closed by the gateway with "
              + owed.size()
              + " messages unacknowledged");
      client = null;
      lostAtNanos = System.nanoTime();
      moveOff();
      scheduleReconnect(vertx);
    }

    void scheduleReconnect(Vertx vertx) {
      if (closing) return;
      if (++reconnectAttempts > MAX_RECONNECT_ATTEMPTS) {
        gaveUp = true;
        noteError(riderId + ": gave up after " + MAX_RECONNECT_ATTEMPTS + " reconnect attempts");
        settleIfDone();
        return;
      }
      long delay = 250 + ThreadLocalRandom.current().nextLong(750);
      vertx.setTimer(
          delay,
          t ->
              connect(vertx)
                  .onComplete(
                      ar -> {
                        if (ar.succeeded()) {
                          reconnects.increment();
                          reconnectsBySecond
                              .computeIfAbsent(
                                  System.currentTimeMillis() / 1000, k -> new LongAdder())
                              .increment();
                          reconnectMillis.recordValue(
                              Math.max(1, (System.nanoTime() - lostAtNanos) / 1_000_000));
                          reconnectAttempts = 0;
                          fill();
                          settleIfDone();
                        } else {
                          client = null;
                          moveOff();
                          scheduleReconnect(vertx);
                        }
                      }));
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
      if (settled != null && (gaveUp || (connected && inFlight == 0 && resend.isEmpty())))
        settled.tryComplete();
    }

    Future<Void> disconnect() {
      MqttClient c = client;
      if (c == null || !c.isConnected()) return Future.succeededFuture();
      try {
        return c.disconnect();
      } catch (RuntimeException alreadyClosed) {
        return Future.succeededFuture();
      }
    }
  }

  /**
   * A rider's ride: round and round a 1 km loop at 5 m/s, each rider on its own loop around
   * Shanghai, so positions move like a phone's and every fix differs.
   */
  static final class RideAlongLoop {
    static final double RADIUS_M = 160;
    static final double SPEED_MPS = 5;
    final double centerLat;
    final double centerLon;
    final double phase;

    RideAlongLoop(int index) {
      centerLat = 31.10 + (index % 200) * 0.002;
      centerLon = 121.30 + (index / 200 % 200) * 0.002;
      phase = (index * 0.618_034) % 1.0 * 2 * Math.PI;
    }

    /** [lat, lon] at epoch ms {@code ts}. */
    double[] at(long ts) {
      double angle = phase + SPEED_MPS * (ts / 1000.0) / RADIUS_M;
      double north = RADIUS_M * Math.sin(angle);
      double east = RADIUS_M * Math.cos(angle);
      return new double[] {
        centerLat + Math.toDegrees(north / 6_371_008.8),
        centerLon + Math.toDegrees(east / (6_371_008.8 * Math.cos(Math.toRadians(centerLat))))
      };
    }
  }

  /**
   * The gateway a rider moves to when {@code failed} (of {@code n}) dropped or refused it: one of
   * the others, picked by the rider id and attempt, so a dead instance's riders spread evenly over
   * the live ones.
   */
  static int otherTarget(String riderId, int failed, int n, int attempt) {
    if (n == 1) return 0;
    int pick = Math.floorMod(spread(riderId, attempt), n - 1);
    return pick >= failed ? pick + 1 : pick;
  }

  /**
   * A well-mixed hash of a rider id and an attempt number (what a load balancer's flow hash does).
   */
  static int spread(String riderId, int attempt) {
    long h = riderId.hashCode() * 0x9E3779B97F4A7C15L + attempt * 0xC2B2AE3D27D4EB4FL;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 32;
    return (int) h;
  }

  static String payload(long ts, double lat, double lon) {
    return new StringBuilder(112)
        .append("{\"ts\":")
        .append(ts)
        .append(",\"lat\":")
        .append(round6(lat))
        .append(",\"lon\":")
        .append(round6(lon))
        .append(",\"acc\":5.0,\"spd\":3.1,\"hdg\":90,\"bat\":0.8}")
        .toString();
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  static void requireLoopback(String host) {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "the fleet only targets loopback addresses, not " + host);
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + host, e);
    }
  }
}
