package io.tracklane.core.geo;

import java.util.List;

/**
 * Spherical geometry on WGS-84 coordinates at city scale: haversine distances and point-to-segment
 * projection in a local equirectangular (metric) plane. The sphere has the mean Earth radius, so
 * distances differ from ellipsoidal (geodesic) ones by at most about 0.5 %.
 */
public final class Geo {
  /** Mean Earth radius (IUGG), metres. */
  public static final double EARTH_RADIUS_M = 6_371_008.8;

  private Geo() {}

  /** Great-circle distance in metres between two points. */
  public static double haversine(GeoPoint a, GeoPoint b) {
    return haversine(a.lat(), a.lon(), b.lat(), b.lon());
  }

  /** Great-circle distance in metres; arguments in degrees. */
  public static double haversine(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = p2 - p1;
    double dl = Math.toRadians(lon2 - lon1);
    double sp = Math.sin(dp / 2);
    double sl = Math.sin(dl / 2);
    double h = sp * sp + Math.cos(p1) * Math.cos(p2) * sl * sl;
    return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(Math.min(1.0, h)));
  }

  /** Sum of the haversine distances between consecutive points (0 for fewer than two). */
  public static double length(List<GeoPoint> points) {
    double sum = 0;
    for (int i = 1; i < points.size(); i++) sum += haversine(points.get(i - 1), points.get(i));
    return sum;
  }

  /**
   * The point of segment {@code a→b} closest to {@code p}. The segment and the point are projected
   * onto a local equirectangular plane (x east, y north, in metres, scaled at the segment's mean
   * latitude), which is accurate for segments and offsets of a few kilometres; the returned
   * distance is the haversine distance from {@code p} to the closest point. A zero-length segment
   * yields {@code a} with fraction 0.
   */
  public static SegmentProjection projectOntoSegment(GeoPoint p, GeoPoint a, GeoPoint b) {
    return projectOntoSegment(p, a, b, 0.0);
  }

  /**
   * Like {@link #projectOntoSegment(GeoPoint, GeoPoint, GeoPoint)}, restricted to the part of the
   * segment from fraction {@code minFraction} (0..1) to {@code b}.
   */
  public static SegmentProjection projectOntoSegment(
      GeoPoint p, GeoPoint a, GeoPoint b, double minFraction) {
    double tMin = Math.max(0.0, Math.min(1.0, minFraction));
    double cosLat = Math.cos(Math.toRadians((a.lat() + b.lat()) / 2));
    double kx = Math.toRadians(1) * EARTH_RADIUS_M * cosLat;
    double ky = Math.toRadians(1) * EARTH_RADIUS_M;
    double bx = wrapLon(b.lon() - a.lon()) * kx;
    double by = (b.lat() - a.lat()) * ky;
    double px = wrapLon(p.lon() - a.lon()) * kx;
    double py = (p.lat() - a.lat()) * ky;
    double len2 = bx * bx + by * by;
    double t = len2 == 0 ? 0 : (px * bx + py * by) / len2;
    t = Math.max(tMin, Math.min(1.0, t));
    GeoPoint closest = interpolate(a, b, t);
    return new SegmentProjection(closest, t, haversine(p, closest));
  }

  /**
   * The point at fraction {@code t} (0..1) of segment {@code a→b}, interpolated linearly in
   * latitude and longitude (across the antimeridian when that is shorter).
   */
  public static GeoPoint interpolate(GeoPoint a, GeoPoint b, double t) {
    if (t <= 0) return a;
    if (t >= 1) return b;
    double lat = a.lat() + t * (b.lat() - a.lat());
    double lon = wrapLon(a.lon() + t * wrapLon(b.lon() - a.lon()));
    return new GeoPoint(lat, lon);
  }

  /** A longitude difference or value brought into [-180, 180]. */
  static double wrapLon(double degrees) {
    if (degrees >= -180 && degrees <= 180) return degrees;
    double r = ((degrees + 180) % 360 + 360) % 360 - 180;
    return r == -180 && degrees > 0 ? 180 : r;
  }
}
