package io.tracklane.core.progress;

import io.tracklane.core.geo.Geo;

/**
 * Fast distances for the per-fix hot path: an equirectangular (locally flat) approximation around a
 * reference latitude whose cosine the caller caches. Within a few kilometres of the reference it
 * agrees with {@link Geo#haversine} to well under 1 %, which is all radius and speed checks need.
 */
final class LocalDistance {
  /** Metres per degree of latitude on the mean-radius sphere. */
  static final double M_PER_DEG = Math.toRadians(1) * Geo.EARTH_RADIUS_M;

  private LocalDistance() {}

  /** Cosine of a latitude in degrees, the scale of longitude degrees there. */
  static double cosLat(double latDeg) {
    return Math.cos(Math.toRadians(latDeg));
  }

  /** Metres between two points, {@code cosLat} being the cosine of a latitude near both. */
  static double metres(double lat1, double lon1, double lat2, double lon2, double cosLat) {
    double dx = wrapLon(lon2 - lon1) * M_PER_DEG * cosLat;
    double dy = (lat2 - lat1) * M_PER_DEG;
    return Math.sqrt(dx * dx + dy * dy);
  }

  /**
   * A longitude difference brought into [-180, 180] (across the antimeridian when that is shorter).
   */
  static double wrapLon(double d) {
    if (d > 180) return d - 360;
    if (d < -180) return d + 360;
    return d;
  }
}
