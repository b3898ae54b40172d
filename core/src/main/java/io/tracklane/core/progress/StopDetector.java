package io.tracklane.core.progress;

/**
 * Stops. The detector keeps an anchor: where the rider was when they last moved. A fix within
 * {@code stopRadiusM} of the anchor is no movement; {@code moveMinFixes} consecutive fixes beyond
 * it are (one stray fix is not), and the anchor moves to the latest of them. No movement for {@code
 * stopMinDuration} raises {@link AlertType#STOPPED}; movement after that raises {@link
 * AlertType#MOVING}. Each STOPPED is followed by at most one MOVING and vice versa.
 */
final class StopDetector {
  private final double radiusM;
  private final long minDurationMs;
  private final int moveMinFixes;

  private boolean hasAnchor;
  private double anchorLat;
  private double anchorLon;
  private double anchorCos;
  private long anchorTs;
  private int outside;
  private boolean stopped;
  private long lastStopDurationMs;

  StopDetector(ProgressConfig config) {
    this.radiusM = config.stopRadiusM();
    this.minDurationMs = config.stopMinDuration().toMillis();
    this.moveMinFixes = config.moveMinFixes();
  }

  /** Feeds one accepted fix; returns STOPPED, MOVING or null. */
  AlertType update(long ts, double lat, double lon) {
    if (!hasAnchor) {
      anchor(ts, lat, lon);
      return null;
    }
    if (LocalDistance.metres(anchorLat, anchorLon, lat, lon, anchorCos) > radiusM) {
      if (++outside < moveMinFixes) return null;
      long stoppedSince = anchorTs;
      anchor(ts, lat, lon);
      if (stopped) {
        stopped = false;
        lastStopDurationMs = ts - stoppedSince;
        return AlertType.MOVING;
      }
      return null;
    }
    outside = 0;
    if (!stopped && ts - anchorTs >= minDurationMs) {
      stopped = true;
      return AlertType.STOPPED;
    }
    return null;
  }

  private void anchor(long ts, double lat, double lon) {
    hasAnchor = true;
    anchorLat = lat;
    anchorLon = lon;
    anchorCos = LocalDistance.cosLat(lat);
    anchorTs = ts;
    outside = 0;
  }

  boolean isStopped() {
    return stopped;
  }

  /** Since when the rider has not moved (the anchor's time); meaningful once a fix was fed. */
  long stillSinceTs() {
    return anchorTs;
  }

  /** How long the stop that the last MOVING ended lasted. */
  long lastStopDurationMs() {
    return lastStopDurationMs;
  }
}
