package io.tracklane.core.progress;

/**
 * Metres from a point to the straight leg between two fixes, in the locally flat approximation of
 * {@link LocalDistance} (legs are at most a few hundred metres: {@code checkpointPathMaxGap} at
 * {@code maxSpeedMps}). Pure; used to tell whether the rider passed a checkpoint between two fixes.
 */
final class LegDistance {
  private LegDistance() {}

  /**
   * Metres from ({@code lat}, {@code lon}) to the leg from ({@code aLat}, {@code aLon}) to ({@code
   * bLat}, {@code bLon}); {@code cosLat} the cosine of a latitude near all three.
   */
  static double metres(
      double lat, double lon, double aLat, double aLon, double bLat, double bLon, double cosLat) {
    // Local metres with the point at the origin.
    double ax = LocalDistance.wrapLon(aLon - lon) * LocalDistance.M_PER_DEG * cosLat;
    double ay = (aLat - lat) * LocalDistance.M_PER_DEG;
    double bx = LocalDistance.wrapLon(bLon - lon) * LocalDistance.M_PER_DEG * cosLat;
    double by = (bLat - lat) * LocalDistance.M_PER_DEG;
    double dx = bx - ax;
    double dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
    double px = ax + t * dx;
    double py = ay + t * dy;
    return Math.sqrt(px * px + py * py);
  }
}
