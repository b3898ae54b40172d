package io.tracklane.core.progress;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.Geo;
import io.tracklane.core.geo.GeoPoint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The verdict on a finished ride, for completing a task: its whole stored track replayed through
 * the same {@link TaskProgressTracker} the gateway runs live, so the back office and the live view
 * never disagree on what "arrived" or "checkpoint reached" means.
 *
 * <p>Arrival for completion: the last accepted fix lies within the arrival target's radius (the
 * last checkpoint's radius, or {@code arrivalRadiusM} of the route's end) and every checkpoint was
 * reached in order (by a fix or by the plausible leg between two fixes, as live). Distance
 * travelled sums the legs between accepted fixes only, so inaccurate fixes and the spikes the
 * tracker ignores add nothing, and leaves out the implausible ones it accepts (see {@link
 * #riddenDistanceM(List, double)}).
 *
 * @param fixes fixes replayed
 * @param acceptedFixes fixes the tracker accepted
 * @param distanceM metres ridden, over accepted fixes
 * @param firstFixTs epoch ms of the first accepted fix (null if none)
 * @param lastFixTs epoch ms of the last accepted fix (null if none)
 * @param stoppedMs time spent stopped (between STOPPED and MOVING, or until the last fix)
 * @param percent progress along the route at the end
 * @param endDistanceM metres from the last accepted fix to the arrival target (null if no fix)
 * @param endRadiusM the arrival target's radius
 * @param checkpoints every checkpoint of the route, with the time it was reached (or null)
 * @param offRouteAlerts how many times the rider left the route
 */
public record TrackReview(
    int fixes,
    int acceptedFixes,
    double distanceM,
    Long firstFixTs,
    Long lastFixTs,
    long stoppedMs,
    double percent,
    Double endDistanceM,
    double endRadiusM,
    List<CheckpointVisit> checkpoints,
    int offRouteAlerts) {

  /** A checkpoint of the route and when it was reached ({@code reachedTs} null if never). */
  public record CheckpointVisit(int index, String name, Long reachedTs) {}

  public TrackReview {
    checkpoints = List.copyOf(checkpoints);
  }

  /** Replays {@code fixesInTsOrder} (ascending ts) over {@code route}. */
  public static TrackReview of(
      String taskId, RouteGeometry route, ProgressConfig config, List<Fix> fixesInTsOrder) {
    TaskProgressTracker tracker = new TaskProgressTracker(taskId, route, config);
    Long[] reached = new Long[route.checkpoints().size()];
    int accepted = 0;
    int offRoute = 0;
    List<Fix> ridden = new ArrayList<>();
    Fix previous = null;
    Long first = null;
    Long stoppedSince = null;
    long stopped = 0;
    for (Fix fix : fixesInTsOrder) {
      // Nothing for ignored fixes (inaccurate, implausible); an update per fix placed (two when a
      // stale first fix is replaced by the fix rejected against it and this one).
      List<ProgressEvent> events = tracker.onFix(fix);
      if (tracker.lastVerdict() == FixFilter.Verdict.REPLACES_LAST && !ridden.isEmpty()) {
        ridden.remove(ridden.size() - 1); // a lone spike, found out by this fix
        previous = ridden.isEmpty() ? null : ridden.get(ridden.size() - 1);
        accepted--;
      }
      for (ProgressEvent e : events) {
        if (e instanceof ProgressUpdate u && (previous == null || u.ts() > previous.ts())) {
          Fix placed = u.ts() == fix.ts() ? fix : Fix.of(u.ts(), u.lat(), u.lon());
          accepted++;
          if (first == null) first = placed.ts();
          ridden.add(placed);
          previous = placed;
        }
        if (!(e instanceof Alert a)) continue;
        switch (a.type()) {
          case OFF_ROUTE -> offRoute++;
          case STOPPED -> stoppedSince = ((Number) a.details().get("stoppedSinceTs")).longValue();
          case MOVING -> {
            if (stoppedSince != null) stopped += a.ts() - stoppedSince;
            stoppedSince = null;
          }
          default -> {}
        }
      }
    }
    for (int i = 0; i < reached.length; i++) reached[i] = tracker.checkpointReachedTs(i);
    double distance = riddenDistanceM(ridden, config.maxSpeedMps());
    List<Fix> plausible = plausibleEnds(ridden, config.maxSpeedMps());
    if (!plausible.isEmpty()) {
      // A stale first fix or a trailing outlier counts neither as the start nor as the end.
      first = plausible.get(0).ts();
      previous = plausible.get(plausible.size() - 1);
    }
    if (stoppedSince != null && previous != null)
      stopped += Math.max(0, previous.ts() - stoppedSince);

    List<CheckpointVisit> visits = new ArrayList<>(reached.length);
    for (int i = 0; i < reached.length; i++) {
      visits.add(new CheckpointVisit(i, route.checkpoints().get(i).name(), reached[i]));
    }
    GeoPoint target;
    double radius;
    if (route.checkpoints().isEmpty()) {
      List<GeoPoint> pts = route.line().points();
      target = pts.get(pts.size() - 1);
      radius = config.arrivalRadiusM();
    } else {
      Checkpoint last = route.checkpoints().get(route.checkpoints().size() - 1);
      target = last.position();
      radius = last.radiusM();
    }
    Double endDistance =
        previous == null
            ? null
            : Geo.haversine(previous.lat(), previous.lon(), target.lat(), target.lon());
    ProgressSnapshot snap = tracker.snapshot();
    return new TrackReview(
        fixesInTsOrder.size(),
        accepted,
        distance,
        first,
        previous == null ? null : previous.ts(),
        stopped,
        snap.percent(),
        endDistance,
        radius,
        visits,
        offRoute);
  }

  /** A lone fix that jumps at least this far out and back is a GPS spike, not a ride. */
  static final double SPIKE_MIN_LEG_M = 150;

  /** ... when going through it is this many times longer than going straight past it. */
  static final double SPIKE_DETOUR_RATIO = 3;

  /** {@link #riddenDistanceM(List, double)} with the default speed limit. */
  static double riddenDistanceM(List<Fix> fixes) {
    return riddenDistanceM(fixes, ProgressConfig.DEFAULTS.maxSpeedMps());
  }

  /**
   * Metres along the fixes, leaving out implausible ones: the live tracker accepts a 500 m spike
   * (it raises no alert from one fix) but it must not add a kilometre to the distance paid.
   *
   * <ul>
   *   <li>A lone out-and-back spike in the middle: both legs at least {@link #SPIKE_MIN_LEG_M} and
   *       together more than {@link #SPIKE_DETOUR_RATIO} times the leg straight past it.
   *   <li>A leading fix whose leg to the next one is faster than {@code maxSpeedMps} (a phone's
   *       stale first fix after a cold start, kilometres from the rest), and likewise a trailing
   *       fix whose leg from the previous one is.
   * </ul>
   */
  static double riddenDistanceM(List<Fix> fixes, double maxSpeedMps) {
    fixes = plausibleEnds(fixes, maxSpeedMps);
    double total = 0;
    Fix kept = null;
    for (int i = 0; i < fixes.size(); i++) {
      Fix cur = fixes.get(i);
      if (kept != null && i + 1 < fixes.size()) {
        Fix next = fixes.get(i + 1);
        double in = Geo.haversine(kept.lat(), kept.lon(), cur.lat(), cur.lon());
        double out = Geo.haversine(cur.lat(), cur.lon(), next.lat(), next.lon());
        double past = Geo.haversine(kept.lat(), kept.lon(), next.lat(), next.lon());
        if (in >= SPIKE_MIN_LEG_M && out >= SPIKE_MIN_LEG_M && in + out > SPIKE_DETOUR_RATIO * past)
          continue;
      }
      if (kept != null) total += Geo.haversine(kept.lat(), kept.lon(), cur.lat(), cur.lon());
      kept = cur;
    }
    return total;
  }

  /**
   * The fixes without leading and trailing ones whose leg to their neighbour is faster than {@code
   * maxSpeedMps}.
   */
  static List<Fix> plausibleEnds(List<Fix> fixes, double maxSpeedMps) {
    int start = 0;
    int end = fixes.size();
    while (end - start >= 2 && implausible(fixes.get(start), fixes.get(start + 1), maxSpeedMps))
      start++;
    while (end - start >= 2 && implausible(fixes.get(end - 2), fixes.get(end - 1), maxSpeedMps))
      end--;
    return fixes.subList(start, end);
  }

  private static boolean implausible(Fix a, Fix b, double maxSpeedMps) {
    double seconds = Math.max(0, b.ts() - a.ts()) / 1000.0;
    return Geo.haversine(a.lat(), a.lon(), b.lat(), b.lon()) > maxSpeedMps * seconds;
  }

  /** True when the last accepted fix is within the arrival target's radius. */
  public boolean endReached() {
    return endDistanceM != null && endDistanceM <= endRadiusM;
  }

  /** Names of the checkpoints never reached, in route order. */
  public List<String> missedCheckpoints() {
    return checkpoints.stream()
        .filter(c -> c.reachedTs() == null)
        .map(CheckpointVisit::name)
        .toList();
  }

  /** Arrived for completion: the end reached and every checkpoint reached. */
  public boolean arrived() {
    return endReached() && missedCheckpoints().isEmpty();
  }

  /** Time between the first and last accepted fix, less the time stopped. */
  public long activeMs() {
    return firstFixTs == null ? 0 : Math.max(0, lastFixTs - firstFixTs - stoppedMs);
  }

  /** Why the ride does not count as arrived, one sentence per reason (empty when it does). */
  public List<String> shortfalls() {
    List<String> out = new ArrayList<>();
    if (acceptedFixes == 0) {
      out.add("no usable GPS fix was received for this task");
    } else if (!endReached()) {
      out.add(
          String.format(
              Locale.ROOT,
              "the last fix is %.0f m from the end of the route (it must be within %.0f m)",
              endDistanceM,
              endRadiusM));
    }
    List<String> missed = missedCheckpoints();
    if (!missed.isEmpty()) out.add("checkpoints not reached: " + String.join(", ", missed));
    return out;
  }

  /** The stored and returned form. */
  public JsonObject toJson() {
    JsonArray cps = new JsonArray();
    for (CheckpointVisit c : checkpoints) {
      cps.add(
          new JsonObject()
              .put("index", c.index())
              .put("name", c.name())
              .put("reachedTs", c.reachedTs()));
    }
    return new JsonObject()
        .put("fixes", fixes)
        .put("acceptedFixes", acceptedFixes)
        .put("distanceM", Rounding.tenths(distanceM))
        .put("firstFixTs", firstFixTs)
        .put("lastFixTs", lastFixTs)
        .put("activeS", activeMs() / 1000)
        .put("stoppedS", stoppedMs / 1000)
        .put("percent", Rounding.hundredths(percent))
        .put("endDistanceM", endDistanceM == null ? null : Rounding.tenths(endDistanceM))
        .put("endRadiusM", endRadiusM)
        .put("arrived", arrived())
        .put("checkpoints", cps)
        .put("offRouteAlerts", offRouteAlerts);
  }
}
