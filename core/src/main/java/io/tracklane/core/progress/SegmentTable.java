package io.tracklane.core.progress;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import java.util.List;

/**
 * A route's segments precomputed for fast projection: per segment its start, its metric direction
 * vector in a local equirectangular plane scaled at the segment's mean latitude (the same plane as
 * {@link io.tracklane.core.geo.Geo#projectOntoSegment}), the inverse of its squared length, and its
 * haversine length and distance along the route (from {@link Polyline}, so that distances along
 * agree with it). Projecting a point costs a dozen multiplications and no trigonometry; distances
 * are planar, which at the scale of a few kilometres differs from haversine by well under 1 %.
 *
 * <p>Immutable, built once per route and shared by every tracker of that route. Searches write into
 * a caller-owned {@link Result} so that the per-fix path does not allocate.
 */
final class SegmentTable {
  private final int count;
  private final double[] aLat;
  private final double[] aLon;

  /** Metres per degree of longitude at the segment's mean latitude. */
  private final double[] kx;

  private final double[] dx;
  private final double[] dy;
  private final double[] invLen2;

  /** Unit direction vector (east, north) of the segment; 0 for a zero-length one. */
  private final double[] ux;

  private final double[] uy;
  private final double[] start;
  private final double[] len;

  SegmentTable(Polyline line) {
    List<GeoPoint> points = line.points();
    count = line.segmentCount();
    aLat = new double[count];
    aLon = new double[count];
    kx = new double[count];
    dx = new double[count];
    dy = new double[count];
    invLen2 = new double[count];
    ux = new double[count];
    uy = new double[count];
    start = new double[count];
    len = new double[count];
    for (int i = 0; i < count; i++) {
      GeoPoint a = points.get(i);
      GeoPoint b = points.get(i + 1);
      aLat[i] = a.lat();
      aLon[i] = a.lon();
      kx[i] = LocalDistance.M_PER_DEG * LocalDistance.cosLat((a.lat() + b.lat()) / 2);
      dx[i] = LocalDistance.wrapLon(b.lon() - a.lon()) * kx[i];
      dy[i] = (b.lat() - a.lat()) * LocalDistance.M_PER_DEG;
      double l2 = dx[i] * dx[i] + dy[i] * dy[i];
      invLen2[i] = l2 == 0 ? 0 : 1 / l2;
      ux[i] = l2 == 0 ? 0 : dx[i] / Math.sqrt(l2);
      uy[i] = l2 == 0 ? 0 : dy[i] / Math.sqrt(l2);
      start[i] = line.distanceAlongAtVertex(i);
      len[i] = line.segmentLengthM(i);
    }
  }

  int count() {
    return count;
  }

  /** Metres along the route where segment {@code i} starts. */
  double start(int i) {
    return start[i];
  }

  /**
   * What a search compares candidates against: where the rider was last placed and how they moved
   * since. Mutable; owned by one matcher.
   */
  static final class Query {
    /** Metres along the route of the previous match. */
    double anchorAlongM;

    /** Movement since the fix of the previous match, metres east and north, and its length. */
    double moveEastM;

    double moveNorthM;
    double displacementM;

    /** Differences in distance below this do not count. */
    double toleranceM;

    /** Cost per metre of along-route inconsistency with moving forward by the displacement. */
    double continuityWeight;

    /** Cost per metre moved against the direction of the candidate's segment. */
    double headingWeight;

    /** The furthest the rider has been placed along the route (since the last re-acquisition). */
    double furthestAlongM;

    /** Cost per metre behind {@link #furthestAlongM}. */
    double backwardWeight;
  }

  /**
   * The result of a search: the best "close" candidate by cost (if any) and the nearest point of
   * the searched part of the route. Mutable; owned by one matcher.
   */
  static final class Result {
    /** Whether some segment came within the close distance. */
    boolean found;

    int segment;

