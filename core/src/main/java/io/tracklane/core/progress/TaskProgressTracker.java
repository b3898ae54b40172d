package io.tracklane.core.progress;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Live progress of one task along its route: feed it the task's fixes, it returns what changed.
 *
 * <p>Composed of small single-purpose parts: {@link FixFilter} (late, duplicate, inaccurate and
 * implausible fixes), {@link RouteMatcher} (where on the route the rider is), {@link
 * OffRouteDetector}, {@link StopDetector}, {@link CheckpointTracker}, {@link EtaEstimator} and
 * {@link ArrivalDetector}. It performs no I/O and reads no clock: all times are the fixes'.
 *
 * <p>Progress ({@code alongM}) is a high-water mark: it never decreases, except once, when the
 * first fix turns out to be a stale outlier ({@link FixFilter}: the next two fixes agree with each
 * other, not with it) and what it placed is discarded. It starts when the rider first comes within
 * {@code offRouteEnterM} of the route and advances from fixes placed on the route, and from the
 * projection of off-route fixes once OFF_ROUTE has been raised (a rider on a parallel road still
 * progresses); a lone far fix before that does not move it. A fix moves it ahead only by what the
 * rider's pace allows ({@link PlausibleStep}); a bigger jump needs a second fix that agrees with
 * it, and until then the fix's position shows but progress and ETA do not move. Checkpoints are
 * reached by fixes and by the plausible legs between them ({@link CheckpointTracker}).
 *
 * <p>Each accepted fix yields a {@link ProgressUpdate} followed by its alerts, in this order:
 * OFF_ROUTE / BACK_ON_ROUTE, STOPPED / MOVING, CHECKPOINT_REACHED (in checkpoint order), ARRIVED.
 * After ARRIVED the task is done: updates continue, alerts do not (except CHECKPOINT_REACHED from a
 * late fix). Ignored fixes (see {@link FixFilter}) yield nothing, except a late fix that reaches a
 * checkpoint: it yields the current state with the new count and that checkpoint's alert, and moves
 * nothing else. Every fix newer than all the others seen updates "last seen".
 *
 * <p>Not thread-safe: one tracker is owned by one event loop. The {@link RouteGeometry} is
 * immutable and shared.
 */
public final class TaskProgressTracker {
  private final String taskId;
  private final RouteGeometry route;
  private final double lengthM;
  private final ProgressConfig config;
  private final FixFilter filter;
  private final double maxAccuracyM;
  private final double maxSpeedMps;
  private final long pathMaxGapMs;
  private RouteMatcher matcher;
  private OffRouteDetector offRoute;
  private StopDetector stops;
  private CheckpointTracker checkpoints;
  private EtaEstimator eta;
  private ArrivalDetector arrival;

  private boolean seenAny;
  private long lastSeenTs;
  private boolean hasFix;
  private long ts;
  private double lat;
  private double lon;
  private double offRouteM;
  private double alongM;
  private long accepted;
  private long ignored;
  private FixFilter.Verdict lastVerdict;

  public TaskProgressTracker(String taskId, RouteGeometry route, ProgressConfig config) {
    this.taskId = Objects.requireNonNull(taskId, "taskId");
    this.route = Objects.requireNonNull(route, "route");
    this.config = Objects.requireNonNull(config, "config");
    this.lengthM = route.lengthM();
    this.filter = new FixFilter(config);
    this.maxAccuracyM = config.maxAccuracyM();
    this.maxSpeedMps = config.maxSpeedMps();
    this.pathMaxGapMs = config.checkpointPathMaxGap().toMillis();
    start();
  }

  /**
   * Fresh placement state: at construction, and when the first fix turns out to be a stale outlier.
   */
  private void start() {
    matcher = new RouteMatcher(route, config);
    offRoute = new OffRouteDetector(config);
    stops = new StopDetector(config);
    checkpoints = new CheckpointTracker(route, config);
    eta = new EtaEstimator(config);
    arrival = new ArrivalDetector(route, config);
    hasFix = false;
    alongM = 0;
    offRouteM = 0;
  }

  /**
   * A tracker in the state that feeding it {@code latestFixesInTsOrder} leaves, the events being
   * discarded: how the gateway resumes a task after a restart without raising its alerts again.
   * Progress starts from the first of the fixes, so pass all of the task's fixes when they are
   * available (on a route that passes a place twice, a history that starts mid-route is placed on
   * the first pass through its first fix).
   */
  public static TaskProgressTracker rebuild(
      String taskId, RouteGeometry route, ProgressConfig config, List<Fix> latestFixesInTsOrder) {
    TaskProgressTracker tracker = new TaskProgressTracker(taskId, route, config);
    for (Fix fix : latestFixesInTsOrder) tracker.onFix(fix);
    return tracker;
  }

