package io.tracklane.backoffice.tasks;

import io.tracklane.fixestable.StoredFix;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How complete a ride's stored track is, judged against the cadence the phone was asked for. Pure:
 * the fixes, the ride's span and the cadence in; numbers and a short summary out.
 *
 * <p>Only fixes whose device time {@code ts} lies in the ride, [{@code fromMs}, {@code toMs}] (the
 * task's start to its completion, or to now while it is in progress), count. The two kinds of
 * trouble are told apart:
 *
 * <ul>
 *   <li>a <b>gap</b> is more than {@link #GAP_MS} of ride time with no fix at all, between two
 *       fixes or between an end of the ride and its nearest fix: the phone recorded nothing
 *       (asleep, app stopped, GPS off);
 *   <li>a fix is <b>late</b> when it reached the gateway more than {@link #LATE_MS} after it was
 *       taken ({@code receivedAt − ts}): the phone recorded it but had no network; consecutive late
 *       fixes form one <b>late burst</b> (an offline stretch uploaded afterwards).
 * </ul>
 *
 * @param fromMs ride start (epoch ms)
 * @param toMs ride end, or now for a ride in progress (epoch ms)
 * @param cadenceMs the reporting interval asked of the phone
 * @param expected fixes the cadence promises over the ride: ⌊(to − from) / cadence⌋
 * @param received fixes stored with ts inside the ride
 * @param gaps gaps over {@link #GAP_MS}, in ride order
 * @param late fixes uploaded late
 * @param withReceivedAt received fixes that carry the gateway's receive time (the share's base)
 * @param lateBursts runs of consecutive late fixes, in ride order
 * @param batteryStart battery (0..1) of the first received fix that reports one, or null
 * @param batteryEnd battery (0..1) of the last received fix that reports one, or null
 * @param inProgress whether {@code toMs} is "now" rather than the ride's end
 */
public record TrackCompleteness(
    long fromMs,
    long toMs,
    long cadenceMs,
    int expected,
    int received,
    List<Gap> gaps,
    int late,
    int withReceivedAt,
    List<LateBurst> lateBursts,
    Double batteryStart,
    Double batteryEnd,
    boolean inProgress) {

  /** Longer than this without a fix is a gap (exactly this long is not). */
  public static final long GAP_MS = 60_000;

  /** A fix received more than this after it was taken was uploaded late (exactly this is not). */
  public static final long LATE_MS = 60_000;

  /** The summary names at most this many gaps and bursts each, then says how many more. */
  static final int NAMED = 3;

  /** A stretch of ride time with no fix: {@code fromMs} (last fix or ride start) to the next. */
  public record Gap(long fromMs, long toMs) {
    public long durationMs() {
      return toMs - fromMs;
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("from", Instant.ofEpochMilli(fromMs).toString())
          .put("to", Instant.ofEpochMilli(toMs).toString())
          .put("durationS", durationMs() / 1000.0);
    }
  }

  /**
   * Consecutive late fixes: taken from {@code fromMs} to {@code toMs}, the last reaching the
   * gateway at {@code uploadedAtMs}.
   */
  public record LateBurst(long fromMs, long toMs, int fixes, long uploadedAtMs) {
    JsonObject toJson() {
      return new JsonObject()
          .put("from", Instant.ofEpochMilli(fromMs).toString())
          .put("to", Instant.ofEpochMilli(toMs).toString())
          .put("fixes", fixes)
          .put("uploadedAt", Instant.ofEpochMilli(uploadedAtMs).toString());
    }
  }

  public TrackCompleteness {
    gaps = List.copyOf(gaps);
    lateBursts = List.copyOf(lateBursts);
  }

  /**
   * Judges {@code stored} (ascending ts) of a ride from {@code fromMs} to {@code toMs} at {@code
   * cadenceMs}.
   */
  public static TrackCompleteness of(
      List<StoredFix> stored, long fromMs, long toMs, long cadenceMs, boolean inProgress) {
    if (cadenceMs <= 0) throw new IllegalArgumentException("cadence must be positive");
    long to = Math.max(fromMs, toMs);
    int expected = (int) Math.min(Integer.MAX_VALUE, (to - fromMs) / cadenceMs);
    List<StoredFix> in = new ArrayList<>();
    for (StoredFix f : stored) {
      if (f.ts() >= fromMs && f.ts() <= to) in.add(f);
    }
    List<Gap> gaps = new ArrayList<>();
    long previous = fromMs;
    for (StoredFix f : in) {
      if (f.ts() - previous > GAP_MS) gaps.add(new Gap(previous, f.ts()));
      previous = f.ts();
    }
    if (to - previous > GAP_MS) gaps.add(new Gap(previous, to));

    int late = 0;
    int withRcv = 0;
    List<LateBurst> bursts = new ArrayList<>();
    LateBurst open = null;
    Double batStart = null;
    Double batEnd = null;
    for (StoredFix f : in) {
      Double bat = f.fix().bat();
      if (bat != null) {
        if (batStart == null) batStart = bat;
        batEnd = bat;
      }
      // a fix without receivedAt (stored before it existed) neither proves nor breaks a burst
      if (f.receivedAt() == null) continue;
      withRcv++;
      if (f.receivedAt() - f.ts() > LATE_MS) {
        late++;
        open =
            open == null
                ? new LateBurst(f.ts(), f.ts(), 1, f.receivedAt())
                : new LateBurst(
                    open.fromMs(),
                    f.ts(),
                    open.fixes() + 1,
                    Math.max(open.uploadedAtMs(), f.receivedAt()));
      } else if (open != null) {
        bursts.add(open);
        open = null;
      }
    }
    if (open != null) bursts.add(open);
    return new TrackCompleteness(
        fromMs,
        to,
        cadenceMs,
        expected,
        in.size(),
        gaps,
        late,
        withRcv,
        bursts,
        batStart,
        batEnd,
        inProgress);
  }

  /** Received over expected, at most 1 (fixes faster than the cadence do not make up for gaps). */
  public double ratio() {
    return expected == 0 ? (received > 0 ? 1.0 : 0.0) : Math.min(1.0, (double) received / expected);
  }

  /** Share (0..1) of the fixes with a receive time that were uploaded late. */
  public double lateShare() {
    return withReceivedAt == 0 ? 0 : (double) late / withReceivedAt;
  }

  public long longestGapMs() {
    return gaps.stream().mapToLong(Gap::durationMs).max().orElse(0);
  }

  /** The problems in a few words each, times in {@code zone}; empty when the track is complete. */
  public List<String> problems(ZoneId zone) {
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(zone);
    List<String> out = new ArrayList<>();
    if (received == 0 && expected > 0) {
      out.add("no fixes received");
      return out;
    }
    for (int i = 0; i < Math.min(NAMED, gaps.size()); i++) {
      Gap g = gaps.get(i);
      out.add(
          duration(g.durationMs())
              + " gap at "
              + hhmm.format(Instant.ofEpochMilli(g.fromMs()))
              + " (phone recorded nothing)");
    }
    if (gaps.size() > NAMED) out.add((gaps.size() - NAMED) + " more gaps over 60 s");
    if (late > 0) {
      List<String> named = new ArrayList<>();
      for (int i = 0; i < Math.min(NAMED, lateBursts.size()); i++) {
        LateBurst b = lateBursts.get(i);
        named.add(
            "offline burst "
                + hhmm.format(Instant.ofEpochMilli(b.fromMs()))
                + "–"
                + hhmm.format(Instant.ofEpochMilli(b.toMs()))
                + ", uploaded "
                + hhmm.format(Instant.ofEpochMilli(b.uploadedAtMs())));
      }
      if (lateBursts.size() > NAMED) named.add((lateBursts.size() - NAMED) + " more");
      out.add(
          String.format(Locale.ROOT, "%.0f %% uploaded late", lateShare() * 100)
              + " ("
              + String.join("; ", named)
              + ")");
    }
    return out;
  }

  /** One line: "complete" or the problems joined, times in UTC. */
  public String summary() {
    List<String> p = problems(ZoneOffset.UTC);
    String fixes =
        String.format(
            Locale.ROOT, "%d of %d expected fixes (%.0f %%)", received, expected, ratio() * 100);
    return p.isEmpty() ? fixes + "; complete" : fixes + "; " + String.join("; ", p) + " (UTC)";
  }

  /** The API form ({@code trackCompleteness} of {@code GET /tasks/{id}}). */
  public JsonObject toJson() {
    JsonArray gapItems = new JsonArray();
    gaps.forEach(g -> gapItems.add(g.toJson()));
    JsonArray burstItems = new JsonArray();
    lateBursts.forEach(b -> burstItems.add(b.toJson()));
    return new JsonObject()
        .put("from", Instant.ofEpochMilli(fromMs).toString())
        .put("to", Instant.ofEpochMilli(toMs).toString())
        .put("inProgress", inProgress)
        .put("cadenceS", cadenceMs / 1000.0)
        .put("expectedFixes", expected)
        .put("receivedFixes", received)
        .put("ratio", round3(ratio()))
        .put("gapCount", gaps.size())
        .put("longestGapS", longestGapMs() / 1000.0)
        .put("gaps", gapItems)
        .put("lateFixes", late)
        .put("lateShare", round3(lateShare()))
        .put("lateBursts", burstItems)
        .put("batteryStart", batteryStart)
        .put("batteryEnd", batteryEnd)
        .put("summary", summary());
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** "4 min 58 s", "75 s" for under two minutes, "1 h 2 min" from an hour. */
  static String duration(long ms) {
    long s = Math.round(ms / 1000.0);
    if (s >= 3600) return (s / 3600) + " h " + (s % 3600) / 60 + " min";
    return s >= 120 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
  }
}
