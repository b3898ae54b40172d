package io.tracklane.core.progress;

import java.util.List;

/**
 * Checkpoints reached, strictly in route order: only the next unreached checkpoint can be reached,
 * by a fix within its radius, so a later checkpoint is never reported before an earlier one and
 * each is reported once. To keep a checkpoint that the route passes more than once (the depot of a
 * round trip that is both the first and the last checkpoint) from being reached on the wrong
 * pass, a checkpoint also needs the rider's progress to be within {@code windowAheadM} of where the
 * route passes it ({@link RouteGeometry#checkpointAlongM}).
 */
final class CheckpointTracker {
  private final int total;
  private final double[] lat;
  private final double[] lon;
  private final double[] cos;
  private final double[] radius;
  private final double[] along;
  private final double[] reachedDistanceM;
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
    for (int i = 0; i < total; i++) {
      Checkpoint cp = cps.get(i);
      lat[i] = cp.position().lat();
      lon[i] = cp.position().lon();
      cos[i] = LocalDistance.cosLat(lat[i]);
      radius[i] = cp.radiusM();
      along[i] = route.checkpointAlongM(i);
    }
    lookaheadM = config.windowAheadM();
  }

  /** Feeds one accepted fix; returns how many checkpoints it reached (their indices end at {@link #reached()}). */
  int update(double fixLat, double fixLon, double progressAlongM) {
    int before = next;
    while (next < total && progressAlongM + lookaheadM >= along[next]) {
      double d = LocalDistance.metres(lat[next], lon[next], fixLat, fixLon, cos[next]);
      if (d > radius[next]) break;
      reachedDistanceM[next] = d;
      next++;
    }
    return next - before;
  }

  /** How many checkpoints have been reached (the next one to reach has this index). */
  int reached() {
    return next;
  }

  int total() {
    return total;
  }

  /** How far from checkpoint {@code i} the fix that reached it was. */
  double reachedDistanceM(int i) {
    return reachedDistanceM[i];
  }
}
