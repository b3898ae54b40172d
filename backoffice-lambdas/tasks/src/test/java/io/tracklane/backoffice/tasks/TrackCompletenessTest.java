package io.tracklane.backoffice.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.tasks.TrackCompleteness.Gap;
import io.tracklane.backoffice.tasks.TrackCompleteness.LateBurst;
import io.tracklane.core.fix.Fix;
import io.tracklane.fixestable.StoredFix;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure completeness score on synthetic rides, counted by hand. */
class TrackCompletenessTest {
  /** 2026-01-01T10:00:00Z. */
  static final long T0 = 1_767_261_600_000L;

  static final long CADENCE = 10_000;

  static StoredFix fix(long ts, Long receivedAt, Double bat) {
    return new StoredFix(
        "t", "r", new Fix(ts, 31.2, 121.4, null, null, null, null, bat), receivedAt);
  }

  static StoredFix live(long ts) {
    return fix(ts, ts + 500, null);
  }

  /**
   * A 20-minute ride, one fix per 10 s from 10:00:10 to 10:20:00 (120 fixes), except: none from
   * 10:05:10 to 10:09:50 (29 missing: a 5-minute gap from 10:05:00 to 10:10:00), and the 18 fixes
   * from 10:12:00 to 10:14:50 uploaded together at 10:16:00 (lags 240 s down to 70 s: all late).
   */
  static List<StoredFix> plantedRide() {
    List<StoredFix> out = new ArrayList<>();
    for (long s = 10; s <= 1200; s += 10) {
      if (s > 300 && s < 600) continue;
      long ts = T0 + s * 1000;
      boolean offline = s >= 720 && s <= 890;
      out.add(
          fix(
              ts,
              offline ? T0 + 960_000 : ts + 800,
              s == 10 ? Double.valueOf(0.9) : s == 1200 ? Double.valueOf(0.71) : null));
    }
    return out;
  }

  @Test
  void countsExpectedReceivedGapsAndLateFixesOfAPlantedRide() {
    TrackCompleteness c = TrackCompleteness.of(plantedRide(), T0, T0 + 1_200_000, CADENCE, false);
    assertEquals(120, c.expected());
    assertEquals(91, c.received());
    assertEquals(91 / 120.0, c.ratio(), 1e-9);
    assertEquals(List.of(new Gap(T0 + 300_000, T0 + 600_000)), c.gaps());
    assertEquals(300_000, c.longestGapMs());
    assertEquals(18, c.late());
    assertEquals(91, c.withReceivedAt());
    assertEquals(18 / 91.0, c.lateShare(), 1e-9);
    assertEquals(
        List.of(new LateBurst(T0 + 720_000, T0 + 890_000, 18, T0 + 960_000)), c.lateBursts());
    assertEquals(0.9, c.batteryStart());
    assertEquals(0.71, c.batteryEnd());
    assertEquals(
        List.of(
            "5 min 0 s gap at 10:05 (phone recorded nothing)",
            "20 % uploaded late (offline burst 10:12–10:14, uploaded 10:16)"),
        c.problems(ZoneOffset.UTC));
    // the dispatcher's zone: Shanghai is UTC+8
    assertTrue(c.problems(ZoneId.of("Asia/Shanghai")).get(0).contains("gap at 18:05"));
    JsonObject json = c.toJson();
    assertEquals(120, json.getInteger("expectedFixes"));
    assertEquals(91, json.getInteger("receivedFixes"));
    assertEquals(0.758, json.getDouble("ratio"));
    assertEquals(1, json.getInteger("gapCount"));
    assertEquals(300.0, json.getDouble("longestGapS"));
    assertEquals(
        "2026-01-01T10:05:00Z", json.getJsonArray("gaps").getJsonObject(0).getString("from"));
    assertEquals(
        "2026-01-01T10:10:00Z", json.getJsonArray("gaps").getJsonObject(0).getString("to"));
    assertEquals(0.198, json.getDouble("lateShare"));
    assertEquals(
        "2026-01-01T10:16:00Z",
        json.getJsonArray("lateBursts").getJsonObject(0).getString("uploadedAt"));
    assertEquals(
        "91 of 120 expected fixes (76 %); 5 min 0 s gap at 10:05 (phone recorded nothing); "
            + "20 % uploaded late (offline burst 10:12–10:14, uploaded 10:16) (UTC)",
        json.getString("summary"));
  }

