package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.T0;
import static io.tracklane.core.progress.TestKit.assertMonotonic;
import static io.tracklane.core.progress.TestKit.concat;
import static io.tracklane.core.progress.TestKit.jitter;
import static io.tracklane.core.progress.TestKit.lShape;
import static io.tracklane.core.progress.TestKit.line;
import static io.tracklane.core.progress.TestKit.ride;
import static io.tracklane.core.progress.TestKit.route;
import static io.tracklane.core.progress.TestKit.run;
import static io.tracklane.core.progress.TestKit.shifted;
import static io.tracklane.core.progress.TestKit.spikes;
import static io.tracklane.core.progress.TestKit.stay;
import static io.tracklane.core.progress.TestKit.straight;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.core.progress.TestKit.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskProgressTrackerTest {

  @Test
  void straightRouteProgressesMonotonicallyToArrivalOnce() {
    RouteGeometry route = route(straight());
    List<Fix> fixes = ride(straight(), 10, T0, 10);
    GeoPoint end = straight().points().get(1);
    // Then the rider waits at the destination for five minutes: the task is done, no STOPPED.
    fixes = concat(fixes, stay(end, 30, 0, 10), 10);
    Run run = run(route, fixes);

    assertEquals(fixes.size(), run.updates.size(), "one update per accepted fix");
    assertMonotonic(run);
    assertEquals(100.0, run.last().percent(), 0.01);
    assertEquals(List.of(AlertType.ARRIVED), run.types());
    assertTrue(run.updates.get(run.updates.size() / 4).percent() > 20);
    assertEquals(0L, run.last().etaSeconds());
  }

  @Test
  void lShapedRouteTracksTheTrueDistanceAlong() {
    Polyline l = lShape();
    RouteGeometry route = route(l);
    List<Fix> fixes = ride(l, 8, T0, 10);
    Run run = run(route, fixes);

    for (int i = 0; i < run.updates.size(); i++) {
      double expected = Math.min(l.lengthM(), i * 80.0);
      assertEquals(expected, run.updates.get(i).alongM(), 1.0, "fix " + i);
      assertEquals(0.0, run.updates.get(i).offRouteM(), 1.0);
      assertTrue(run.updates.get(i).onRoute());
    }
    assertMonotonic(run);
    assertEquals(List.of(AlertType.ARRIVED), run.types());
  }

  @Test
  void aDetourOf200mRaisesOffRouteOnceAndBackOnRouteOnce() {
    RouteGeometry route = route(straight());
    // On the route to 1.5 km, 200 m north of it from 1.6 to 3.4 km, back on it from 3.5 km.
    Polyline path = line(0, 0, 1500, 0, 1600, 200, 3400, 200, 3500, 0, 5000, 0);
    List<Fix> fixes = ride(path, 10, T0, 10);
    Run run = run(route, fixes);

    assertEquals(
        List.of(AlertType.OFF_ROUTE, AlertType.BACK_ON_ROUTE, AlertType.ARRIVED), run.types());
    Alert off = run.alerts.get(0);
    long firstFar =
        run.updates.stream().filter(u -> u.offRouteM() > 50).findFirst().orElseThrow().ts();
    assertTrue(off.ts() - firstFar >= 20_000, "OFF_ROUTE needs 20 s beyond 50 m");
    assertTrue((double) off.details().get("offRouteM") > 50);
    assertTrue(run.updates.stream().anyMatch(u -> !u.onRoute()));
    assertMonotonic(run);
    // A rider on a parallel road keeps progressing once OFF_ROUTE is raised.
    ProgressUpdate midDetour =
        run.updates.stream()
            .filter(u -> !u.onRoute() && u.offRouteM() > 190)
            .skip(5)
            .findFirst()
            .orElseThrow();
    assertTrue(midDetour.alongM() > 1700, "progress follows the projection: " + midDetour.alongM());
  }

  @Test
  void aRouteShifted200mRaisesOffRouteOnceAndNeverBackOnRoute() {
    RouteGeometry route = route(shifted(straight(), 0, 200));
    List<Fix> fixes = ride(straight(), 10, T0, 10);
    Run run = run(route, fixes);

    assertEquals(List.of(AlertType.OFF_ROUTE), run.types());
    assertEquals(T0 + 20_000, run.alerts.get(0).ts(), "third fix: two fixes and 20 s beyond 50 m");
    assertFalse(run.last().onRoute());
    assertEquals(200, run.last().offRouteM(), 2);
    // Never within 50 m of the route: never placed on it, so no progress and no ETA.
    assertEquals(0.0, run.last().alongM());
  }

  @Test
  void jitterAndSpikesOnTheRouteRaiseNoFalseAlerts() {
    Polyline l = lShape();
    RouteGeometry route = route(l);
    for (int seed = 0; seed < 25; seed++) {
      Random random = new Random(seed);
      List<Fix> noisy = spikes(jitter(ride(l, 8, T0, 10), 30, random), 5, 500, random);
      Run run = run(route, noisy);
      assertEquals(List.of(AlertType.ARRIVED), run.types(), "seed " + seed);
      assertMonotonic(run);
      assertTrue(run.updates.stream().allMatch(ProgressUpdate::onRoute), "seed " + seed);
    }
  }

  @Test
  void lateFixesNeverMoveProgressBackAndRaiseNothing() {
    RouteGeometry route = route(straight());
    Polyline path = line(0, 0, 1500, 0, 1600, 200, 3400, 200, 3500, 0, 5000, 0);
    List<Fix> inOrder = ride(path, 4, T0, 10);
    for (int seed = 0; seed < 10; seed++) {
      // A quarter of the fixes held back (an offline buffer) and delivered up to 30 fixes late.
      List<Fix> delivery = TestKit.withLateDeliveries(inOrder, 0.25, 30, new Random(seed));
      Run run = TestKit.assertLateFixesChangeNothing(route, delivery, 20);
      assertEquals(
          List.of(AlertType.OFF_ROUTE, AlertType.BACK_ON_ROUTE, AlertType.ARRIVED), run.types());
      assertEquals(100, run.last().percent(), 0.01);
    }
  }

  @Test
  void duplicateTimestampsAreIgnored() {
    TaskProgressTracker tracker = TestKit.tracker(route(straight()));
    GeoPoint a = TestKit.offset(TestKit.ORIGIN, 100, 0);
    assertEquals(1, tracker.onFix(Fix.of(T0, a.lat(), a.lon())).size());
    assertEquals(List.of(), tracker.onFix(Fix.of(T0, a.lat(), a.lon())));
    GeoPoint b = TestKit.offset(TestKit.ORIGIN, 120, 0);
    assertEquals(List.of(), tracker.onFix(Fix.of(T0, b.lat(), b.lon())));
    assertEquals(1, tracker.snapshot().acceptedFixes());
    assertEquals(2, tracker.snapshot().ignoredFixes());
    assertEquals(100, tracker.snapshot().alongM(), 0.5);
  }

  @Test
  void inaccurateFixesOnlyUpdateLastSeen() {
    TaskProgressTracker tracker = TestKit.tracker(route(straight()));
    GeoPoint a = TestKit.offset(TestKit.ORIGIN, 100, 0);
    tracker.onFix(Fix.of(T0, a.lat(), a.lon()));
    GeoPoint far = TestKit.offset(TestKit.ORIGIN, 300, 400);
    for (int i = 1; i <= 10; i++) {
      assertEquals(
          List.of(),
          tracker.onFix(
              new Fix(T0 + i * 10_000L, far.lat(), far.lon(), 80.0, null, null, null, null)));
    }
    ProgressSnapshot s = tracker.snapshot();
    assertEquals(T0 + 100_000, s.lastSeenTs());
    assertEquals(T0, s.ts());
    assertTrue(s.onRoute(), "inaccurate fixes raise no OFF_ROUTE");
    assertEquals(100, s.alongM(), 0.5);
    // A fix with a usable accuracy counts.
    GeoPoint b = TestKit.offset(TestKit.ORIGIN, 300, 0);
    assertEquals(
        1,
        tracker
            .onFix(new Fix(T0 + 110_000, b.lat(), b.lon(), 12.0, null, null, null, null))
            .size());
    assertEquals(300, tracker.snapshot().alongM(), 0.5);
  }

  @Test
  void speedSpikesAndInvalidPositionsAreIgnored() {
    TaskProgressTracker tracker = TestKit.tracker(route(straight()));
    GeoPoint a = TestKit.offset(TestKit.ORIGIN, 100, 0);
    tracker.onFix(Fix.of(T0, a.lat(), a.lon()));
    GeoPoint jump = TestKit.offset(TestKit.ORIGIN, 2100, 0); // 2 km in 10 s: 200 m/s
    assertEquals(List.of(), tracker.onFix(Fix.of(T0 + 10_000, jump.lat(), jump.lon())));
    assertEquals(List.of(), tracker.onFix(Fix.of(T0 + 15_000, Double.NaN, 13.0)));
    assertEquals(List.of(), tracker.onFix(Fix.of(T0 + 16_000, 91, 13.0)));
    GeoPoint b = TestKit.offset(TestKit.ORIGIN, 200, 0);
    assertEquals(1, tracker.onFix(Fix.of(T0 + 20_000, b.lat(), b.lon())).size());
    assertEquals(200, tracker.snapshot().alongM(), 0.5);
    assertEquals(T0 + 20_000, tracker.snapshot().lastSeenTs());
  }

  @Test
  void rebuildResumesTheSameStateWithoutRepeatingAlerts() {
    RouteGeometry route =
        route(straight(), cp("first", straight(), 1000), cp("end", straight(), 5000));
    Polyline path = line(0, 0, 1500, 0, 1600, 200, 3400, 200, 3500, 0, 5000, 0);
    List<Fix> fixes = ride(path, 10, T0, 10);
    int cut = 30; // on the detour, after OFF_ROUTE was raised
    TaskProgressTracker live = TestKit.tracker(route);
    Run before = run(live, fixes.subList(0, cut));
    assertEquals(List.of(AlertType.CHECKPOINT_REACHED, AlertType.OFF_ROUTE), before.types());

    TaskProgressTracker rebuilt =
        TaskProgressTracker.rebuild(
            "t-test", route, ProgressConfig.DEFAULTS, fixes.subList(0, cut));
    assertEquals(live.snapshot(), rebuilt.snapshot());
    Run liveAfter = run(live, fixes.subList(cut, fixes.size()));
    Run rebuiltAfter = run(rebuilt, fixes.subList(cut, fixes.size()));
    assertEquals(liveAfter.perFix, rebuiltAfter.perFix);
    assertEquals(
        List.of(AlertType.BACK_ON_ROUTE, AlertType.CHECKPOINT_REACHED, AlertType.ARRIVED),
        rebuiltAfter.types());
  }

  @Test
  void stopWithJitterInsideTheRadiusRaisesStoppedThenMovingOnce() {
    Polyline l = straight();
    RouteGeometry route = route(l);
    GeoPoint stopAt = l.pointAt(2000);
    Random random = new Random(3);
    List<Fix> fixes = ride(line(0, 0, 2000, 0), 10, T0, 10);
    fixes = concat(fixes, jitter(stay(stopAt, 31, 0, 10), 12, random), 10); // 5 min, within 12 m
    fixes = concat(fixes, ride(line(2000, 0, 5000, 0), 10, 0, 10), 10);
    Run run = run(route, fixes);

    assertEquals(List.of(AlertType.STOPPED, AlertType.MOVING, AlertType.ARRIVED), run.types());
    Alert stopped = run.alerts.get(0);
    long stopBegan = T0 + 200_000;
    assertTrue(
        stopped.ts() - stopBegan >= 120_000 && stopped.ts() - stopBegan <= 140_000,
        "" + (stopped.ts() - stopBegan));
    ProgressUpdate whileStopped =
        run.updates.stream().filter(u -> u.ts() == stopped.ts()).findFirst().orElseThrow();
    assertNull(whileStopped.etaSeconds(), "no ETA while stopped");
    ProgressUpdate afterMoving =
        run.updates.stream().filter(u -> u.ts() > run.alerts.get(1).ts()).findFirst().orElseThrow();
    assertNotNull(afterMoving.etaSeconds());
    assertMonotonic(run);
  }

  @Test
  void aShortStopOrOneStraySpikeDuringAStopRaisesNothingExtra() {
    Polyline l = straight();
    RouteGeometry route = route(l);
    GeoPoint stopAt = l.pointAt(2000);
    List<Fix> shortStop =
        concat(
            ride(line(0, 0, 2000, 0), 10, T0, 10),
            stay(stopAt, 8, 0, 10),
            10); // 90 s at the same place
    shortStop = concat(shortStop, ride(line(2000, 0, 5000, 0), 10, 0, 10), 10);
    assertEquals(List.of(AlertType.ARRIVED), run(route, shortStop).types());

    List<Fix> longStop = new ArrayList<>(stay(stopAt, 40, 0, 10));
    longStop.set(25, TestKit.moved(longStop.get(25), 0, 400)); // one spike mid-stop
    List<Fix> fixes = concat(ride(line(0, 0, 2000, 0), 10, T0, 10), longStop, 10);
    fixes = concat(fixes, ride(line(2000, 0, 5000, 0), 10, 0, 10), 10);
    assertEquals(
        List.of(AlertType.STOPPED, AlertType.MOVING, AlertType.ARRIVED), run(route, fixes).types());
  }

  @Test
  void etaIsRemainingDistanceOverSmoothedSpeed() {
    Polyline l = straight();
    Run run = run(route(l), ride(l, 10, T0, 10));
    assertNull(run.updates.get(0).etaSeconds(), "unknown after one fix");
    for (int i = 12; i < run.updates.size() - 1; i++) {
      ProgressUpdate u = run.updates.get(i);
      double expected = (l.lengthM() - u.alongM()) / 10;
      assertEquals(expected, u.etaSeconds(), Math.max(2, expected * 0.05), "fix " + i);
      assertEquals(10, u.speedMps(), 0.2);
    }
    // Half speed after a while: the ETA follows within a few minutes.
    List<Fix> slowing =
        concat(ride(line(0, 0, 2000, 0), 10, T0, 10), ride(line(2000, 0, 5000, 0), 5, 0, 10), 10);
    Run slow = run(route(l), slowing);
    ProgressUpdate late = slow.updates.get(slow.updates.size() - 20);
    assertEquals((l.lengthM() - late.alongM()) / 5, late.etaSeconds(), 20);
  }

  @Test
  void checkpointsAreReachedInOrderOnly() {
    Polyline l = straight();
    Checkpoint a = cp("A", l, 1000);
    Checkpoint b = cp("B", l, 2500);
    Checkpoint c = cp("C", l, 5000);
    RouteGeometry route = route(l, a, b, c);
    Run run = run(route, ride(l, 10, T0, 10));
    assertEquals(
        List.of(
            AlertType.CHECKPOINT_REACHED,
            AlertType.CHECKPOINT_REACHED,
            AlertType.CHECKPOINT_REACHED,
            AlertType.ARRIVED),
        run.types());
    assertEquals(
        List.of("A", "B", "C"),
        run.alerts.subList(0, 3).stream().map(x -> x.details().get("name")).toList());
    assertEquals(3, run.last().checkpointsReached());
    assertEquals("Arrived at C", run.alerts.get(3).message());

    // Skipping B (a detour 200 m around it) means C, which comes after it, is not reached either;
    // arrival only needs the last checkpoint's radius.
    Polyline detour = line(0, 0, 2000, 0, 2100, 200, 2900, 200, 3000, 0, 5000, 0);
    Run skipped = run(route, ride(detour, 10, T0, 10));
    assertEquals(
        List.of(
            AlertType.CHECKPOINT_REACHED,
            AlertType.OFF_ROUTE,
            AlertType.BACK_ON_ROUTE,
            AlertType.ARRIVED),
        skipped.types());
    assertEquals(1, skipped.last().checkpointsReached());
  }

  @Test
  void aRoundTripDepotCheckpointIsReachedAtTheStartAndAgainOnlyAtTheEnd() {
    // Out 2 km east and back the same way; the depot is both the first and the last checkpoint.
    Polyline outAndBack = line(0, 0, 2000, 0, 0, 0);
    Checkpoint depot = cp("depot", outAndBack, 0);
    Checkpoint turn = cp("turn", outAndBack, 2000);
    Checkpoint back = new Checkpoint("depot again", depot.position(), 40);
    RouteGeometry route = route(outAndBack, depot, turn, back);
    assertEquals(outAndBack.lengthM(), route.checkpointAlongM(2), 45);

    List<Fix> fixes = concat(stay(depot.position(), 3, T0, 10), ride(outAndBack, 10, 0, 10), 10);
    Run run = run(route, fixes);
    assertEquals(
        List.of(
            AlertType.CHECKPOINT_REACHED,
            AlertType.CHECKPOINT_REACHED,
            AlertType.CHECKPOINT_REACHED,
            AlertType.ARRIVED),
        run.types());
    assertEquals(T0, run.alerts.get(0).ts());
    assertTrue(run.alerts.get(2).ts() > T0 + 350_000, "the depot again only after the round trip");
    assertMonotonic(run);
  }

  @Test
  void aRiderJoiningFromADepotBesideTheRouteIsNotPlacedMidRoute() {
    RouteGeometry route = route(straight());
    // From 2 km south of the route's middle to its start, then along it.
    Polyline path = line(2500, -2000, 0, 0, 5000, 0);
    Run run = run(route, ride(path, 10, T0, 10));
    assertEquals(
        List.of(AlertType.OFF_ROUTE, AlertType.BACK_ON_ROUTE, AlertType.ARRIVED), run.types());
    ProgressUpdate justBack =
        run.updates.stream()
            .filter(u -> u.ts() == run.alerts.get(1).ts())
            .findFirst()
            .orElseThrow();
    assertTrue(justBack.alongM() < 100, "progress starts at the start: " + justBack.alongM());
    assertMonotonic(run);
  }

  @Test
  void aGapInTheFixesIsBridged() {
    Polyline l = lShape();
    List<Fix> all = ride(l, 10, T0, 10);
    List<Fix> withGap = new ArrayList<>(all.subList(0, 10));
    withGap.addAll(all.subList(46, all.size())); // 6 minutes without fixes, 3.6 km later
    Run run = run(route(l), withGap);
    assertEquals(List.of(AlertType.ARRIVED), run.types());
    assertEquals(l.lengthM(), run.last().alongM(), 1);
    assertMonotonic(run);
  }

  @Test
  void snapshotBeforeAnyFixIsEmpty() {
    ProgressSnapshot s = TestKit.tracker(route(straight())).snapshot();
    assertNull(s.lastSeenTs());
    assertNull(s.ts());
    assertNull(s.lat());
    assertNull(s.offRouteM());
    assertEquals(0.0, s.percent());
    assertTrue(s.onRoute());
    assertFalse(s.stopped());
    assertFalse(s.arrived());
    assertNull(s.speedMps());
    assertNull(s.etaSeconds());
    assertEquals("r-test", s.routeId());
  }

  static Checkpoint cp(String name, Polyline l, double alongM) {
    GeoPoint p = l.pointAt(alongM);
    return new Checkpoint(name, p, 30);
  }
}
