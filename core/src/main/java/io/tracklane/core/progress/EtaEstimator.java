package io.tracklane.core.progress;

/**
 * Along-route speed and ETA. The speed is an exponentially weighted moving average of the progress
 * rate between consecutive accepted fixes, with a time constant ({@code speedSmoothing}) rather
 * than a per-sample factor so that irregular fix intervals weigh what they span; samples are
 * clamped to [0, maxSpeedMps]. The ETA is the remaining distance divided by that speed, floored at
 * {@code etaMinSpeedMps} so that it stays finite; it is unknown (null) until two fixes have given a
 * speed, and while the rider is stopped; it is 0 once arrived.
 */
final class EtaEstimator {
  private final double tauMs;
  private final double minSpeedMps;
  private final double maxSpeedMps;

  private boolean hasPrev;
  private long prevTs;
  private double prevAlongM;
  private double speedMps = Double.NaN;

  EtaEstimator(ProgressConfig config) {
    this.tauMs = config.speedSmoothing().toMillis();
    this.minSpeedMps = config.etaMinSpeedMps();
    this.maxSpeedMps = config.maxSpeedMps();
  }

  void update(long ts, double progressAlongM) {
    if (hasPrev && ts > prevTs) {
      double dtMs = ts - prevTs;
      double sample =
          Math.min(maxSpeedMps, Math.max(0, (progressAlongM - prevAlongM) * 1000 / dtMs));
      if (Double.isNaN(speedMps)) {
        speedMps = sample;
      } else {
        speedMps += (1 - Math.exp(-dtMs / tauMs)) * (sample - speedMps);
      }
    }
    hasPrev = true;
    prevTs = ts;
    prevAlongM = progressAlongM;
  }

  /** The smoothed along-route speed in m/s, NaN while unknown. */
  double speedMps() {
    return speedMps;
  }

  /** Seconds to the end of the route, or null when unknown or stopped (0 once arrived). */
  Long etaSeconds(double remainingM, boolean stopped, boolean arrived) {
    if (arrived) return 0L;
    if (stopped || Double.isNaN(speedMps)) return null;
    return Math.round(Math.max(0, remainingM) / Math.max(speedMps, minSpeedMps));
  }
}
