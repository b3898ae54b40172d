package io.tracklane.core.progress;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the progress engine. {@link #DEFAULTS} suits riders (bicycle, scooter, car) sending a
 * fix every ~10 s from a phone; change single values with {@link #toBuilder()}.
 *
 * @param offRouteEnterM a fix farther than this from the route counts towards OFF_ROUTE (50 m:
 *     beyond typical urban phone error of 5–30 m, below one city block)
 * @param offRouteExitM while off route, a fix within this is back on it (30 m; the 20 m gap to the
 *     enter distance is the hysteresis that keeps noise near the border from flapping)
 * @param offRouteMinFixes consecutive fixes beyond the enter distance needed for OFF_ROUTE (2: one
 *     stray fix is never enough)
 * @param offRouteMinDuration how long fixes must stay beyond the enter distance for OFF_ROUTE (20
 *     s: two to three fixes at the usual rate)
 * @param backOnRouteMinFixes consecutive fixes within the exit distance needed for BACK_ON_ROUTE
 *     (2, so a single stray fix onto the route does not end an off-route episode)
 * @param maxAccuracyM fixes reporting a worse horizontal accuracy only update "last seen" (50 m)
 * @param maxSpeedMps a fix implying a faster move from the previous accepted fix is a spike and is
 *     ignored (60 m/s = 216 km/h)
 * @param maxConsecutiveSpeedRejects after this many spikes in a row the next fix is accepted anyway
 *     (3), so that one bad accepted fix cannot lock out every later one
 * @param windowBehindM the matching window starts this far behind the previous match (100 m: covers
 *     noise and a rider stepping back; anything farther back is a re-acquisition)
 * @param windowAheadM the matching window reaches at least this far ahead of the previous match
 *     (500 m)
 * @param windowSpeedFactor ... or {@code factor × speed × time since the previous match} when that
 *     is more (2: twice the distance the rider could have covered at the smoothed speed)
 * @param matchToleranceM when two parts of the route near a fix compete, differences in distance
 *     below this do not count (20 m: phone noise, and routes drawn or simplified a few metres off
 *     the road); see {@code RouteMatcher}
 * @param continuityWeight ... and beyond it, metres of distance that one metre of along-route
 *     inconsistency with the rider's forward movement is worth (0.25)
 * @param headingWeight ... and that one metre moved against the direction of the route is worth
 *     (0.5)
 * @param backwardWeight ... and that one metre behind the furthest point reached is worth (1.0;
 *     with the heading term it tells the two legs of an out-and-back route apart)
 * @param stopRadiusM moving less than this from where a stop began is not movement (25 m)
 * @param stopMinDuration no movement for this long is a stop (120 s)
 * @param moveMinFixes consecutive fixes beyond the stop radius needed to end a stop (2)
 * @param arrivalRadiusM arrival radius around the route's end when it has no checkpoints (50 m)
 * @param arrivalMinPercent progress needed for arrival (95 %)
 * @param speedSmoothing time constant of the exponentially weighted along-route speed (60 s)
 * @param etaMinSpeedMps the speed the ETA divides by is at least this, so that it stays finite (0.5
 *     m/s, a slow walk)
 * @param plausibleSpeedMps one fix may move progress ahead by at most {@code max(this,
 *     windowSpeedFactor × smoothed speed, windowSpeedFactor × the fix's reported speed) × time
 *     since the last placed fix + 2 × max(matchToleranceM, the fix's accuracy)}; a bigger jump
 *     needs a second fix that agrees with it (15 m/s = 54 km/h: a fast urban rider; a real jump
 *     beyond it costs one fix of delay, a spike costs nothing); see {@code PlausibleStep}
 * @param checkpointPathMaxGap a checkpoint also counts when the straight leg between two
 *     consecutive accepted fixes passes within its radius, if those fixes are at most this far
 *     apart in time (30 s: three fixes at the usual rate; beyond it the straight leg says little
 *     about where the rider went) and the leg's speed is at most {@code maxSpeedMps}
 */
public record ProgressConfig(
    double offRouteEnterM,
    double offRouteExitM,
    int offRouteMinFixes,
    Duration offRouteMinDuration,
    int backOnRouteMinFixes,
    double maxAccuracyM,
    double maxSpeedMps,
    int maxConsecutiveSpeedRejects,
    double windowBehindM,
    double windowAheadM,
    double windowSpeedFactor,
    double matchToleranceM,
    double continuityWeight,
    double headingWeight,
    double backwardWeight,
    double stopRadiusM,
    Duration stopMinDuration,
    int moveMinFixes,
    double arrivalRadiusM,
    double arrivalMinPercent,
    Duration speedSmoothing,
    double etaMinSpeedMps,
    double plausibleSpeedMps,
    Duration checkpointPathMaxGap) {

  public static final ProgressConfig DEFAULTS =
      new ProgressConfig(
          50,
          30,
          2,
          Duration.ofSeconds(20),
          2,
          50,
          60,
          3,
          100,
          500,
          2,
          20,
          0.25,
          0.5,
          1.0,
          25,
          Duration.ofSeconds(120),
          2,
          50,
          95,
          Duration.ofSeconds(60),
          0.5,
          15,
          Duration.ofSeconds(30));

  public ProgressConfig {
    positive("offRouteEnterM", offRouteEnterM);
    positive("offRouteExitM", offRouteExitM);
    if (offRouteExitM > offRouteEnterM) {
      throw new IllegalArgumentException(
          "offRouteExitM ("
              + offRouteExitM
              + ") must not exceed offRouteEnterM ("
              + offRouteEnterM
              + ")");
    }
    atLeastOne("offRouteMinFixes", offRouteMinFixes);
    notNegative("offRouteMinDuration", offRouteMinDuration);
    atLeastOne("backOnRouteMinFixes", backOnRouteMinFixes);
    positive("maxAccuracyM", maxAccuracyM);
    positive("maxSpeedMps", maxSpeedMps);
    if (maxConsecutiveSpeedRejects < 0) {
      throw new IllegalArgumentException(
          "maxConsecutiveSpeedRejects must be ≥ 0, got " + maxConsecutiveSpeedRejects);
    }
    positive("windowBehindM", windowBehindM);
    positive("windowAheadM", windowAheadM);
    positive("windowSpeedFactor", windowSpeedFactor);
    if (!(matchToleranceM >= 0) || Double.isInfinite(matchToleranceM)) {
      throw new IllegalArgumentException("matchToleranceM must be ≥ 0, got " + matchToleranceM);
    }
    if (!(continuityWeight >= 0) || Double.isInfinite(continuityWeight)) {
      throw new IllegalArgumentException("continuityWeight must be ≥ 0, got " + continuityWeight);
    }
    if (!(headingWeight >= 0) || Double.isInfinite(headingWeight)) {
      throw new IllegalArgumentException("headingWeight must be ≥ 0, got " + headingWeight);
    }
    if (!(backwardWeight >= 0) || Double.isInfinite(backwardWeight)) {
      throw new IllegalArgumentException("backwardWeight must be ≥ 0, got " + backwardWeight);
    }
    positive("stopRadiusM", stopRadiusM);
    notNegative("stopMinDuration", stopMinDuration);
    atLeastOne("moveMinFixes", moveMinFixes);
    positive("arrivalRadiusM", arrivalRadiusM);
    if (!(arrivalMinPercent >= 0 && arrivalMinPercent <= 100)) {
      throw new IllegalArgumentException(
          "arrivalMinPercent must be within [0, 100], got " + arrivalMinPercent);
    }
    Objects.requireNonNull(speedSmoothing, "speedSmoothing");
    if (speedSmoothing.isNegative() || speedSmoothing.isZero()) {
      throw new IllegalArgumentException("speedSmoothing must be positive, got " + speedSmoothing);
    }
    positive("etaMinSpeedMps", etaMinSpeedMps);
    positive("plausibleSpeedMps", plausibleSpeedMps);
    notNegative("checkpointPathMaxGap", checkpointPathMaxGap);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + value);
    }
  }

  private static void atLeastOne(String name, int value) {
    if (value < 1) throw new IllegalArgumentException(name + " must be ≥ 1, got " + value);
  }

  private static void notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative())
      throw new IllegalArgumentException(name + " must not be negative, got " + value);
  }

  /** Copies a config so that single values can be changed; {@link #build()} validates. */
  public static final class Builder {
    private double offRouteEnterM;
    private double offRouteExitM;
    private int offRouteMinFixes;
    private Duration offRouteMinDuration;
    private int backOnRouteMinFixes;
    private double maxAccuracyM;
    private double maxSpeedMps;
    private int maxConsecutiveSpeedRejects;
    private double windowBehindM;
    private double windowAheadM;
    private double windowSpeedFactor;
    private double matchToleranceM;
    private double continuityWeight;
    private double headingWeight;
    private double backwardWeight;
    private double stopRadiusM;
    private Duration stopMinDuration;
    private int moveMinFixes;
    private double arrivalRadiusM;
    private double arrivalMinPercent;
    private Duration speedSmoothing;
    private double etaMinSpeedMps;
    private double plausibleSpeedMps;
    private Duration checkpointPathMaxGap;

    private Builder(ProgressConfig c) {
      offRouteEnterM = c.offRouteEnterM;
      offRouteExitM = c.offRouteExitM;
      offRouteMinFixes = c.offRouteMinFixes;
      offRouteMinDuration = c.offRouteMinDuration;
      backOnRouteMinFixes = c.backOnRouteMinFixes;
      maxAccuracyM = c.maxAccuracyM;
      maxSpeedMps = c.maxSpeedMps;
      maxConsecutiveSpeedRejects = c.maxConsecutiveSpeedRejects;
      windowBehindM = c.windowBehindM;
      windowAheadM = c.windowAheadM;
      windowSpeedFactor = c.windowSpeedFactor;
      matchToleranceM = c.matchToleranceM;
      continuityWeight = c.continuityWeight;
      headingWeight = c.headingWeight;
      backwardWeight = c.backwardWeight;
      stopRadiusM = c.stopRadiusM;
      stopMinDuration = c.stopMinDuration;
      moveMinFixes = c.moveMinFixes;
      arrivalRadiusM = c.arrivalRadiusM;
      arrivalMinPercent = c.arrivalMinPercent;
      speedSmoothing = c.speedSmoothing;
      etaMinSpeedMps = c.etaMinSpeedMps;
      plausibleSpeedMps = c.plausibleSpeedMps;
      checkpointPathMaxGap = c.checkpointPathMaxGap;
    }

    public Builder offRouteEnterM(double v) {
      offRouteEnterM = v;
      return this;
    }

    public Builder offRouteExitM(double v) {
      offRouteExitM = v;
      return this;
    }

    public Builder offRouteMinFixes(int v) {
      offRouteMinFixes = v;
      return this;
    }

    public Builder offRouteMinDuration(Duration v) {
      offRouteMinDuration = v;
      return this;
    }

    public Builder backOnRouteMinFixes(int v) {
      backOnRouteMinFixes = v;
      return this;
    }

    public Builder maxAccuracyM(double v) {
      maxAccuracyM = v;
      return this;
    }

    public Builder maxSpeedMps(double v) {
      maxSpeedMps = v;
      return this;
    }

    public Builder maxConsecutiveSpeedRejects(int v) {
      maxConsecutiveSpeedRejects = v;
      return this;
    }

    public Builder windowBehindM(double v) {
      windowBehindM = v;
      return this;
    }

    public Builder windowAheadM(double v) {
      windowAheadM = v;
      return this;
    }

    public Builder windowSpeedFactor(double v) {
      windowSpeedFactor = v;
      return this;
    }

    public Builder matchToleranceM(double v) {
      matchToleranceM = v;
      return this;
    }

    public Builder continuityWeight(double v) {
      continuityWeight = v;
      return this;
    }

    public Builder headingWeight(double v) {
      headingWeight = v;
      return this;
    }

    public Builder backwardWeight(double v) {
      backwardWeight = v;
      return this;
    }

    public Builder stopRadiusM(double v) {
      stopRadiusM = v;
      return this;
    }

    public Builder stopMinDuration(Duration v) {
      stopMinDuration = v;
      return this;
    }

    public Builder moveMinFixes(int v) {
      moveMinFixes = v;
      return this;
    }

    public Builder arrivalRadiusM(double v) {
      arrivalRadiusM = v;
      return this;
    }

    public Builder arrivalMinPercent(double v) {
      arrivalMinPercent = v;
      return this;
    }

    public Builder speedSmoothing(Duration v) {
      speedSmoothing = v;
      return this;
    }

    public Builder etaMinSpeedMps(double v) {
      etaMinSpeedMps = v;
      return this;
    }

    public Builder plausibleSpeedMps(double v) {
      plausibleSpeedMps = v;
      return this;
    }

    public Builder checkpointPathMaxGap(Duration v) {
      checkpointPathMaxGap = v;
      return this;
    }

    public ProgressConfig build() {
      return new ProgressConfig(
          offRouteEnterM,
          offRouteExitM,
          offRouteMinFixes,
          offRouteMinDuration,
          backOnRouteMinFixes,
          maxAccuracyM,
          maxSpeedMps,
          maxConsecutiveSpeedRejects,
          windowBehindM,
          windowAheadM,
          windowSpeedFactor,
          matchToleranceM,
          continuityWeight,
          headingWeight,
          backwardWeight,
          stopRadiusM,
          stopMinDuration,
          moveMinFixes,
          arrivalRadiusM,
          arrivalMinPercent,
          speedSmoothing,
          etaMinSpeedMps,
          plausibleSpeedMps,
          checkpointPathMaxGap);
    }
  }
}
