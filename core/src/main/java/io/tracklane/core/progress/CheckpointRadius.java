package io.tracklane.core.progress;

import java.time.Duration;

/**
 * The smallest checkpoint radius that a rider riding past at a given speed, sending a fix at a
 * given cadence, reliably reaches. A checkpoint counts when a fix, or the straight leg between two
 * consecutive fixes, comes within its radius ({@link CheckpointTracker}). On a straight road any
 * radius above the GPS error works; the worst common case is a right-angle turn at the checkpoint,
 * where the leg cuts the corner and passes {@code speed × cadence / (2√2)} from it (fixes half a
 * cadence before and after the corner). When fixes are further apart than {@code
 * checkpointPathMaxGap}, legs do not count and a fix itself must fall inside: the rider may pass
 * midway between two fixes, {@code speed × cadence / 2} from each. To either, add {@link
 * #GPS_ERROR_M} for the phone's error:
 *
 * <pre>
 *   minimum = 20 m + speed × cadence / (2√2)     cadence ≤ checkpointPathMaxGap (30 s)
 *   minimum = 20 m + speed × cadence / 2         otherwise
 * </pre>
 *
 * E.g. 5 m/s (bicycle) every 10 s: 38 m; 15 m/s (car in town) every 10 s: 73 m.
 */
public final class CheckpointRadius {
  /** Typical urban phone error the radius must absorb (metres). */
  public static final double GPS_ERROR_M = 20;

  private CheckpointRadius() {}

  /**
   * Minimum radius in metres at {@code speedMps} with a fix every {@code cadence}, for {@code
   * config}.
   */
  public static double minimumM(double speedMps, Duration cadence, ProgressConfig config) {
    if (!(speedMps >= 0) || Double.isInfinite(speedMps)) {
      throw new IllegalArgumentException(
          "speed must be a non-negative number of m/s, got " + speedMps);
    }
    if (cadence == null || cadence.isNegative() || cadence.isZero()) {
      throw new IllegalArgumentException("cadence must be positive, got " + cadence);
    }
    double spacing = speedMps * cadence.toMillis() / 1000.0;
    boolean legsCount = cadence.compareTo(config.checkpointPathMaxGap()) <= 0;
    return GPS_ERROR_M + (legsCount ? spacing / (2 * Math.sqrt(2)) : spacing / 2);
  }
}
