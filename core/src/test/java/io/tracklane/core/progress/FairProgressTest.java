package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.ORIGIN;
import static io.tracklane.core.progress.TestKit.T0;
import static io.tracklane.core.progress.TestKit.assertMonotonic;
import static io.tracklane.core.progress.TestKit.offset;
import static io.tracklane.core.progress.TestKit.ride;
import static io.tracklane.core.progress.TestKit.route;
import static io.tracklane.core.progress.TestKit.straight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.core.progress.TestKit.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Progress and completion that are fair to a rider who really rode (issue #20): one test per rule.
 * Routes run due east from {@link TestKit#ORIGIN}, so "along" is the east offset.
 */
class FairProgressTest {

  private static Fix at(long ts, double eastM, double northM) {
    GeoPoint p = offset(ORIGIN, eastM, northM);
    return Fix.of(ts, p.lat(), p.lon());
  }

  private static Checkpoint cpAt(String name, double eastM, double radiusM) {
    GeoPoint p = offset(ORIGIN, eastM, 0);
    return Checkpoint.of(name, p.lat(), p.lon(), radiusM);
  }

  private static List<Alert> checkpointAlerts(Run run) {
    return run.alerts.stream().filter(a -> a.type() == AlertType.CHECKPOINT_REACHED).toList();
  }

  // 1. Checkpoints reached by the path between fixes.

  @Test
  void aCheckpointPassedMidwayBetweenTwoFixesIsReached() {
    // 15 m/s, a fix every 10 s: fixes at 1500 m and 1650 m, the checkpoint at 1575 m, 75 m from
    // each.
    RouteGeometry route = route(straight(), cpAt("midway", 1575, 30), cpAt("end", 5000, 30));
    List<Fix> fixes = ride(straight(), 15, T0, 10);
    Run run = TestKit.run(route, fixes);
    List<Alert> reached = checkpointAlerts(run);
    assertEquals(2, reached.size(), () -> "alerts: " + run.types());
    assertEquals(T0 + 110_000, reached.get(0).ts(), "reached by the leg ending at the 1650 m fix");
    assertTrue(
        ((Number) reached.get(0).details().get("distanceM")).doubleValue() < 1,
        "the leg passes through it");
    TrackReview review = TrackReview.of("t", route, ProgressConfig.DEFAULTS, fixes);
    assertTrue(review.arrived(), review.shortfalls().toString());
  }

  @Test
  void aLegLongerThanTheGapBoundDoesNotReachACheckpoint() {
    RouteGeometry route = route(straight(), cpAt("midway", 1575, 30));
    // Fixes 1500 m and 1650 m apart in time by 40 s (> checkpointPathMaxGap): the straight leg says
    // little about where the rider went.
    List<Fix> fixes =
        List.of(
            at(T0, 1400, 0),
            at(T0 + 10_000, 1500, 0),
            at(T0 + 50_000, 1650, 0),
            at(T0 + 60_000, 1750, 0));
    Run run = TestKit.run(route, fixes);
    assertEquals(0, checkpointAlerts(run).size(), () -> "alerts: " + run.types());
  }

  @Test
  void aLegFasterThanTheSpeedFilterDoesNotReachACheckpoint() {
    // Fourth spike in a row: accepted by the filter to avoid a lock-out, but its legs are
    // implausible.
    RouteGeometry route = route(TestKit.line(0, 0, 5000, 0), cpAt("far", 2000, 30));
    List<Fix> fixes =
        List.of(
            at(T0, 0, 0),
            at(T0 + 10_000, 0, 0),
            at(T0 + 11_000, 4000, 100),
            at(T0 + 12_000, 4000, 100),
            at(T0 + 13_000, 4000, 100),
            at(T0 + 14_000, 4000, 100));
    Run run = TestKit.run(route, fixes);
    assertEquals(0, checkpointAlerts(run).size(), () -> "alerts: " + run.types());
  }

  // 2. Progress advances only on evidence.

  @Test
  void aSpikeAlongTheRouteMovesProgressByAtMostThePlausibleStepAndNeverFreezesItAhead() {
    RouteGeometry route = route(straight());
    // Fix 20 (rider at 2000 m) replaced by a spike 14 m from the route and 476 m further along
    // than the previous fix (47.6 m/s, under the 60 m/s filter; within the matching window), or
    // 580 m (beyond the window).
    for (double spikeAlong : new double[] {1900 + 476, 2480}) {
      List<Fix> fixes = new ArrayList<>(ride(straight(), 10, T0, 10));
      fixes.set(20, at(fixes.get(20).ts(), spikeAlong, 14));
      Run run = TestKit.run(route, fixes);
      assertMonotonic(run);
      double before = run.updates.get(19).alongM();
      double atSpike = run.updates.get(20).alongM();
      double plausible =
          new PlausibleStep(ProgressConfig.DEFAULTS)
              .maxAdvanceM(10_000, 10, Double.NaN, Double.NaN);
      assertTrue(
          atSpike - before <= plausible,
          "moved " + (atSpike - before) + " m, plausible " + plausible);
      assertEquals(
          before, atSpike, 0.01, "a jump beyond the plausible step does not move progress at all");
      assertEquals(
          run.updates.get(19).etaSeconds(), run.updates.get(20).etaSeconds(), "nor the ETA");
      assertEquals(spikeAlong, eastOf(run.updates.get(20)), 1, "the fix's own position is shown");
      for (int i = 0; i < run.updates.size(); i++) {
        double truth = Math.min(5000, i * 100.0);
        assertTrue(
            run.updates.get(i).alongM() <= truth + 5,
            "fix "
                + i
                + ": progress "
                + run.updates.get(i).alongM()
                + " ahead of the rider at "
                + truth);
      }
      assertEquals(List.of(AlertType.ARRIVED), run.types());
    }
  }

  @Test
  void progressFollowsARealJumpAfterTwoFixes() {
    RouteGeometry route = route(straight());
    // 10 m/s to 1000 m, then (a fast stretch) 400 m in 10 s, then on at 10 m/s.
    List<Fix> fixes = new ArrayList<>();
    for (int i = 0; i <= 10; i++) fixes.add(at(T0 + i * 10_000L, i * 100, 0));
    fixes.add(at(T0 + 110_000, 1400, 0));
    fixes.add(at(T0 + 120_000, 1500, 0));
    fixes.add(at(T0 + 130_000, 1600, 0));
    Run run = TestKit.run(route, fixes);
    assertEquals(1000, run.updates.get(10).alongM(), 1);
    assertEquals(1000, run.updates.get(11).alongM(), 1, "one fix is not enough for a 400 m jump");
    assertEquals(1500, run.updates.get(12).alongM(), 1, "the second fix that agrees confirms it");
    assertEquals(1600, run.updates.get(13).alongM(), 1);
  }

  // 3. Distance paid excludes implausible fixes.

  @Test
  void aStaleFirstFixFarAwayAddsNoDistanceAndNoProgress() {
    Polyline twoKm = TestKit.line(0, 0, 2000, 0);
    RouteGeometry route = route(twoKm, cpAt("end", 2000, 40));
    List<Fix> ride = ride(twoKm, 10, T0, 10);
    for (Fix stale : List.of(at(T0 - 10_000, 0, 1500), at(T0 - 10_000, 1500, 0))) {
      // off the route, and (worse) on the route but 1.5 km ahead of the rider
      List<Fix> fixes = new ArrayList<>();
      fixes.add(stale);
      fixes.addAll(ride);
      TrackReview review = TrackReview.of("t", route, ProgressConfig.DEFAULTS, fixes);
      assertEquals(2000, review.distanceM(), 5, "stale fix " + stale);
      assertTrue(review.arrived(), review.shortfalls().toString());
      Run run = TestKit.run(route, fixes);
      // The stale fix itself may have been placed; once found out, what it placed is discarded,
      // and from then on progress never goes back.
      Run after = new Run();
      after.updates.addAll(run.updates.subList(1, run.updates.size()));
      assertMonotonic(after);
      for (ProgressUpdate u : after.updates) {
        if (u.ts() < T0) continue;
        assertTrue(
            u.alongM() <= (u.ts() - T0) / 100.0 + 5, "progress " + u.alongM() + " at " + u.ts());
      }
      assertEquals(1, run.count(AlertType.ARRIVED));
    }
  }

  @Test
  void aTrailingImplausibleFixAddsNoDistance() {
    List<Fix> fixes = new ArrayList<>(ride(TestKit.line(0, 0, 1000, 0), 10, T0, 10));
    Fix last = fixes.get(fixes.size() - 1);
    fixes.add(at(last.ts() + 10_000, 1000, 2000));
    assertEquals(1000, TrackReview.riddenDistanceM(fixes, 60), 1);
  }

  // 4. Late fixes still mark checkpoints.

  @Test
  void aLateFixInsideACheckpointMarksItAndTheOnesPassedSince() {
    RouteGeometry route =
        route(straight(), cpAt("a", 1000, 30), cpAt("b", 2000, 30), cpAt("end", 5000, 30));
    List<Fix> inOrder = ride(straight(), 10, T0, 10);
    // The phone was offline from 60 s to 150 s (600-1500 m): those fixes arrive at the end. Live,
    // 90 s separate the fixes around the gap, too long for the leg between them to count.
    List<Fix> live = new ArrayList<>();
    List<Fix> buffered = new ArrayList<>();
    for (Fix f : inOrder)
      (f.ts() >= T0 + 60_000 && f.ts() <= T0 + 150_000 ? buffered : live).add(f);
    List<Fix> delivery = new ArrayList<>(live);
    delivery.addAll(buffered);

    TaskProgressTracker tracker = TestKit.tracker(route);
    Run run = TestKit.run(tracker, live);
    assertEquals(
        List.of(AlertType.ARRIVED),
        run.types(),
        "a, hence b, missed live: no fix within a's radius");
    double progress = run.last().alongM();
    Run late = new Run();
    TestKit.feed(tracker, buffered, late);
    assertEquals(
        List.of(
            AlertType.CHECKPOINT_REACHED,
            AlertType.CHECKPOINT_REACHED,
            AlertType.CHECKPOINT_REACHED),
        late.types(),
        "a by the late fix at 1000 m, then b and the end, which later fixes had passed");
    assertEquals(T0 + 100_000, late.alerts.get(0).ts());
    assertEquals(Boolean.TRUE, late.alerts.get(0).details().get("lateFix"));
    assertEquals(3, tracker.snapshot().checkpointsReached());
    ProgressUpdate shown = late.updates.get(late.updates.size() - 1);
    assertEquals(3, shown.checkpointsReached());
    assertEquals(progress, shown.alongM(), "progress did not move");
    assertEquals(run.last().ts(), shown.ts(), "the state shown is still the latest fix's");

    // The same verdict as the completion review, which replays in ts order.
    TrackReview review = TrackReview.of("t", route, ProgressConfig.DEFAULTS, inOrder);
    for (int i = 0; i < 3; i++) assertNotNull(review.checkpoints().get(i).reachedTs());
  }

  @Test
  void aLateFixThatDoesNotFitTheOrderMarksNothing() {
    RouteGeometry route = route(straight(), cpAt("a", 1000, 30), cpAt("b", 2000, 30));
    TaskProgressTracker tracker = TestKit.tracker(route);
    // a reached at 1000 m (100 s); a late fix from 50 s that happens to lie at b must not count.
    for (int i = 0; i <= 15; i++) tracker.onFix(at(T0 + i * 10_000L, i * 100, 0));
    assertEquals(1, tracker.snapshot().checkpointsReached());
    assertEquals(List.of(), tracker.onFix(at(T0 + 50_000, 2000, 0)));
    assertNull(tracker.checkpointReachedTs(1));
  }

  // 5. After a long jump, the checkpoint near the fixes around it.

  @Test
  void afterALongJumpACheckpointWithin49mOfTheJumpFixesIsReached() {
    // 10 m/s to 500 m; then 30 s without a fix and 1549 m further (beyond the 600 m window: placed
    // only once the next fix agrees). The checkpoint is 49 m behind the first fix after the jump.
    for (long gapToConfirmMs : new long[] {10_000, 40_000}) {
      RouteGeometry route = route(straight(), cpAt("cp", 2000, 50));
      List<Fix> fixes = new ArrayList<>();
      for (int i = 0; i <= 5; i++) fixes.add(at(T0 + i * 10_000L, i * 100, 0));
      fixes.add(at(T0 + 80_000, 2049, 0));
      fixes.add(at(T0 + 80_000 + gapToConfirmMs, 2049 + gapToConfirmMs / 100.0, 0));
      Run run = TestKit.run(route, fixes);
      assertEquals(List.of(AlertType.CHECKPOINT_REACHED), run.types(), "gap " + gapToConfirmMs);
      assertEquals(49, ((Number) run.alerts.get(0).details().get("distanceM")).doubleValue(), 1);
      TrackReview review = TrackReview.of("t", route, ProgressConfig.DEFAULTS, fixes);
      assertTrue(review.missedCheckpoints().isEmpty(), review.shortfalls().toString());
    }
  }

  @Test
  void afterALongJumpACheckpointWithin49mOfTheConfirmingFixIsReached() {
    RouteGeometry route = route(straight(), cpAt("cp", 2149 + 49, 50));
    List<Fix> fixes = new ArrayList<>();
    for (int i = 0; i <= 5; i++) fixes.add(at(T0 + i * 10_000L, i * 100, 0));
    fixes.add(at(T0 + 80_000, 2049, 0));
    fixes.add(at(T0 + 90_000, 2149, 0));
    Run run = TestKit.run(route, fixes);
    assertEquals(List.of(AlertType.CHECKPOINT_REACHED), run.types());
  }

  private static double eastOf(ProgressUpdate u) {
    return TestKit.line(0, 0, 5000, 0).nearest(GeoPoint.of(u.lat(), u.lon())).distanceAlongM();
  }
}
