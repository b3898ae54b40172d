package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.core.fix.Fix;
import io.tracklane.fixestable.StoredFix;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a stored track is evidence of a ride made during the task, before its bonus is paid.
 *
 * <p><b>The time window.</b> Only fixes whose device time {@code ts} lies in [started − skew,
 * completed + skew] count for arrival and distance ({@code started}: the task's in_progress
 * transition; {@code completed}: when completion was asked; {@code skew}: {@link
 * TaskSettings#COMPLETION_CLOCK_SKEW_SECONDS}, a phone clock's allowed error). The others are
 * ignored and counted. So the counted fixes' time span always fits between start and completion,
 * plus the skew at each end.
 *
 * <p><b>The upload pattern.</b> Every stored fix also carries {@code receivedAt}, the gateway's
 * clock when it arrived. A ride sent as it happens has receivedAt marching with ts; a ride made up
 * and uploaded at once after {@code start} has its ts spread over many minutes and its receivedAt
 * within seconds. When the counted fixes span at least {@link #MIN_JUDGED_SPAN_MS}, the ride is a
 * <em>burst</em> if either
 *
 * <ul>
 *   <li>the spread of receivedAt is less than {@link #BURST_SHARE} of the spread of ts, or
 *   <li>more than {@link #BURST_SHARE} of the ride's ts time was uploaded late: an interval between
 *       two fixes counts as late when its later fix reached the gateway more than {@link
 *       #LATE_UPLOAD_MS} later (receivedAt − ts) than the ride's promptest fix did. This catches a
 *       burst padded with one live fix at the start (which defeats the spread alone); measuring
 *       against the promptest fix makes a constant device clock offset harmless.
 * </ul>
 *
 * A rider who was offline for part of the ride and uploaded that part later passes both as long as
 * most of the ride arrived as it happened. A burst is not refused: the completion is held for an
 * admin's review ({@code needs_review}).
 *
 * @param counted fixes inside the window, ascending ts: what the arrival check replays
 * @param ignoredBeforeStart fixes with ts before started − skew
 * @param ignoredAfterCompletion fixes with ts after completed + skew
 * @param windowFromMs first ts counted (epoch ms)
 * @param windowToMs last ts counted (epoch ms)
 * @param tsSpreadMs last − first ts of the counted fixes (0 with fewer than two)
 * @param receivedSpreadMs last − first receivedAt of the counted fixes that have one
 * @param lateShare share of {@code tsSpreadMs} uploaded late (0..1)
 * @param withoutReceivedAt counted fixes stored without receivedAt (counted as late: unproven)
 * @param reasons why the ride is a burst, one sentence each (empty when it is not)
 */
public record RideEvidence(
    List<Fix> counted,
    int ignoredBeforeStart,
    int ignoredAfterCompletion,
    long windowFromMs,
    long windowToMs,
    long clockSkewMs,
    boolean enforced,
    long tsSpreadMs,
    long receivedSpreadMs,
    double lateShare,
    int withoutReceivedAt,
    List<String> reasons) {

  /**
   * Rides shorter than this (ts spread) are not judged on their upload pattern: too little to tell.
   */
  public static final long MIN_JUDGED_SPAN_MS = 5 * 60_000;

  /** "Most of the ride": the share of its time that must have arrived as it happened. */
  public static final double BURST_SHARE = 0.5;

  /**
   * A fix is late when it arrived this much later (receivedAt − ts) than the ride's promptest fix.
   */
  public static final long LATE_UPLOAD_MS = 120_000;

  public RideEvidence {
    counted = List.copyOf(counted);
    reasons = List.copyOf(reasons);
  }

  /**
   * The settings of the check ({@link TaskSettings#COMPLETION_TIME_CHECKS} = {@code enforced},
   * {@link TaskSettings#COMPLETION_CLOCK_SKEW_SECONDS}), read once per container.
   */
  public record Settings(boolean enforced, long clockSkewMs) {
    public static final Settings DEFAULTS = from(BackofficeConfig.of(Map.of()));

    static Settings from(BackofficeConfig config) {
      var values = config.read(TaskSettings.COMPLETION);
      return new Settings(
          values.get(TaskSettings.COMPLETION_TIME_CHECKS),
          values.get(TaskSettings.COMPLETION_CLOCK_SKEW_SECONDS).toMillis());
    }
  }

  /**
   * Judges {@code stored} (ascending ts) of a task started at {@code startedAt} (null: no lower
   * bound) whose completion is asked at {@code completedAt}.
   */
  public static RideEvidence of(
      List<StoredFix> stored, Instant startedAt, Instant completedAt, Settings settings) {
    long skew = settings.clockSkewMs();
    long from =
        !settings.enforced() || startedAt == null
            ? Long.MIN_VALUE
            : startedAt.toEpochMilli() - skew;
    long to = settings.enforced() ? completedAt.toEpochMilli() + skew : Long.MAX_VALUE;
    List<StoredFix> in = new ArrayList<>();
    int before = 0;
    int after = 0;
    for (StoredFix f : stored) {
      if (f.ts() < from) before++;
      else if (f.ts() > to) after++;
      else in.add(f);
    }
    long tsSpread = in.size() < 2 ? 0 : in.get(in.size() - 1).ts() - in.get(0).ts();
    long minLag = Long.MAX_VALUE;
    long minRcv = Long.MAX_VALUE;
    long maxRcv = Long.MIN_VALUE;
    int withoutRcv = 0;
    for (StoredFix f : in) {
      if (f.receivedAt() == null) {
        withoutRcv++;
        continue;
      }
      minLag = Math.min(minLag, f.receivedAt() - f.ts());
      minRcv = Math.min(minRcv, f.receivedAt());
      maxRcv = Math.max(maxRcv, f.receivedAt());
    }
    long rcvSpread = minRcv == Long.MAX_VALUE ? 0 : maxRcv - minRcv;
    long lateMs = 0;
    for (int i = 1; i < in.size(); i++) {
      StoredFix f = in.get(i);
      boolean late = f.receivedAt() == null || f.receivedAt() - f.ts() - minLag > LATE_UPLOAD_MS;
      if (late) lateMs += f.ts() - in.get(i - 1).ts();
    }
    double lateShare = tsSpread == 0 ? 0 : (double) lateMs / tsSpread;

    List<String> reasons = new ArrayList<>();
    if (settings.enforced() && tsSpread >= MIN_JUDGED_SPAN_MS) {
      if (rcvSpread < BURST_SHARE * tsSpread) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "the ride's fixes span %s of device time but reached the server " + "within %s",
                duration(tsSpread),
                duration(rcvSpread)));
      }
      if (lateShare > BURST_SHARE) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "%.0f%% of the ride's time was uploaded more than %d s after it was " + "ridden",
                lateShare * 100,
                LATE_UPLOAD_MS / 1000));
      }
    }
    List<Fix> counted = in.stream().map(StoredFix::fix).toList();
    return new RideEvidence(
        counted,
        before,
        after,
        from,
        to,
        skew,
        settings.enforced(),
        tsSpread,
        rcvSpread,
        lateShare,
        withoutRcv,
        reasons);
  }

  /** Most of the ride was uploaded after the fact: the completion waits for an admin's review. */
  public boolean burst() {
    return !reasons.isEmpty();
  }

  /** Says which fixes did not count, for a refusal (null when none were ignored). */
  public String ignoredNote() {
    if (ignoredBeforeStart == 0 && ignoredAfterCompletion == 0) return null;
    List<String> parts = new ArrayList<>();
    if (ignoredBeforeStart > 0) {
      parts.add(
          ignoredBeforeStart
              + " fix"
              + (ignoredBeforeStart == 1 ? " is" : "es are")
              + " timed before the task "
              + "was started");
    }
    if (ignoredAfterCompletion > 0) {
      parts.add(
          ignoredAfterCompletion
              + " fix"
              + (ignoredAfterCompletion == 1 ? " is" : "es are")
              + " timed after "
              + "now");
    }
    return String.join(" and ", parts)
        + " (more than "
        + clockSkewMs / 1000
        + " s of clock error allowed): they do "
        + "not count";
  }

  /** The audit form: what counted, what was ignored, and the two clocks' spreads. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("enforced", enforced)
        .put("countedFixes", counted.size())
        .put("ignoredFixes", ignoredBeforeStart + ignoredAfterCompletion)
        .put("ignoredBeforeStart", ignoredBeforeStart)
        .put("ignoredAfterCompletion", ignoredAfterCompletion)
        .put(
            "windowFrom",
            enforced && windowFromMs != Long.MIN_VALUE
                ? Instant.ofEpochMilli(windowFromMs).toString()
                : null)
        .put("windowTo", enforced ? Instant.ofEpochMilli(windowToMs).toString() : null)
        .put("clockSkewS", clockSkewMs / 1000)
        .put("tsSpreadS", tsSpreadMs / 1000.0)
        .put("receivedAtSpreadS", receivedSpreadMs / 1000.0)
        .put("lateUploadShare", Math.round(lateShare * 1000) / 1000.0)
        .put("fixesWithoutReceivedAt", withoutReceivedAt)
        .put("burst", burst())
        .put("reasons", new JsonArray(new ArrayList<>(reasons)));
  }

  private static String duration(long ms) {
    long s = Math.round(ms / 1000.0);
    return s >= 120 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
  }
}