    /** Where on {@code segment} the candidate lies, 0..1. */
    double fraction;

    double alongM;
    double distanceM;
    double cost;
    int nearestSegment;
    double nearestAlongM;
    double nearestDistanceM;

    void reset() {
      found = false;
      segment = -1;
      fraction = 0;
      alongM = Double.NaN;
      distanceM = Double.POSITIVE_INFINITY;
      cost = Double.POSITIVE_INFINITY;
      nearestSegment = -1;
      nearestAlongM = Double.NaN;
      nearestDistanceM = Double.POSITIVE_INFINITY;
    }
  }

  /**
   * Searches segments {@code from..to} (inclusive), restricted to the part of the route between
   * {@code loM} and {@code hiM} metres along it. Among the points within {@code closeM} of the
   * point it picks the one with the lowest cost (the earliest on ties):
   *
   * <pre>
   *   max(0, distance − tolerance)                          distances within the tolerance are all as good
   * + continuityWeight × |along − anchorAlong − displacement|   forward by as much as the rider moved
   * + headingWeight × max(0, −movement · segment direction)    not against the direction of the route
   * + backwardWeight × max(0, furthestAlong − along)           not back from where the rider got to
   * </pre>
   *
   * then moves it to the nearest point of its own pass ({@link #descend}). It also reports the
   * nearest point overall.
   */
  void search(
      double lat,
      double lon,
      int from,
      int to,
      double loM,
      double hiM,
      double closeM,
      Query q,
      Result r) {
    r.reset();
    double closeSq = closeM * closeM;
    double nearestSq = Double.POSITIVE_INFINITY;
    double nearestT = 0;
    for (int i = from; i <= to; i++) {
      double px = LocalDistance.wrapLon(lon - aLon[i]) * kx[i];
      double py = (lat - aLat[i]) * LocalDistance.M_PER_DEG;
      double t = (px * dx[i] + py * dy[i]) * invLen2[i];
      double tLo = 0;
      double tHi = 1;
      if ((i == from || i == to) && len[i] > 0) {
        tLo = Math.max(0, (loM - start[i]) / len[i]);
        tHi = Math.max(tLo, Math.min(1, (hiM - start[i]) / len[i]));
      }
      t = t < tLo ? tLo : (t > tHi ? tHi : t);
      double ex = px - t * dx[i];
      double ey = py - t * dy[i];
      double d2 = ex * ex + ey * ey;
      if (d2 < nearestSq) {
        nearestSq = d2;
        nearestT = t;
        r.nearestSegment = i;
      }
      double bound =
          r.cost + q.toleranceM; // cost ≥ distance − tolerance: farther points cannot win
      if (d2 <= closeSq && d2 < bound * bound) {
        double d = Math.sqrt(d2);
        double along = start[i] + t * len[i];
        double against = -(q.moveEastM * ux[i] + q.moveNorthM * uy[i]);
        double behind = q.furthestAlongM - along;
        double cost =
            Math.max(0, d - q.toleranceM)
                + q.continuityWeight * Math.abs(along - q.anchorAlongM - q.displacementM)
                + (against > 0 ? q.headingWeight * against : 0)
                + (behind > 0 ? q.backwardWeight * behind : 0);
        if (cost < r.cost) {
          r.found = true;
          r.cost = cost;
          r.segment = i;
          r.fraction = t;
          r.alongM = along;
          r.distanceM = d;
        }
      }
    }
    if (r.nearestSegment >= 0) {
      r.nearestDistanceM = Math.sqrt(nearestSq);
      r.nearestAlongM = start[r.nearestSegment] + nearestT * len[r.nearestSegment];
    }
    if (r.found && q.toleranceM > 0) descend(lat, lon, from, to, loM, hiM, r);
  }

