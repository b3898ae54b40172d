package io.tracklane.core.progress;

import java.util.List;

/**
 * Checkpoints reached, strictly in route order: only the next unreached checkpoint can be reached,
 * so a later checkpoint is never reported before an earlier one and each is reported once. To keep
 * a checkpoint that the route passes more than once (the depot of a round trip that is both the
 * first and the last checkpoint) from being reached on the wrong pass, a checkpoint also needs the
 * rider's progress to be within {@code windowAheadM} of where the route passes it ({@link
 * RouteGeometry#checkpointAlongM}).
 *
 * <p><b>Reached by the path.</b> A checkpoint is reached by a fix within its radius, or by the
 * straight <i>leg</i> between two consecutive accepted fixes passing within its radius, when that
 * leg is plausible (the caller checks: at most {@code checkpointPathMaxGap} long and not faster
 * than {@code maxSpeedMps}). At 15 m/s and a fix every 10 s, fixes are 150 m apart: a 50 m radius
 * around a point between them would otherwise often hold no fix. The previous fix itself is checked
 * again with the current progress, so a fix that was held behind a jump (not yet placed on the
 * route) still counts once the jump is confirmed.
 *
 * <p><b>Late fixes.</b> A fix older than the latest accepted one (an offline buffer) reaches the
 * next checkpoint when it lies within its radius and is not older than the time the previous
 * checkpoint was reached (it fits the order). Checkpoints further on that accepted fixes or legs
 * already came within the radius of, after that time, are then reached too: for that, each
 * checkpoint remembers the first and last time it was touched while an earlier one was still
 * missing. Progress does not move. Allocation-free.
 */
final class CheckpointTracker {
  private static final long NEVER = Long.MIN_VALUE;

  private final int total;
  private final double[] lat;
  private final double[] lon;
  private final double[] cos;
  private final double[] radius;
  private final double[] along;
  private final double[] reachedDistanceM;
  private final long[] reachedTs;
  private final long[] firstTouchTs;
  private final long[] lastTouchTs;
  private final double[] touchDistanceM;
  private final double lookaheadM;
  private int next;

  CheckpointTracker(RouteGeometry route, ProgressConfig config) {
    List<Checkpoint> cps = route.checkpoints();
    total = cps.size();
    lat = new double[total];
    lon = new double[total];
    cos = new double[total];
    radius = new double[total];
    along = new double[total];
    reachedDistanceM = new double[total];
    reachedTs = new long[total];
    firstTouchTs = new long[total];
    lastTouchTs = new long[total];
    touchDistanceM = new double[total];
    for (int i = 0; i < total; i++) {
      Checkpoint cp = cps.get(i);
      lat[i] = cp.position().lat();
      lon[i] = cp.position().lon();
      cos[i] = LocalDistance.cosLat(lat[i]);
      radius[i] = cp.radiusM();
      along[i] = route.checkpointAlongM(i);
      reachedTs[i] = NEVER;
      firstTouchTs[i] = NEVER;
      lastTouchTs[i] = NEVER;
    }
    lookaheadM = config.windowAheadM();
  }

  /** A fix alone, without a leg from a previous one (tests and the first fix). */
  int update(double fixLat, double fixLon, double progressAlongM) {
    return update(0, fixLat, fixLon, Double.NaN, Double.NaN, false, progressAlongM);
  }

  /**
   * Feeds one accepted fix, in ts order; returns how many checkpoints it reached (their indices end
   * at {@link #reached()}).
   *
   * @param fromLat the previous accepted fix (NaN if none)
   * @param fromLon ...
   * @param leg whether the straight leg from the previous fix to this one counts (plausible)
   */
  int update(
      long ts,
      double fixLat,
      double fixLon,
      double fromLat,
      double fromLon,
      boolean leg,
      double progressAlongM) {
    int before = next;
    double limit = progressAlongM + lookaheadM;
    for (int i = next; i < total && along[i] <= limit; i++) {
      double d = distance(i, fixLat, fixLon, fromLat, fromLon, leg);
      if (d > radius[i]) continue;
      if (i == next) {
        reach(i, ts, d);
      } else {
        touch(i, ts, d);
      }
    }
    return next - before;
  }

  /**
   * Feeds a late fix (older than the last accepted one); returns how many checkpoints it (and what
   * was touched since) reached. Never moves progress.
   */
  int late(long ts, double fixLat, double fixLon, double progressAlongM) {
    int before = next;
    double limit = progressAlongM + lookaheadM;
    for (int i = next; i < total && along[i] <= limit; i++) {
      double d = LocalDistance.metres(lat[i], lon[i], fixLat, fixLon, cos[i]);
      if (d > radius[i]) continue;
      if (i == next && (i == 0 || ts >= reachedTs[i - 1])) {
        reach(i, ts, d);
        cascade();
      } else if (i > next) {
        touch(i, ts, d);
      }
    }
    return next - before;
  }

  private double distance(
      int i, double fixLat, double fixLon, double fromLat, double fromLon, boolean leg) {
    double d = LocalDistance.metres(lat[i], lon[i], fixLat, fixLon, cos[i]);
    if (Double.isNaN(fromLat)) return d;
    double fromD =
        leg
            ? LegDistance.metres(lat[i], lon[i], fromLat, fromLon, fixLat, fixLon, cos[i])
            : LocalDistance.metres(lat[i], lon[i], fromLat, fromLon, cos[i]);
    return Math.min(d, fromD);
  }

  private void reach(int i, long ts, double d) {
    reachedDistanceM[i] = d;
    reachedTs[i] = ts;
    next = i + 1;
  }

  private void touch(int i, long ts, double d) {
    if (firstTouchTs[i] == NEVER || ts < firstTouchTs[i]) {
      firstTouchTs[i] = ts;
      touchDistanceM[i] = d;
    }
    if (ts > lastTouchTs[i]) lastTouchTs[i] = ts;
  }

  /** After a late reach: the following checkpoints touched since then are reached too. */
  private void cascade() {
    while (next < total && lastTouchTs[next] != NEVER && lastTouchTs[next] >= reachedTs[next - 1]) {
      long at = firstTouchTs[next] >= reachedTs[next - 1] ? firstTouchTs[next] : lastTouchTs[next];
      reach(next, at, touchDistanceM[next]);
    }
  }

  /** How many checkpoints have been reached (the next one to reach has this index). */
  int reached() {
    return next;
  }

  int total() {
    return total;
  }

  /** How far from checkpoint {@code i} the fix or leg that reached it was. */
  double reachedDistanceM(int i) {
    return reachedDistanceM[i];
  }

  /**
   * Epoch ms of the fix that reached checkpoint {@code i} (the later one of a leg); null if not
   * reached.
   */
  Long reachedTs(int i) {
    return i < next ? reachedTs[i] : null;
  }
}
