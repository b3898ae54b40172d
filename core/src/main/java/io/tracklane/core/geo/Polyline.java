package io.tracklane.core.geo;

import java.util.List;
import java.util.Optional;

/**
 * An immutable line through two or more points (a route), with its cumulative haversine lengths
 * precomputed so that projections can report how far along the line they are. Segment {@code i}
 * runs from vertex {@code i} to vertex {@code i + 1}; zero-length segments (repeated points) are
 * allowed.
 */
public final class Polyline {
  private final List<GeoPoint> points;

  /** cumulative[i] = metres along the line at vertex i. */
  private final double[] cumulative;

  private Polyline(List<GeoPoint> points) {
    this.points = points;
    this.cumulative = new double[points.size()];
    for (int i = 1; i < points.size(); i++) {
      cumulative[i] = cumulative[i - 1] + Geo.haversine(points.get(i - 1), points.get(i));
    }
  }

  /** A line through {@code points} (at least two). */
  public static Polyline of(List<GeoPoint> points) {
    if (points.size() < 2)
      throw new IllegalArgumentException(
          "a polyline needs at least two points, got " + points.size());
    for (GeoPoint p : points) {
      if (p == null) throw new IllegalArgumentException("a polyline point is null");
    }
    return new Polyline(List.copyOf(points));
  }

  public static Polyline of(GeoPoint... points) {
    return of(List.of(points));
  }

  public List<GeoPoint> points() {
    return points;
  }

  public int segmentCount() {
    return points.size() - 1;
  }

  /** Total length in metres (sum of haversine segment lengths). */
  public double lengthM() {
    return cumulative[cumulative.length - 1];
  }

  /** Length of segment {@code i} in metres. */
  public double segmentLengthM(int i) {
    return cumulative[i + 1] - cumulative[i];
  }

  /** Metres along the line at vertex {@code i}. */
  public double distanceAlongAtVertex(int i) {
    return cumulative[i];
  }

  /** The point {@code alongM} metres along the line (clamped to its ends). */
  public GeoPoint pointAt(double alongM) {
    if (alongM <= 0) return points.get(0);
    if (alongM >= lengthM()) return points.get(points.size() - 1);
    int i = segmentAt(alongM);
    double len = segmentLengthM(i);
    return len == 0
        ? points.get(i)
        : Geo.interpolate(points.get(i), points.get(i + 1), (alongM - cumulative[i]) / len);
  }

  /** The point of the whole line closest to {@code p} (the earliest one on ties). */
  public LineProjection nearest(GeoPoint p) {
    return nearest(p, 0.0);
  }

  /**
   * The point of the line closest to {@code p} among those at least {@code fromAlongM} metres along
   * it (the earliest one on ties).
   */
  public LineProjection nearest(GeoPoint p, double fromAlongM) {
    int first = fromAlongM <= 0 ? 0 : segmentAt(Math.min(fromAlongM, lengthM()));
    LineProjection best = null;
    for (int i = first; i < segmentCount(); i++) {
      LineProjection candidate = project(p, i, i == first ? fromAlongM : 0.0);
      if (best == null || candidate.distanceM() < best.distanceM()) best = candidate;
    }
    return best;
  }

  /**
   * The first pass of the line within {@code radiusM} of {@code p}, at or after {@code fromAlongM}
   * metres along it: where the line, followed from {@code fromAlongM}, first comes within the
   * radius, the closest point before it leaves the radius again. Empty if it never does. Unlike
   * {@link #nearest}, this respects the direction of travel on lines that pass the same place twice
   * (loops, out-and-back routes): it is how checkpoints are matched in order.
   */
  public Optional<LineProjection> firstPassWithin(GeoPoint p, double radiusM, double fromAlongM) {
    int first = fromAlongM <= 0 ? 0 : segmentAt(Math.min(fromAlongM, lengthM()));
    LineProjection best = null;
    for (int i = first; i < segmentCount(); i++) {
      LineProjection candidate = project(p, i, i == first ? fromAlongM : 0.0);
      if (best == null) {
        if (candidate.distanceM() <= radiusM) best = candidate;
      } else if (candidate.distanceM() < best.distanceM()) {
        best = candidate;
      }
      // The pass goes on into the next segment only if the line is still inside the radius at
      // the shared vertex (the part of a straight segment inside a circle is one interval).
      if (best != null && Geo.haversine(p, points.get(i + 1)) > radiusM) break;
    }
    return Optional.ofNullable(best);
  }

  /**
   * Projection of {@code p} onto segment i, restricted to the part at least {@code fromAlongM}
   * along the line.
   */
  private LineProjection project(GeoPoint p, int i, double fromAlongM) {
    double len = segmentLengthM(i);
    double minFraction =
        len == 0 || fromAlongM <= cumulative[i]
            ? 0.0
            : Math.min(1.0, (fromAlongM - cumulative[i]) / len);
    SegmentProjection s = Geo.projectOntoSegment(p, points.get(i), points.get(i + 1), minFraction);
    double along = Math.max(fromAlongM, cumulative[i] + s.fraction() * len);
    return new LineProjection(
        s.point(), i, s.fraction(), Math.min(along, cumulative[i + 1]), s.distanceM());
  }

  /**
   * The segment containing {@code alongM} (0 < alongM ≤ length): the last i with cumulative[i] <
   * alongM.
   */
  private int segmentAt(double alongM) {
    int lo = 0;
    int hi = segmentCount() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (cumulative[mid] < alongM) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
