package io.tracklane.core.progress;

import io.tracklane.core.geo.Geo;
import io.tracklane.core.geo.GeoPoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Douglas–Peucker line simplification (for tests: building routes from recorded tracks). Points are
 * projected onto a local equirectangular plane around the first point; every dropped point is
 * within {@code toleranceM} of the simplified line. Iterative, so long tracks cannot overflow the
 * stack.
 */
final class DouglasPeucker {
  private DouglasPeucker() {}

  static List<GeoPoint> simplify(List<GeoPoint> points, double toleranceM) {
    int n = points.size();
    if (n < 3) return List.copyOf(points);
    double lat0 = points.get(0).lat();
    double kx = Math.toRadians(1) * Geo.EARTH_RADIUS_M * Math.cos(Math.toRadians(lat0));
    double ky = Math.toRadians(1) * Geo.EARTH_RADIUS_M;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (points.get(i).lon() - points.get(0).lon()) * kx;
      y[i] = (points.get(i).lat() - lat0) * ky;
    }
    boolean[] keep = new boolean[n];
    keep[0] = true;
    keep[n - 1] = true;
    Deque<int[]> stack = new ArrayDeque<>();
    stack.push(new int[] {0, n - 1});
    while (!stack.isEmpty()) {
      int[] range = stack.pop();
      int a = range[0];
      int b = range[1];
      double worst = -1;
      int worstIndex = -1;
      for (int i = a + 1; i < b; i++) {
        double d = segmentDistance(x[i], y[i], x[a], y[a], x[b], y[b]);
        if (d > worst) {
          worst = d;
          worstIndex = i;
        }
      }
      if (worst > toleranceM) {
        keep[worstIndex] = true;
        stack.push(new int[] {a, worstIndex});
        stack.push(new int[] {worstIndex, b});
      }
    }
    List<GeoPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) if (keep[i]) out.add(points.get(i));
    return out;
  }

  /** Distance from (px, py) to the segment (ax, ay)–(bx, by). */
  static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
    double dx = bx - ax;
    double dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
    double ex = px - (ax + t * dx);
    double ey = py - (ay + t * dy);
    return Math.sqrt(ex * ex + ey * ey);
  }
}