  /** Processes one fix; returns its events (empty if the fix was ignored). */
  public List<ProgressEvent> onFix(Fix fix) {
    if (!seenAny || fix.ts() > lastSeenTs) lastSeenTs = fix.ts();
    seenAny = true;
    FixFilter.Verdict verdict = filter.check(fix);
    if (verdict == FixFilter.Verdict.LATE) {
      ignored++;
      return lateFix(fix);
    }
    lastVerdict = verdict;
    if (verdict != FixFilter.Verdict.ACCEPTED
        && verdict != FixFilter.Verdict.REPLACES_FIRST
        && verdict != FixFilter.Verdict.REPLACES_LAST) {
      ignored++;
      return List.of();
    }
    if (verdict == FixFilter.Verdict.REPLACES_LAST) {
      // The last fix was a lone spike: the leg to this one starts from the fix before it.
      ts = filter.beforeLastTs();
      lat = filter.beforeLastLat();
      lon = filter.beforeLastLon();
    }
    if (verdict == FixFilter.Verdict.REPLACES_FIRST) {
      // The first fix was a stale outlier (a cold start's last known position): start again from
      // the fix rejected against it and this one, which agree.
      start();
      ignored--;
      List<ProgressEvent> events = new ArrayList<>(place(filter.replacedWith()));
      events.addAll(place(fix));
      return events;
    }
    return place(fix);
  }

  /** An accepted fix, in ts order. */
  private List<ProgressEvent> place(Fix fix) {
    accepted++;
    boolean hadFix = hasFix;
    double fromLat = hadFix ? lat : Double.NaN;
    double fromLon = hadFix ? lon : Double.NaN;
    boolean leg =
        hadFix
            && fix.ts() - ts <= pathMaxGapMs
            && LocalDistance.metres(lat, lon, fix.lat(), fix.lon(), LocalDistance.cosLat(lat))
                <= maxSpeedMps * (fix.ts() - ts) / 1000.0;
    hasFix = true;
    ts = fix.ts();
    lat = fix.lat();
    lon = fix.lon();
    boolean alertsOpen = !arrival.arrived();

    boolean wasOffRoute = offRoute.isOffRoute();
    RouteMatcher.Kind kind =
        matcher.locate(
            lat, lon, ts, eta.speedMps(), orNaN(fix.spd()), orNaN(fix.acc()), wasOffRoute);
    if (kind != RouteMatcher.Kind.FAR
        && kind != RouteMatcher.Kind.HELD
        && matcher.alongM() > alongM) {
      alongM = matcher.alongM();
    }
    offRouteM = matcher.offRouteM();

    AlertType routeChange = offRoute.update(ts, offRouteM);
    AlertType stopChange = stops.update(ts, lat, lon);
    int newCheckpoints = checkpoints.update(ts, lat, lon, fromLat, fromLon, leg, alongM);
    // A held jump or an unconfirmed far fix is no evidence of speed either: the next placed fix's
    // sample spans both, and the ETA shown does not move meanwhile.
    if (kind != RouteMatcher.Kind.HELD && kind != RouteMatcher.Kind.FAR) eta.update(ts, alongM);
    double percent = percent();
    boolean arrivedNow = arrival.update(lat, lon, percent);

    ProgressUpdate update =
        new ProgressUpdate(
            taskId,
            ts,
            lat,
            lon,
            alongM,
            lengthM,
            percent,
            offRouteM,
            !offRoute.isOffRoute(),
            speed(),
            eta(),
            checkpoints.reached(),
            checkpoints.total());
    boolean anyAlert =
        alertsOpen
            && (routeChange != null || stopChange != null || newCheckpoints > 0 || arrivedNow);
    if (!anyAlert) return List.of(update);

    List<ProgressEvent> events = new ArrayList<>(2 + newCheckpoints);
    events.add(update);
    if (routeChange != null) events.add(routeAlert(routeChange));
    if (stopChange != null) events.add(stopAlert(stopChange));
    for (int i = checkpoints.reached() - newCheckpoints; i < checkpoints.reached(); i++) {
      events.add(checkpointAlert(i, ts, lat, lon, false));
    }
    if (arrivedNow) events.add(arrivalAlert());
    return events;
  }

  /**
   * A fix older than the last accepted one: it moves nothing and raises no stale alert, but when it
   * lies within the next checkpoint's radius and fits the order it reaches it (an offline buffer's
   * fix may be the only one that came within the radius). Then the current state, with the new
   * checkpoint count, and CHECKPOINT_REACHED alerts (also after ARRIVED: they complete the record).
   */
  private List<ProgressEvent> lateFix(Fix fix) {
    if (!hasFix || !GeoPoint.isValid(fix.lat(), fix.lon())) return List.of();
    if (fix.acc() != null && fix.acc() > maxAccuracyM) return List.of();
    int reached = checkpoints.late(fix.ts(), fix.lat(), fix.lon(), alongM);
    if (reached == 0) return List.of();
    List<ProgressEvent> events = new ArrayList<>(1 + reached);
    events.add(
        new ProgressUpdate(
            taskId,
            ts,
            lat,
            lon,
            alongM,
            lengthM,
            percent(),
            offRouteM,
            !offRoute.isOffRoute(),
            speed(),
            eta(),
            checkpoints.reached(),
            checkpoints.total()));
    for (int i = checkpoints.reached() - reached; i < checkpoints.reached(); i++) {
      events.add(checkpointAlert(i, checkpoints.reachedTs(i), fix.lat(), fix.lon(), true));
    }
    return events;
  }

