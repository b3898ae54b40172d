package io.tracklane.gateway.live;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.progress.ProgressConfig;
import io.tracklane.core.progress.ProgressEvent;
import io.tracklane.core.progress.TaskProgressTracker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of this instance: one entry per task in progress that has sent a fix, with its
 * rider, its latest fix and (when its route is known) a {@link TaskProgressTracker}. Runs on the
 * gateway's event loop only.
 *
 * <p>Flow. {@link #stored} collects the durably written fixes of one turn of the event loop and
 * publishes them cluster-wide as one {@link LiveFixBatch} on {@link LiveEvents#FIXES_ADDRESS}.
 * Every instance (this one included) consumes those batches and feeds its own trackers, then
 * publishes the engine's events to its <em>local</em> consumers only. So every instance holds the
 * whole live state and computes the same progress, whichever instance a rider's payloads reach (a
 * load balancer may alternate), and every consumer of the address sees each event once. Task status
 * notifications are likewise published locally by each instance's own {@link TaskStatusListener}.
 *
 * <p>A task's first fix on an instance (after a start, or after it was evicted) looks up its route
 * and rebuilds the tracker from the latest stored fixes that came before it; fixes arriving
 * meanwhile wait and are then applied in ts order. The engine sees each task's fixes in strictly
 * increasing ts order, except late ones: an older fix (a late offline upload) is still streamed as
 * a {@code fix} event and fed to the engine, which never moves progress back for it nor raises a
 * stale alert, but lets it reach a checkpoint that fits the order (it may be the only fix that came
 * within the checkpoint's radius).
 *
 * <p>Eviction: a status other than in_progress drops the task (completed, cancelled and expired are
 * remembered for the idle time, so a straggling fix does not bring them back); a task without a fix
 * for {@code idleMs} is dropped.
 */
public final class LiveTracking {
  private static final Logger log = LoggerFactory.getLogger(LiveTracking.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final Set<String> TERMINAL = Set.of("completed", "cancelled", "expired");

  /** After a failed route or history lookup, the next fix tries again after this long. */
  static final long RETRY_AFTER_FAILURE_MS = 30_000;

  /** A route and history lookup taking longer than this counts as failed. */
  static final long LOAD_TIMEOUT_MS = 15_000;

  /** The {@code event} of the engine's progress updates. */
  static final String PROGRESS = "progress";

  private enum State {
    LOADING,
    TRACKING,
    NO_ROUTE,
    FAILED
  }

  private static final class Entry {
    final String taskId;
    String riderId;
    State state = State.LOADING;
    TaskProgressTracker tracker;

    /** Fixes that arrived while the tracker was being built. */
    final List<Fix> pending = new ArrayList<>();

    /** Greatest ts the engine has seen. */
    long engineTs = Long.MIN_VALUE;

    /** The latest fix (greatest ts) and when anything last arrived. */
    LiveFix lastFix;

    long lastSeenMs;
    long retryAtMs;

    Entry(String taskId) {
      this.taskId = taskId;
    }
  }

  private final Vertx vertx;
  private final RouteSource routes;
  private final FixHistory history;
  private final ProgressConfig config;
  private final long idleMs;
  private final int historyFixes;
  private final LongSupplier clock;
  private final Consumer<String> statusChanged;
  private final Map<String, Entry> entries = new HashMap<>();

  /** Tasks that ended, with when: a fix for them arriving late does not track them again. */
  private final Map<String, Long> ended = new HashMap<>();

  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<LiveFixBatch> fixConsumer;
  private long sweepTimer = -1;

  /** Fixes stored in the current turn of the event loop, published together at its end. */
  private List<LiveFix> outgoing = new ArrayList<>();

  /**
   * @param statusChanged told the id of every task whose status changed (e.g. to drop a cached
   *     access decision)
   */
  public LiveTracking(
      Vertx vertx,
      RouteSource routes,
      FixHistory history,
      ProgressConfig config,
      long idleMs,
      int historyFixes,
      LiveMetrics metrics,
      LongSupplier clock,
      Consumer<String> statusChanged) {
    this.vertx = vertx;
    this.routes = routes;
    this.history = history;
    this.config = config;
    this.idleMs = idleMs;
    this.historyFixes = historyFixes;
    this.clock = clock;
    this.statusChanged = statusChanged;
    metrics.trackers(entries::size);
    LiveFixBatchCodec.registerOn(vertx);
  }

  /**
   * Subscribes to the live address; completes once the subscription is registered (cluster-wide).
   */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(LiveEvents.ADDRESS, msg -> handle(msg.body()));
    fixConsumer = LiveFixBatch.subscribe(vertx, this::onFix);
    sweepTimer = vertx.setPeriodic(Math.max(1000, Math.min(60_000, idleMs / 4)), id -> sweep());
    return Future.all(consumer.completion(), fixConsumer.completion()).mapEmpty();
  }

  public Future<Void> close() {
    if (sweepTimer >= 0) vertx.cancelTimer(sweepTimer);
    entries.clear();
    if (consumer == null) return Future.succeededFuture();
    return Future.all(consumer.unregister(), fixConsumer.unregister()).mapEmpty();
  }

  /**
   * A payload's fixes were durably written: queue them, in ts order, for the one batch this turn of
   * the event loop publishes to every instance. Never throws (the payload is already acknowledged).
   */
  public void stored(String taskId, String riderId, List<Fix> fixes, long receivedAt) {
    try {
      List<Fix> ordered = new ArrayList<>(fixes);
      ordered.sort(Comparator.comparingLong(Fix::ts));
      boolean first = outgoing.isEmpty();
      for (Fix f : ordered) outgoing.add(new LiveFix(taskId, riderId, f, receivedAt));
      if (first && !outgoing.isEmpty()) vertx.runOnContext(v -> publishOutgoing());
    } catch (RuntimeException e) {
      log.warn("live: could not publish fixes of task {}: {}", taskId, e.toString());
    }
  }

  private void publishOutgoing() {
    List<LiveFix> batch = outgoing;
    outgoing = new ArrayList<>();
    try {
      vertx.eventBus().publish(LiveEvents.FIXES_ADDRESS, new LiveFixBatch(batch));
    } catch (RuntimeException e) {
      log.warn("live: could not publish {} stored fixes: {}", batch.size(), e.toString());
    }
  }

  /** One {@code task_snapshot} per task in the live state that {@code filter} matches. */
  public List<JsonObject> snapshot(LiveFilter filter) {
    List<JsonObject> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.lastFix == null || !filter.matches(e.taskId, e.riderId)) continue;
      JsonObject s =
          new JsonObject()
              .put("event", LiveEvents.TASK_SNAPSHOT)
              .put("taskId", e.taskId)
              .put("riderId", e.riderId)
              .put("lastFix", e.lastFix.fix().toJson())
              .put("updatedAt", Instant.ofEpochMilli(e.lastSeenMs).toString());
      if (e.state == State.TRACKING) {
        try {
          JsonObject progress = e.tracker.snapshot().toJson();
          progress.remove("event");
          s.put("progress", progress);
        } catch (RuntimeException err) {
          log.warn("live: no progress snapshot of task {}: {}", e.taskId, err.toString());
        }
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Which kinds of event a slow client may be sent only the latest of, per task: fixes and the
   * engine's progress updates (each supersedes the previous one). Alerts and status never.
   */
  public static boolean coalescable(String type) {
    return LiveEvents.FIX.equals(type) || PROGRESS.equals(type);
  }

  /** Tasks in the live state. */
  public int size() {
    return entries.size();
  }

  /** Whether a task has a progress tracker (for tests and diagnostics). */
  public boolean isTracking(String taskId) {
    Entry e = entries.get(taskId);
    return e != null && e.state == State.TRACKING;
  }

  private void handle(JsonObject event) {
    String type = event.getString("event");
    try {
      if (LiveEvents.FIX.equals(type)) {
        onFix(LiveFix.ofEvent(event));
      } else if (LiveEvents.TASK_STATUS.equals(type)) {
        onStatus(event);
      }
    } catch (RuntimeException e) {
      log.warn("live: event {} not applied: {}", type, e.toString());
    }
  }

  private void onFix(LiveFix event) {
    String taskId = event.taskId();
    if (taskId == null || ended.containsKey(taskId)) return;
    Fix fix = event.fix();
    long now = clock.getAsLong();
    Entry e = entries.get(taskId);
    if (e == null) {
      e = new Entry(taskId);
      entries.put(taskId, e);
      load(e, fix.ts());
    } else if (e.state == State.FAILED && now >= e.retryAtMs) {
      e.state = State.LOADING;
      e.engineTs = Long.MIN_VALUE;
      load(e, fix.ts());
    }
    if (event.riderId() != null) e.riderId = event.riderId();
    e.lastSeenMs = now;
    if (e.lastFix == null || fix.ts() >= e.lastFix.fix().ts()) e.lastFix = event;
    switch (e.state) {
      case LOADING -> e.pending.add(fix);
      case TRACKING -> apply(e, fix);
      default -> {}
    }
  }

  /** Route, then the stored fixes before {@code firstTs}, then the tracker rebuilt from them. */
  private void load(Entry e, long firstTs) {
    routes
        .routeOf(e.taskId)
        .compose(
            route -> {
              if (route == null) return Future.succeededFuture((TaskProgressTracker) null);
              return history
                  .latestBefore(e.taskId, firstTs, historyFixes)
                  .map(
                      fixes -> {
                        TaskProgressTracker t =
                            TaskProgressTracker.rebuild(e.taskId, route, config, fixes);
                        if (!fixes.isEmpty()) e.engineTs = fixes.get(fixes.size() - 1).ts();
                        return t;
                      });
            })
        .timeout(LOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              if (entries.get(e.taskId) != e) return; // evicted meanwhile
              List<Fix> waiting = new ArrayList<>(e.pending);
              e.pending.clear();
              if (ar.failed()) {
                log.warn(
                    "live: no progress for task {} yet (route or history lookup failed: {}); retrying on a later fix",
                    e.taskId,
                    ar.cause().toString());
                e.state = State.FAILED;
                e.retryAtMs = clock.getAsLong() + RETRY_AFTER_FAILURE_MS;
                e.engineTs = Long.MIN_VALUE;
                return;
              }
              if (ar.result() == null) {
                e.state = State.NO_ROUTE;
                return;
              }
              e.tracker = ar.result();
              e.state = State.TRACKING;
              waiting.sort(Comparator.comparingLong(Fix::ts));
              for (Fix f : waiting) apply(e, f);
            });
  }

  private void apply(Entry e, Fix fix) {
    // Late fixes go to the engine too: they move nothing, but may reach a checkpoint that no other
    // fix came within the radius of (the engine checks that they fit the checkpoint order).
    e.engineTs = Math.max(e.engineTs, fix.ts());
    List<ProgressEvent> events = e.tracker.onFix(fix);
    for (ProgressEvent pe : events) {
      JsonObject json = pe.toJson();
      if (!json.containsKey("taskId")) json.put("taskId", e.taskId);
      json.put("riderId", e.riderId);
      vertx.eventBus().publish(LiveEvents.ADDRESS, json, LOCAL);
    }
  }

  private void onStatus(JsonObject event) {
    String taskId = event.getString("taskId");
    if (taskId == null) return;
    statusChanged.accept(taskId);
    String status = event.getString("status");
    if ("in_progress".equals(status)) {
      ended.remove(taskId);
      return;
    }
    entries.remove(taskId);
    if (TERMINAL.contains(status)) ended.put(taskId, clock.getAsLong());
  }

  private void sweep() {
    long now = clock.getAsLong();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.state != State.LOADING && now - e.lastSeenMs >= idleMs) {
        it.remove();
        log.debug("live: task {} idle for {} ms, dropped", e.taskId, now - e.lastSeenMs);
      }
    }
    ended.values().removeIf(at -> now - at >= idleMs);
  }
}
