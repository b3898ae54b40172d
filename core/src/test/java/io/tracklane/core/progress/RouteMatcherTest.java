package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.ORIGIN;
import static io.tracklane.core.progress.TestKit.T0;
import static io.tracklane.core.progress.TestKit.jitter;
import static io.tracklane.core.progress.TestKit.line;
import static io.tracklane.core.progress.TestKit.offset;
import static io.tracklane.core.progress.TestKit.ride;
import static io.tracklane.core.progress.TestKit.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.core.progress.RouteMatcher.Kind;
import io.tracklane.core.progress.TestKit.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RouteMatcherTest {

  /**
   * A figure 8 (lemniscate of Bernoulli) of half-width {@code a} metres, closed: it ends where it
   * starts.
   */
  static Polyline figureEight(double a, int points) {
    List<GeoPoint> pts = new ArrayList<>();
    for (int i = 0; i <= points; i++) {
      double t = 2 * Math.PI * i / points;
      double s = Math.sin(t);
      double c = Math.cos(t);
      pts.add(offset(ORIGIN, a * c / (1 + s * s), a * s * c / (1 + s * s)));
    }
    return Polyline.of(pts);
  }

  static void assertTracksTruth(
      Polyline path, double speedMps, double tolM, List<Fix> fixes, RouteMatcher matcher) {
    double step = speedMps * 10;
    for (int i = 0; i < fixes.size(); i++) {
      Fix f = fixes.get(i);
      Kind kind = matcher.locate(f.lat(), f.lon(), f.ts(), speedMps, false);
      double truth = Math.min(path.lengthM(), i * step);
      assertEquals(Kind.MATCHED, kind, "fix " + i);
      assertEquals(truth, matcher.alongM(), tolM, "fix " + i);
    }
  }

  @Test
  void figureEightsNeverJumpAtTheCrossing() {
    for (double a : new double[] {150, 1000}) {
      Polyline eight = figureEight(a, 400);
      RouteGeometry route = route(eight);
      assertTracksTruth(
          eight, 5, 1.0, ride(eight, 5, T0, 10), new RouteMatcher(route, ProgressConfig.DEFAULTS));
    }
  }

  @Test
  void outAndBackRoutesNeverJumpToTheOtherLeg() {
    // Legs on the very same road, and two carriageways 8 m apart.
    Polyline same = line(0, 0, 2000, 0, 0, 0);
    Polyline carriageways = line(0, 0, 2000, 0, 2000, 8, 0, 8);
    for (Polyline l : List.of(same, carriageways)) {
      assertTracksTruth(
          l, 8, 1.0, ride(l, 8, T0, 10), new RouteMatcher(route(l), ProgressConfig.DEFAULTS));
    }
  }

  @Test
  void aRiderTurningBackOnAnOutAndBackRouteIsFollowedOntoTheWayBack() {
    // The legs are `gap` metres apart (two sides of a street, a dual carriageway); the rider comes
    // back `backY` metres from the outbound leg, possibly right on it, after a pause at the turn.
    // Measured from the anchor alone, continuity would keep a slow rider who was placed on the
    // outbound leg at the turn on it, walking it backwards, to the end.
    for (double speed : new double[] {0.5, 1, 2, 4, 8}) {
      for (double gap : new double[] {0, 8, 16, 24, 40}) {
        for (double backY : new double[] {0, gap / 4, gap / 2}) {
          double[] errors = turnBack(speed, backY, gap, ProgressConfig.DEFAULTS);
          String what = "speed " + speed + ", gap " + gap + ", back at " + backY;
          assertTrue(errors[0] <= 150, what + ": off by " + errors[0] + " m after the turn");
          assertTrue(errors[1] <= 25, what + ": ends off by " + errors[1] + " m");
        }
      }
    }
    ProgressConfig anchorOnly =
        ProgressConfig.DEFAULTS.toBuilder().headingWeight(0).backwardWeight(0).build();
    assertTrue(
        turnBack(0.5, 0, 20, anchorOnly)[1] > 1000,
        "the trap the heading and backward terms avoid");
  }

  /** The worst and the final error of the match for a rider doing an out-and-back route. */
  static double[] turnBack(double speed, double backY, double gap, ProgressConfig config) {
    Polyline route = line(0, 0, 1000, 0, 1000, gap, 0, gap);
    List<Fix> out = ride(line(0, 0, 1000, 0), speed, T0, 10);
    List<Fix> pause =
        jitter(TestKit.stay(offset(ORIGIN, 1000, backY / 2), 6, 0, 10), 4, new Random(5));
    List<Fix> back = ride(line(1000, backY, 0, backY), speed, 0, 10);
    List<Fix> fixes = TestKit.concat(TestKit.concat(out, pause, 10), back, 10);
    List<Double> truths = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) truths.add(Math.min(1000, i * speed * 10));
    for (int i = 0; i < pause.size(); i++) truths.add(1000.0);
    for (int i = 0; i < back.size(); i++)
      truths.add(Math.min(2000 + gap, 1000 + gap + i * speed * 10));
    RouteMatcher matcher = new RouteMatcher(route(route), config);
    double worst = 0;
    double last = 0;
    for (int i = 0; i < fixes.size(); i++) {
      Fix f = fixes.get(i);
      matcher.locate(f.lat(), f.lon(), f.ts(), speed, false);
      last = Math.abs(matcher.alongM() - truths.get(i));
      worst = Math.max(worst, last);
    }
    return new double[] {worst, last};
  }

  @Test
  void withJitterTheMatchStaysOnTheRightPass() {
    Polyline eight = figureEight(150, 400);
    Polyline outAndBack = line(0, 0, 2000, 0, 0, 0);
    for (Polyline l : List.of(eight, outAndBack)) {
      for (int seed = 0; seed < 20; seed++) {
        List<Fix> fixes = jitter(ride(l, 5, T0, 10), 30, new Random(seed));
        Run run = TestKit.run(route(l), fixes);
        TestKit.assertMonotonic(run);
        for (int i = 0; i < run.updates.size(); i++) {
          double truth = Math.min(l.lengthM(), i * 50.0);
          assertEquals(truth, run.updates.get(i).alongM(), 45, "seed " + seed + " fix " + i);
        }
        assertTrue(run.maxAlongStep() < 50 + 60, "seed " + seed + ": " + run.maxAlongStep());
        assertEquals(List.of(AlertType.ARRIVED), run.types(), "seed " + seed);
      }
    }
  }

  @Test
  void theWindowPrefersTheCurrentPassOverACloserLaterOne() {
    // A 3.2 km loop whose end passes 10 m north of its start, then goes on east.
    Polyline loop = line(0, 0, 1000, 0, 1000, 600, 400, 600, 400, 10, 300, 10, 300, -5, 1500, -5);
    RouteMatcher matcher = new RouteMatcher(route(loop), ProgressConfig.DEFAULTS);
    GeoPoint start = offset(ORIGIN, 200, 0);
    matcher.locate(start.lat(), start.lon(), T0, Double.NaN, false);
    assertEquals(200, matcher.alongM(), 0.5);
    // 2 m from the later pass (y = 10 → 8), 8 m from the current one: still the current one.
    GeoPoint next = offset(ORIGIN, 300, 8);
    assertEquals(Kind.MATCHED, matcher.locate(next.lat(), next.lon(), T0 + 10_000, 10, false));
    assertEquals(300, matcher.alongM(), 0.5);
    assertEquals(8, matcher.offRouteM(), 0.1);
  }

  @Test
  void oneStrayFixOnAnotherPartOfTheRouteDoesNotMoveTheMatchButTwoDo() {
    // A U: 3 km east, 600 m north, 3 km west.
    Polyline u = line(0, 0, 3000, 0, 3000, 600, 0, 600);
    RouteMatcher matcher = new RouteMatcher(route(u), ProgressConfig.DEFAULTS);
    GeoPoint a = offset(ORIGIN, 500, 0);
    matcher.locate(a.lat(), a.lon(), T0, Double.NaN, false);
    GeoPoint across = offset(ORIGIN, 520, 600); // on the way back, 5.98 km along
    assertEquals(Kind.FAR, matcher.locate(across.lat(), across.lon(), T0 + 10_000, 10, false));
    assertEquals(
        0, matcher.offRouteM(), 0.5, "next to the route, if not to the expected part of it");
    assertEquals(500, matcher.anchorAlongM(), 0.5);
    GeoPoint b = offset(ORIGIN, 600, 0);
    assertEquals(Kind.MATCHED, matcher.locate(b.lat(), b.lon(), T0 + 20_000, 10, false));
    assertEquals(600, matcher.alongM(), 0.5);

    // Two consecutive fixes there: the rider did go there (a shortcut).
    assertEquals(Kind.FAR, matcher.locate(across.lat(), across.lon(), T0 + 30_000, 10, false));
    GeoPoint further = offset(ORIGIN, 420, 600);
    assertEquals(
        Kind.REACQUIRED, matcher.locate(further.lat(), further.lon(), T0 + 40_000, 10, false));
    assertEquals(3000 + 600 + 2580, matcher.alongM(), 1);
  }

  @Test
  void farFixesMoveTheAnchorOnlyWhenFollowing() {
    Polyline l = line(0, 0, 5000, 0);
    RouteMatcher matcher = new RouteMatcher(route(l), ProgressConfig.DEFAULTS);
    GeoPoint a = offset(ORIGIN, 500, 0);
    matcher.locate(a.lat(), a.lon(), T0, Double.NaN, false);
    GeoPoint far = offset(ORIGIN, 800, 200);
    assertEquals(Kind.FAR, matcher.locate(far.lat(), far.lon(), T0 + 10_000, 10, false));
    assertEquals(800, matcher.alongM(), 0.5);
    assertEquals(500, matcher.anchorAlongM(), 0.5);
    assertEquals(Kind.FOLLOWED, matcher.locate(far.lat(), far.lon(), T0 + 20_000, 10, true));
    assertEquals(800, matcher.anchorAlongM(), 0.5);
    assertEquals(200, matcher.offRouteM(), 0.5);
  }

  @Test
  void farFromTheWholeRouteTheRiderIsNotPlaced() {
    RouteMatcher matcher = new RouteMatcher(route(line(0, 0, 5000, 0)), ProgressConfig.DEFAULTS);
    GeoPoint far = offset(ORIGIN, 2500, -2000);
    assertEquals(Kind.FAR, matcher.locate(far.lat(), far.lon(), T0, Double.NaN, true));
    assertFalse(matcher.placed());
    assertEquals(2000, matcher.offRouteM(), 1);
    GeoPoint near = offset(ORIGIN, 40, -30);
    assertEquals(
        Kind.MATCHED, matcher.locate(near.lat(), near.lon(), T0 + 10_000, Double.NaN, true));
    assertTrue(matcher.placed());
    assertEquals(40, matcher.alongM(), 0.5);
  }

  @Test
  void aRoundTripStartsAtItsStart() {
    Polyline roundTrip = line(0, 0, 1000, 0, 1000, 1000, 0, 1000, 0, 0);
    RouteMatcher matcher = new RouteMatcher(route(roundTrip), ProgressConfig.DEFAULTS);
    GeoPoint depot = offset(ORIGIN, 3, 3);
    matcher.locate(depot.lat(), depot.lon(), T0, Double.NaN, false);
    assertEquals(3, matcher.alongM(), 0.5);
  }
}
