package io.tracklane.core.progress;

import io.tracklane.core.geo.GeoPoint;
import java.util.List;

/**
 * Arrival, raised once: a fix within the last checkpoint's radius (or within {@code arrivalRadiusM}
 * of the route's end when the route has no checkpoints) while progress is at least {@code
 * arrivalMinPercent}.
 */
final class ArrivalDetector {
  private final double targetLat;
  private final double targetLon;
  private final double targetCos;
  private final double radiusM;
  private final double minPercent;
  private final String targetName;
  private boolean arrived;

  ArrivalDetector(RouteGeometry route, ProgressConfig config) {
    List<Checkpoint> cps = route.checkpoints();
    GeoPoint target;
    if (cps.isEmpty()) {
      List<GeoPoint> pts = route.line().points();
      target = pts.get(pts.size() - 1);
      radiusM = config.arrivalRadiusM();
      targetName = null;
    } else {
      Checkpoint last = cps.get(cps.size() - 1);
      target = last.position();
      radiusM = last.radiusM();
      targetName = last.name();
    }
    targetLat = target.lat();
    targetLon = target.lon();
    targetCos = LocalDistance.cosLat(targetLat);
    minPercent = config.arrivalMinPercent();
  }

  /** Feeds one accepted fix; true if this fix is the arrival. */
  boolean update(double lat, double lon, double percent) {
    if (arrived || percent < minPercent) return false;
    if (LocalDistance.metres(targetLat, targetLon, lat, lon, targetCos) > radiusM) return false;
    arrived = true;
    return true;
  }

  boolean arrived() {
    return arrived;
  }

  /** The last checkpoint's name, or null when the target is the route's end. */
  String targetName() {
    return targetName;
  }
}
