package io.tracklane.core.progress;

/**
 * How far one fix may move progress ahead, and when a bigger jump is confirmed. The speed filter
 * ({@code maxSpeedMps}) only rejects what no vehicle could do; a spike 14 m from the route but 480
 * m further along it in 10 s (48 m/s) passes it, and since progress never goes down, one such fix
 * would hold progress (and the ETA and percentage) ahead of the rider until the rider caught up. So
 * progress follows a fix only by what the rider's own pace allows:
 *
 * <pre>
 *   max advance = max(plausibleSpeedMps, windowSpeedFactor × smoothed speed,
 *                     windowSpeedFactor × the fix's reported speed) × seconds since the last placed fix
 *               + 2 × max(matchToleranceM, the fix's accuracy)
 * </pre>
 *
 * (twice the error allowance: the last placement and this one each carry some). A fix beyond it is
 * a <i>jump</i>: its position is shown but progress waits for a second fix that {@link #confirms}
 * it, i.e. that lies at or ahead of it along the route (within the same allowance) and no farther
 * than {@code maxSpeedMps} could take the rider. A spike is followed by a fix back behind it, so it
 * is never confirmed; a real jump costs one fix of delay. Pure arithmetic, no state.
 */
final class PlausibleStep {
  private final double minSpeedMps;
  private final double speedFactor;
  private final double toleranceM;
  private final double maxSpeedMps;

  PlausibleStep(ProgressConfig config) {
    this.minSpeedMps = config.plausibleSpeedMps();
    this.speedFactor = config.windowSpeedFactor();
    this.toleranceM = config.matchToleranceM();
    this.maxSpeedMps = config.maxSpeedMps();
  }

  /**
   * Metres a fix may move progress ahead.
   *
   * @param dtMs time since the last placed fix
   * @param smoothedSpeedMps the rider's smoothed along-route speed, NaN when unknown
   * @param reportedSpeedMps the fix's own speed, NaN when absent
   * @param accuracyM the fix's horizontal accuracy, NaN when absent
   */
  double maxAdvanceM(
      long dtMs, double smoothedSpeedMps, double reportedSpeedMps, double accuracyM) {
    double speed = minSpeedMps;
    if (smoothedSpeedMps > 0) speed = Math.max(speed, speedFactor * smoothedSpeedMps);
    if (reportedSpeedMps > 0)
      speed = Math.max(speed, speedFactor * Math.min(reportedSpeedMps, maxSpeedMps));
    return speed * Math.max(0, dtMs) / 1000.0 + allowanceM(accuracyM);
  }

  /**
   * Whether a fix placed at {@code alongM} at {@code ts} confirms a jump to {@code jumpAlongM} seen
   * at {@code jumpTs}: at or ahead of it, and reachable from it.
   */
  boolean confirms(double jumpAlongM, long jumpTs, double alongM, long ts, double accuracyM) {
    double allowance = allowanceM(accuracyM);
    return alongM >= jumpAlongM - allowance
        && alongM <= jumpAlongM + maxSpeedMps * Math.max(0, ts - jumpTs) / 1000.0 + allowance;
  }

  private double allowanceM(double accuracyM) {
    return 2 * (accuracyM > toleranceM ? accuracyM : toleranceM);
  }
}
