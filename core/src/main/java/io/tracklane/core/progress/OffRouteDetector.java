package io.tracklane.core.progress;

/**
 * Off-route hysteresis. On route, a fix farther than {@code offRouteEnterM} starts a run; the run
 * raises {@link AlertType#OFF_ROUTE} once it has {@code offRouteMinFixes} consecutive fixes
 * spanning at least {@code offRouteMinDuration}; any fix within the enter distance ends the run.
 * Off route, {@code backOnRouteMinFixes} consecutive fixes within the (smaller) {@code
 * offRouteExitM} raise {@link AlertType#BACK_ON_ROUTE}. Noise around either border therefore never
 * flaps, and a lone stray fix changes nothing.
 */
final class OffRouteDetector {
  private final double enterM;
  private final double exitM;
  private final int minFixes;
  private final long minDurationMs;
  private final int backMinFixes;

  private boolean offRoute;
  private int run;
  private long runStartTs;
  private long offSinceTs;
  private double maxOffRouteM;

  OffRouteDetector(ProgressConfig config) {
    this.enterM = config.offRouteEnterM();
    this.exitM = config.offRouteExitM();
    this.minFixes = config.offRouteMinFixes();
    this.minDurationMs = config.offRouteMinDuration().toMillis();
    this.backMinFixes = config.backOnRouteMinFixes();
  }

  /**
   * Feeds one accepted fix's distance from the route; returns the transition it causes, or null.
   */
  AlertType update(long ts, double offRouteM) {
    if (!offRoute) {
      if (!(offRouteM > enterM)) {
        run = 0;
        return null;
      }
      if (run++ == 0) {
        runStartTs = ts;
        maxOffRouteM = offRouteM;
      } else {
        maxOffRouteM = Math.max(maxOffRouteM, offRouteM);
      }
      if (run >= minFixes && ts - runStartTs >= minDurationMs) {
        offRoute = true;
        offSinceTs = runStartTs;
        run = 0;
        return AlertType.OFF_ROUTE;
      }
      return null;
    }
    maxOffRouteM = Math.max(maxOffRouteM, offRouteM);
    if (offRouteM <= exitM) {
      if (++run >= backMinFixes) {
        offRoute = false;
        run = 0;
        return AlertType.BACK_ON_ROUTE;
      }
    } else {
      run = 0;
    }
    return null;
  }

  boolean isOffRoute() {
    return offRoute;
  }

  /**
   * When the current (or last) off-route episode began: the first fix beyond the enter distance.
   */
  long offSinceTs() {
    return offSinceTs;
  }

  /** The largest distance from the route during the current (or last) off-route episode. */
  double maxOffRouteM() {
    return maxOffRouteM;
  }
}