  /**
   * Moves the chosen candidate downhill to the nearest point of its own pass: while it sits on an
   * end of its segment, onto the next segment that way if that one comes closer to the point. The
   * tolerance picks the pass, the distance then picks the point on it (on a clean track the match
   * is the exact projection), and the descent never crosses the rise in distance that separates two
   * passes, however close together along the route they are.
   */
  private void descend(double lat, double lon, int from, int to, double loM, double hiM, Result r) {
    double bestSq = r.distanceM * r.distanceM;
    for (int dir = -1; dir <= 1; dir += 2) {
      int i = r.segment;
      double t = r.fraction;
      while ((dir > 0 ? t >= 1 && i < to : t <= 0 && i > from)) {
        i += dir;
        if (len[i] == 0) {
          t = dir > 0 ? 1 : 0;
          continue;
        }
        double px = LocalDistance.wrapLon(lon - aLon[i]) * kx[i];
        double py = (lat - aLat[i]) * LocalDistance.M_PER_DEG;
        double tt = (px * dx[i] + py * dy[i]) * invLen2[i];
        double tLo = Math.max(0, (loM - start[i]) / len[i]);
        double tHi = Math.max(tLo, Math.min(1, (hiM - start[i]) / len[i]));
        tt = tt < tLo ? tLo : (tt > tHi ? tHi : tt);
        double ex = px - tt * dx[i];
        double ey = py - tt * dy[i];
        double d2 = ex * ex + ey * ey;
        if (!(d2 < bestSq)) break;
        bestSq = d2;
        t = tt;
        r.segment = i;
        r.fraction = tt;
        r.alongM = start[i] + tt * len[i];
      }
    }
    r.distanceM = Math.sqrt(bestSq);
  }

  /** {@link #search} over the whole route. */
  void searchAll(double lat, double lon, double closeM, Query q, Result r) {
    search(
        lat, lon, 0, count - 1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, closeM, q, r);
  }

  /**
   * The first pass of the route within {@code closeM} of the point: following the route from its
   * start, where it first comes within that distance, the closest point before it leaves that
   * distance again (in {@code found/alongM/distanceM}); also the nearest point of the whole route.
   * This is where a tracker starts: a rider is taken to be on the earliest part of the route that
   * passes where they are, never on a later pass of a loop or the way back of an out-and-back
   * route.
   */
  void firstPass(double lat, double lon, double closeM, Result r) {
    r.reset();
    double closeSq = closeM * closeM;
    double nearestSq = Double.POSITIVE_INFINITY;
    double nearestT = 0;
    boolean inRun = false;
    boolean runDone = false;
    for (int i = 0; i < count; i++) {
      double px = LocalDistance.wrapLon(lon - aLon[i]) * kx[i];
      double py = (lat - aLat[i]) * LocalDistance.M_PER_DEG;
      double t = (px * dx[i] + py * dy[i]) * invLen2[i];
      t = t < 0 ? 0 : (t > 1 ? 1 : t);
      double ex = px - t * dx[i];
      double ey = py - t * dy[i];
      double d2 = ex * ex + ey * ey;
      if (d2 < nearestSq) {
        nearestSq = d2;
        nearestT = t;
        r.nearestSegment = i;
      }
      if (runDone) continue;
      if (d2 <= closeSq || inRun) {
        double d = Math.sqrt(d2);
        if (d < r.distanceM) {
          r.found = true;
          r.segment = i;
          r.alongM = start[i] + t * len[i];
          r.distanceM = d;
          r.cost = d;
        }
        // The pass goes on into the next segment only while the route is still within the
        // distance at their shared vertex (as in Polyline#firstPassWithin).
        double vx = px - dx[i];
        double vy = py - dy[i];
        inRun = vx * vx + vy * vy <= closeSq;
        runDone = !inRun;
      }
    }
    if (r.nearestSegment >= 0) {
      r.nearestDistanceM = Math.sqrt(nearestSq);
      r.nearestAlongM = start[r.nearestSegment] + nearestT * len[r.nearestSegment];
    }
  }
}
