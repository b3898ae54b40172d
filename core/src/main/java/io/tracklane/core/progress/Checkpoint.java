package io.tracklane.core.progress;

import io.tracklane.core.geo.GeoPoint;
import java.util.Objects;

/**
 * A named place on a route that a rider must pass, in route order.
 *
 * @param name shown to managers in alerts
 * @param position where it is
 * @param radiusM how close (metres) a fix must come for the checkpoint to count as reached
 */
public record Checkpoint(String name, GeoPoint position, double radiusM) {

  public Checkpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(position, "position");
    if (!(radiusM > 0) || Double.isInfinite(radiusM)) {
      throw new IllegalArgumentException(
          "checkpoint radius must be a positive number of metres, got " + radiusM);
    }
  }

  public static Checkpoint of(String name, double lat, double lon, double radiusM) {
    return new Checkpoint(name, new GeoPoint(lat, lon), radiusM);
  }
}
