package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.assertMonotonic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import io.tracklane.core.progress.RealTracks.Track;
import io.tracklane.core.progress.TestKit.Run;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine on recorded tracks (a car drive and hikes from GPX files, GeoLife walks, rides and
 * drives), one dynamic test per track piece of ≥ 2 km and scenario. Each route is the track itself
 * simplified with Douglas–Peucker (10 m), each rider the track resampled to a fix every ~10 s.
 * Skipped when the shared data folder is absent, except on CI.
 */
@Tag("real-data")
class RealDataProgressTest {

  /** A recorded track as a task: its route and the rider's fixes. */
  record Case(Track track, RouteGeometry route, List<Fix> fixes) {
    @Override
    public String toString() {
      return track + " → " + route.line().points().size() + "-point route, " + fixes.size() + " fixes";
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (Track t : RealTracks.all(RealTracks.gpsDirOrSkip())) {
      Polyline line = Polyline.of(DouglasPeucker.simplify(t.points(), 10));
      cases.add(new Case(t, new RouteGeometry("real:" + t.name(), line, List.of()), RealTracks.resample(t.fixes(), 10)));
    }
    return cases;
  }

  /**
   * One dynamic test per case; without the data, a single test that is skipped (so that reports
   * show it) or, on CI, fails.
   */
  static Stream<DynamicTest> each(Consumer<Case> test) throws IOException {
    if (RealTracks.findGpsDir().isEmpty()) {
      return Stream.of(DynamicTest.dynamicTest("shared/data/gps is absent", RealTracks::gpsDirOrSkip));
    }
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> test.accept(c)));
  }

  @TestFactory
  Stream<DynamicTest> realDataTrackProgressesToArrivalWithoutGoingOffRoute() throws IOException {
    return each(c -> {
      Run run = TestKit.run(c.route(), c.fixes());
      assertMonotonic(run);
      assertTrue(run.last().percent() >= 95, "ends at " + run.last().percent() + " %");
      assertEquals(0, run.count(AlertType.OFF_ROUTE), () -> "alerts: " + run.alerts);
      assertEquals(0, run.count(AlertType.BACK_ON_ROUTE));
      assertEquals(1, run.count(AlertType.ARRIVED));
      assertTrue(run.updates.size() >= c.fixes().size() * 0.9, "most fixes accepted: " + run.updates.size());
    });
  }

  /** The same route moved 200 m in the first direction in which no fix comes within 100 m of it. */
  @TestFactory
  Stream<DynamicTest> realDataRouteShifted200mRaisesOffRouteOnce() throws IOException {
    return each(c -> {
      Polyline shifted = null;
      for (int deg = 0; deg < 360 && shifted == null; deg += 15) {
        double a = Math.toRadians(deg);
        Polyline candidate = TestKit.shifted(c.route().line(), 200 * Math.sin(a), 200 * Math.cos(a));
        if (c.fixes().stream().allMatch(f -> candidate.nearest(GeoPoint.of(f.lat(), f.lon())).distanceM() > 100)) {
          shifted = candidate;
        }
      }
      if (shifted == null) {
        // No shift keeps the whole track away (it comes back past itself): episodes alternate.
        Run run = TestKit.run(new RouteGeometry("shifted", TestKit.shifted(c.route().line(), 0, 200), List.of()), c.fixes());
        List<AlertType> route = run.types().stream()
            .filter(t -> t == AlertType.OFF_ROUTE || t == AlertType.BACK_ON_ROUTE).toList();
        assertTrue(!route.isEmpty() && route.get(0) == AlertType.OFF_ROUTE, "" + route);
        for (int i = 1; i < route.size(); i++) assertTrue(route.get(i) != route.get(i - 1), "" + route);
        return;
      }
      Run run = TestKit.run(new RouteGeometry("shifted", shifted, List.of()), c.fixes());
      assertEquals(1, run.count(AlertType.OFF_ROUTE), () -> "alerts: " + run.types());
      assertEquals(0, run.count(AlertType.BACK_ON_ROUTE));
      assertEquals(0, run.count(AlertType.ARRIVED));
      assertEquals(c.fixes().get(0).ts(), (long) run.alerts.get(0).details().get("offRouteSinceTs"));
      assertMonotonic(run);
    });
  }

  @TestFactory
  Stream<DynamicTest> realDataNoiseRaisesNoFalseAlerts() throws IOException {
    return each(c -> {
      Run clean = TestKit.run(c.route(), c.fixes());
      Random random = new Random(c.track().name().hashCode());
      List<Fix> noisy = TestKit.spikes(TestKit.jitter(c.fixes(), 30, random), 5, 500, random);
      Run run = TestKit.run(c.route(), noisy);
      assertMonotonic(run);
      assertEquals(0, run.count(AlertType.OFF_ROUTE), () -> "alerts: " + run.alerts);
      assertEquals(0, run.count(AlertType.BACK_ON_ROUTE));
      assertEquals(1, run.count(AlertType.ARRIVED));
      assertTrue(run.last().percent() >= 95, "ends at " + run.last().percent() + " %");
      // ±30 m of jitter hides stops inside the 25 m stop radius; it must not invent any.
      assertTrue(run.count(AlertType.STOPPED) <= clean.count(AlertType.STOPPED),
          () -> "stops: clean " + clean.count(AlertType.STOPPED) + ", noisy " + run.count(AlertType.STOPPED));
      assertTrue(run.count(AlertType.MOVING) <= run.count(AlertType.STOPPED));
    });
  }

  @TestFactory
  Stream<DynamicTest> realDataLateFixesNeverMoveProgressBack() throws IOException {
    return each(c -> {
      Random random = new Random(c.track().name().hashCode() + 1L);
      List<Fix> delivery = TestKit.withLateDeliveries(c.fixes(), 0.2, 60, random);
      Run run = TestKit.assertLateFixesChangeNothing(c.route(), delivery, c.fixes().size() / 10);
      assertTrue(run.last().percent() >= 95, "ends at " + run.last().percent() + " %");
      assertEquals(0, run.count(AlertType.OFF_ROUTE));
    });
  }
}