  /** The filter's verdict on the last fix fed (for {@link TrackReview}). */
  FixFilter.Verdict lastVerdict() {
    return lastVerdict;
  }

  /** Epoch ms at which checkpoint {@code i} was reached, or null. */
  Long checkpointReachedTs(int i) {
    return checkpoints.reachedTs(i);
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }

  /** The current state. */
  public ProgressSnapshot snapshot() {
    return new ProgressSnapshot(
        taskId,
        route.routeId(),
        seenAny ? lastSeenTs : null,
        hasFix ? ts : null,
        hasFix ? lat : null,
        hasFix ? lon : null,
        alongM,
        lengthM,
        percent(),
        hasFix ? offRouteM : null,
        !offRoute.isOffRoute(),
        stops.isStopped(),
        arrival.arrived(),
        speed(),
        eta(),
        checkpoints.reached(),
        checkpoints.total(),
        accepted,
        ignored);
  }

  public String taskId() {
    return taskId;
  }

  public RouteGeometry route() {
    return route;
  }

  private double percent() {
    return Math.min(100, 100 * alongM / lengthM);
  }

  private Double speed() {
    double s = eta.speedMps();
    return Double.isNaN(s) ? null : s;
  }

  private Long eta() {
    return eta.etaSeconds(lengthM - alongM, stops.isStopped(), arrival.arrived());
  }

  // --- alerts ------------------------------------------------------------------------------------

  private Alert routeAlert(AlertType type) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("offRouteM", Rounding.tenths(offRouteM));
    d.put("alongM", Rounding.tenths(alongM));
    d.put("offRouteSinceTs", offRoute.offSinceTs());
    String message;
    if (type == AlertType.OFF_ROUTE) {
      message =
          "Off route: "
              + Math.round(offRouteM)
              + " m from the route, off it for "
              + duration(ts - offRoute.offSinceTs());
    } else {
      d.put("offRouteForS", (ts - offRoute.offSinceTs()) / 1000);
      d.put("maxOffRouteM", Rounding.tenths(offRoute.maxOffRouteM()));
      message =
          "Back on route after "
              + duration(ts - offRoute.offSinceTs())
              + " off it (at most "
              + Math.round(offRoute.maxOffRouteM())
              + " m away)";
    }
    return new Alert(taskId, type, ts, lat, lon, message, d);
  }

  private Alert stopAlert(AlertType type) {
    Map<String, Object> d = new LinkedHashMap<>();
    String message;
    if (type == AlertType.STOPPED) {
      d.put("stoppedSinceTs", stops.stillSinceTs());
      d.put("stoppedForS", (ts - stops.stillSinceTs()) / 1000);
      message = "Stopped: no movement for " + duration(ts - stops.stillSinceTs());
    } else {
      d.put("stoppedForS", stops.lastStopDurationMs() / 1000);
      message = "Moving again after " + duration(stops.lastStopDurationMs()) + " stopped";
    }
    d.put("alongM", Rounding.tenths(alongM));
    return new Alert(taskId, type, ts, lat, lon, message, d);
  }

  private Alert checkpointAlert(int i, long atTs, double atLat, double atLon, boolean late) {
    Checkpoint cp = route.checkpoints().get(i);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("index", i);
    d.put("name", cp.name());
    d.put("distanceM", Rounding.tenths(checkpoints.reachedDistanceM(i)));
    d.put("checkpointsReached", i + 1);
    d.put("checkpointsTotal", checkpoints.total());
    if (late) d.put("lateFix", true);
    String message =
        "Reached checkpoint " + (i + 1) + " of " + checkpoints.total() + ": " + cp.name();
    return new Alert(taskId, AlertType.CHECKPOINT_REACHED, atTs, atLat, atLon, message, d);
  }

  private Alert arrivalAlert() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("alongM", Rounding.tenths(alongM));
    d.put("percent", Rounding.hundredths(percent()));
    d.put("checkpointsReached", checkpoints.reached());
    d.put("checkpointsTotal", checkpoints.total());
    String target = arrival.targetName();
    String message = target == null ? "Arrived at the end of the route" : "Arrived at " + target;
    return new Alert(taskId, AlertType.ARRIVED, ts, lat, lon, message, d);
  }

  private static String duration(long ms) {
    long s = Math.max(0, ms) / 1000;
    if (s < 60) return s + " s";
    long m = s / 60;
    if (m < 60) return m + " min " + (s % 60) + " s";
    return (m / 60) + " h " + (m % 60) + " min";
  }
}
