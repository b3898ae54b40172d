package io.tracklane.core.geo;

/**
 * A WGS-84 position in degrees. Beware the order: this record is (lat, lon) like most people say
 * it, while GeoJSON coordinates are {@code [lon, lat]}; use {@link #fromLonLat} when reading
 * GeoJSON.
 *
 * @param lat latitude in degrees, -90..90
 * @param lon longitude in degrees, -180..180
 */
public record GeoPoint(double lat, double lon) {

  public GeoPoint {
    if (!isValid(lat, lon)) {
      throw new IllegalArgumentException("not a WGS-84 position: lat " + lat + ", lon " + lon);
    }
  }

  public static GeoPoint of(double lat, double lon) {
    return new GeoPoint(lat, lon);
  }

  /** From GeoJSON order {@code [lon, lat]}. */
  public static GeoPoint fromLonLat(double lon, double lat) {
    return new GeoPoint(lat, lon);
  }

  /** Finite, latitude within [-90, 90], longitude within [-180, 180]. */
  public static boolean isValid(double lat, double lon) {
    return Double.isFinite(lat)
        && Double.isFinite(lon)
        && lat >= -90
        && lat <= 90
        && lon >= -180
        && lon <= 180;
  }

  /** Great-circle (haversine) distance in metres. */
  public double distanceTo(GeoPoint other) {
    return Geo.haversine(this, other);
  }
}
