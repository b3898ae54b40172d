package io.tracklane.core.progress;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;

/**
 * Decides which fixes may change a task's progress state. A fix is ignored when its position is not
 * valid, when it is not newer than the last accepted fix (late fixes from an offline buffer and
 * duplicates: progress never moves backwards and no stale alert is raised), when it reports a
 * horizontal accuracy worse than {@code maxAccuracyM}, or when reaching it from the last accepted
 * fix would need more than {@code maxSpeedMps} (a spike). After {@code maxConsecutiveSpeedRejects}
 * spikes in a row the next fix is accepted whatever its speed, so that a bad accepted fix cannot
 * lock out all the later ones.
 *
 * <p>The first fix has nothing to be checked against, and a phone's first fix after a cold start is
 * often its last known position, kilometres away. So the first fix is also checked against the next
 * ones: when the only accepted fix is the first and a fix is implausible from it but plausible from
 * the fix rejected just before (two fixes agreeing against one), the first fix was the outlier: the
 * fix is accepted as {@link Verdict#REPLACES_FIRST}, with the rejected one before it ({@link
 * #replacedWith()}), and the caller starts again from those two. Likewise, later, a fix that is
 * implausible from the last accepted one but plausible from the one before it, the last one being a
 * long out-and-back detour between them, shows that the last one was a lone spike (one that the
 * speed filter let through): it is accepted as {@link Verdict#REPLACES_LAST} and the spike is left
 * out of the distance ridden.
 */
final class FixFilter {
  enum Verdict {
    ACCEPTED,
    /** Accepted, and the first accepted fix was a stale outlier: start again from this one. */
    REPLACES_FIRST,
    /** Accepted, and the last accepted fix was a lone spike: this one follows the fix before it. */
    REPLACES_LAST,
    INVALID,
    LATE,
    INACCURATE,
    IMPLAUSIBLE
  }

  private final double maxAccuracyM;
  private final double maxSpeedMps;
  private final int maxRejects;

  private boolean hasLast;
  private long lastTs;
  private double lastLat;
  private double lastLon;
  private double lastCos;
  private int rejects;
  private long acceptedCount;
  private boolean hasRejected;
  private Fix rejected;
  private long beforeLastTs;
  private double beforeLastLat;
  private double beforeLastLon;
  private Fix replacedWith;

  FixFilter(ProgressConfig config) {
    this.maxAccuracyM = config.maxAccuracyM();
    this.maxSpeedMps = config.maxSpeedMps();
    this.maxRejects = config.maxConsecutiveSpeedRejects();
  }

  Verdict check(Fix fix) {
    if (!GeoPoint.isValid(fix.lat(), fix.lon())) return Verdict.INVALID;
    if (hasLast && fix.ts() <= lastTs) return Verdict.LATE;
    Double acc = fix.acc();
    if (acc != null && acc > maxAccuracyM) return Verdict.INACCURATE;
    Verdict verdict = Verdict.ACCEPTED;
    if (hasLast) {
      double metres = LocalDistance.metres(lastLat, lastLon, fix.lat(), fix.lon(), lastCos);
      double seconds = (fix.ts() - lastTs) / 1000.0;
      if (metres > maxSpeedMps * seconds) {
        if (acceptedCount == 1
            && hasRejected
            && fix.ts() > rejected.ts()
            && LocalDistance.metres(rejected.lat(), rejected.lon(), fix.lat(), fix.lon(), lastCos)
                <= maxSpeedMps * (fix.ts() - rejected.ts()) / 1000.0) {
          verdict = Verdict.REPLACES_FIRST;
        } else if (acceptedCount >= 2 && lastWasSpike(fix, metres)) {
          verdict = Verdict.REPLACES_LAST;
        } else if (rejects < maxRejects) {
          rejects++;
          hasRejected = true;
          rejected = fix;
          return Verdict.IMPLAUSIBLE;
        }
      }
    }
    rejects = 0;
    if (verdict == Verdict.REPLACES_FIRST) {
      replacedWith = rejected;
      acceptedCount = 1;
    }
    hasRejected = false;
    if (verdict != Verdict.REPLACES_LAST) {
      beforeLastTs = lastTs;
      beforeLastLat = lastLat;
      beforeLastLon = lastLon;
    }
    acceptedCount++;
    hasLast = true;
    lastTs = fix.ts();
    lastLat = fix.lat();
    lastLon = fix.lon();
    lastCos = LocalDistance.cosLat(fix.lat());
    return verdict;
  }

  /**
   * Whether the last accepted fix was a lone out-and-back spike, now that {@code fix}, {@code outM}
   * from it, cannot have come from it: the fix is plausible from the one before the last, and going
   * through the last one is a long detour (both legs at least {@link TrackReview#SPIKE_MIN_LEG_M},
   * together more than {@link TrackReview#SPIKE_DETOUR_RATIO} times the leg straight past it).
   * Without the detour test a spike could pass for the real fix.
   */
  private boolean lastWasSpike(Fix fix, double outM) {
    if (fix.ts() <= beforeLastTs) return false;
    double pastM =
        LocalDistance.metres(beforeLastLat, beforeLastLon, fix.lat(), fix.lon(), lastCos);
    if (pastM > maxSpeedMps * (fix.ts() - beforeLastTs) / 1000.0) return false;
    double inM = LocalDistance.metres(beforeLastLat, beforeLastLon, lastLat, lastLon, lastCos);
    return inM >= TrackReview.SPIKE_MIN_LEG_M
        && outM >= TrackReview.SPIKE_MIN_LEG_M
        && inM + outM > TrackReview.SPIKE_DETOUR_RATIO * pastM;
  }

  /**
   * After {@link Verdict#REPLACES_FIRST}: the rejected fix that the accepted one agreed with,
   * accepted too (it comes before it).
   */
  Fix replacedWith() {
    return replacedWith;
  }

  /**
   * Position of the accepted fix before the last one (after {@link Verdict#REPLACES_LAST}: before
   * the spike).
   */
  double beforeLastLat() {
    return beforeLastLat;
  }

  double beforeLastLon() {
    return beforeLastLon;
  }

  long beforeLastTs() {
    return beforeLastTs;
  }

  /** Epoch ms of the last accepted fix, or {@code Long.MIN_VALUE} before any. */
  long lastAcceptedTs() {
    return hasLast ? lastTs : Long.MIN_VALUE;
  }
}