  @Test
  void exactlySixtySecondsIsNeitherAGapNorLate() {
    // fixes 60 s apart from the start to the end, each received exactly 60 s after it was taken
    List<StoredFix> atBoundary = new ArrayList<>();
    for (long s = 60; s <= 600; s += 60)
      atBoundary.add(fix(T0 + s * 1000, T0 + s * 1000 + 60_000, null));
    TrackCompleteness c = TrackCompleteness.of(atBoundary, T0, T0 + 600_000, CADENCE, false);
    assertEquals(List.of(), c.gaps());
    assertEquals(0, c.late());
    assertEquals(List.of(), c.problems(ZoneOffset.UTC));
    assertTrue(c.summary().endsWith("; complete"), c.summary());

    // one millisecond more on each
    List<StoredFix> over = new ArrayList<>(atBoundary);
    over.set(4, fix(T0 + 300_001, T0 + 300_001 + 60_001, null));
    TrackCompleteness d = TrackCompleteness.of(over, T0, T0 + 600_000, CADENCE, false);
    assertEquals(List.of(new Gap(T0 + 240_000, T0 + 300_001)), d.gaps());
    assertEquals(1, d.late());
  }

  @Test
  void noFixesIsOneGapOverTheWholeRide() {
    TrackCompleteness c = TrackCompleteness.of(List.of(), T0, T0 + 600_000, CADENCE, false);
    assertEquals(60, c.expected());
    assertEquals(0, c.received());
    assertEquals(0.0, c.ratio());
    assertEquals(List.of(new Gap(T0, T0 + 600_000)), c.gaps());
    assertEquals(0.0, c.lateShare());
    assertNull(c.batteryStart());
    assertNull(c.batteryEnd());
    assertEquals(List.of("no fixes received"), c.problems(ZoneOffset.UTC));
  }

  @Test
  void oneFixGivesTheBatteryAtBothEndsAndTheGapAfterIt() {
    TrackCompleteness c =
        TrackCompleteness.of(
            List.of(fix(T0 + 30_000, T0 + 30_400, 0.55)), T0, T0 + 120_000, CADENCE, false);
    assertEquals(12, c.expected());
    assertEquals(1, c.received());
    assertEquals(List.of(new Gap(T0 + 30_000, T0 + 120_000)), c.gaps());
    assertEquals(0.55, c.batteryStart());
    assertEquals(0.55, c.batteryEnd());
    assertEquals(0, c.late());
  }

  @Test
  void aRideInProgressIsJudgedUpToNowAndIgnoresFixesOutsideIt() {
    long now = T0 + 95_000;
    List<StoredFix> fixes = new ArrayList<>();
    fixes.add(live(T0 - 5_000)); // before the start: not this ride's
    for (long s = 10; s <= 90; s += 10) fixes.add(live(T0 + s * 1000));
    fixes.add(live(now + 30_000)); // a phone clock ahead of the server: not yet
    TrackCompleteness c = TrackCompleteness.of(fixes, T0, now, CADENCE, true);
    assertEquals(9, c.expected());
    assertEquals(9, c.received());
    assertEquals(1.0, c.ratio());
    assertEquals(List.of(), c.gaps());
    assertTrue(c.toJson().getBoolean("inProgress"));
    assertEquals("2026-01-01T10:01:35Z", c.toJson().getString("to"));
  }

  @Test
  void moreFixesThanTheCadenceDoNotMakeUpForAGap() {
    List<StoredFix> fixes = new ArrayList<>();
    for (long s = 1; s <= 60; s++) fixes.add(live(T0 + s * 1000)); // 1 Hz for a minute
    TrackCompleteness c = TrackCompleteness.of(fixes, T0, T0 + 200_000, CADENCE, false);
    assertEquals(20, c.expected());
    assertEquals(60, c.received());
    assertEquals(1.0, c.ratio());
    assertEquals(List.of(new Gap(T0 + 60_000, T0 + 200_000)), c.gaps());
    assertFalse(c.problems(ZoneOffset.UTC).isEmpty());
  }

  @Test
  void separateOfflineStretchesAreSeparateBurstsAndFixesWithoutReceiveTimeAreNotJudged() {
    List<StoredFix> fixes = new ArrayList<>();
    for (long s = 10; s <= 300; s += 10) {
      long ts = T0 + s * 1000;
      Long rcv = s <= 50 ? Long.valueOf(T0 + 200_000) : s >= 250 ? T0 + 400_000 : ts + 100;
      if (s == 150) rcv = null;
      fixes.add(fix(ts, rcv, null));
    }
    TrackCompleteness c = TrackCompleteness.of(fixes, T0, T0 + 300_000, CADENCE, false);
    assertEquals(2, c.lateBursts().size());
    assertEquals(new LateBurst(T0 + 10_000, T0 + 50_000, 5, T0 + 200_000), c.lateBursts().get(0));
    assertEquals(new LateBurst(T0 + 250_000, T0 + 300_000, 6, T0 + 400_000), c.lateBursts().get(1));
    assertEquals(11, c.late());
    assertEquals(29, c.withReceivedAt());
    assertEquals(30, c.received());
  }

  @Test
  void aCadenceMustBePositive() {
    assertThrows(
        IllegalArgumentException.class, () -> TrackCompleteness.of(List.of(), T0, T0, 0, false));
  }
}
