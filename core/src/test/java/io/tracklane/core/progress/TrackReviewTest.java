package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrackReviewTest {
  private static final RouteGeometry L_ROUTE =
      route(
          lShape(),
          Checkpoint.of("depot", ORIGIN.lat(), ORIGIN.lon(), 40),
          cp("corner", 3000, 0),
          cp("customer", 3000, 2000));

  private static Checkpoint cp(String name, double east, double north) {
    GeoPoint p = offset(ORIGIN, east, north);
    return Checkpoint.of(name, p.lat(), p.lon(), 40);
  }

  private static TrackReview review(RouteGeometry route, List<Fix> fixes) {
    return TrackReview.of("t-1", route, ProgressConfig.DEFAULTS, fixes);
  }

  @Test
  void aFullRideArrivesWithEveryCheckpointTimedInOrder() {
    List<Fix> fixes = ride(lShape(), 5, T0, 10);
    TrackReview r = review(L_ROUTE, fixes);
    assertTrue(r.arrived(), r.shortfalls().toString());
    assertEquals(List.of(), r.shortfalls());
    assertEquals(5000, r.distanceM(), 10);
    assertEquals(fixes.size(), r.acceptedFixes());
    assertEquals(T0, r.firstFixTs());
    assertEquals(fixes.get(fixes.size() - 1).ts(), r.lastFixTs());
    assertEquals(0, r.offRouteAlerts());
    assertEquals(3, r.checkpoints().size());
    long previous = Long.MIN_VALUE;
    for (TrackReview.CheckpointVisit v : r.checkpoints()) {
      assertNotNull(v.reachedTs(), v.name());
      assertTrue(v.reachedTs() >= previous, "checkpoints reached in route order");
      previous = v.reachedTs();
    }
    // corner at 3000 m, at 5 m/s: 600 s after the start (one 10 s fix of slack for the 40 m radius)
    assertEquals(T0 + 600_000, r.checkpoints().get(1).reachedTs(), 10_000);
    assertEquals(1000, r.activeMs() / 1000, 1);
    assertEquals(100, r.percent(), 0.01);
    assertTrue(r.toJson().getBoolean("arrived"));
    assertEquals(
        "corner", r.toJson().getJsonArray("checkpoints").getJsonObject(1).getString("name"));
  }

  @Test
  void aRideThatStopsHalfwayIsNotArrivedAndSaysWhy() {
    Polyline half = line(0, 0, 2500, 0);
    TrackReview r = review(L_ROUTE, ride(half, 5, T0, 10));
    assertFalse(r.arrived());
    assertFalse(r.endReached());
    assertEquals(List.of("corner", "customer"), r.missedCheckpoints());
    assertEquals(2, r.shortfalls().size(), r.shortfalls().toString());
    // from (2500, 0) to (3000, 2000): about 2062 m
    assertTrue(r.shortfalls().get(0).contains("2062 m from the end"), r.shortfalls().get(0));
    assertEquals("checkpoints not reached: corner, customer", r.shortfalls().get(1));
    assertEquals(50, r.percent(), 0.5);
  }

  @Test
  void reachingTheEndWithoutACheckpointIsNotArrival() {
    // a short cut across the corner: never within 40 m of the corner checkpoint
    Polyline shortCut = line(0, 0, 2700, 0, 3000, 400, 3000, 2000);
    TrackReview r = review(L_ROUTE, ride(shortCut, 5, T0, 10));
    assertTrue(r.endReached());
    assertFalse(r.arrived());
    // checkpoints count in route order: skipping the corner leaves the customer unreached too
    assertEquals(List.of("corner", "customer"), r.missedCheckpoints());
  }

  @Test
  void gpsSpikesAddNoDistance() {
    List<Fix> clean = ride(straight(), 5, T0, 10);
    List<Fix> spiky = spikes(clean, 6, 500, new Random(7));
    TrackReview r = review(route(straight()), spiky);
    assertTrue(r.arrived(), r.shortfalls().toString());
    assertEquals(5000, r.distanceM(), 25, "the 500 m spikes are ignored, not ridden");
  }

  @Test
  void aRealOutAndBackStillCounts() {
    // 400 m out to a drop-off and back, then on: ridden, not a spike
    Polyline outAndBack = line(0, 0, 1000, 0, 1000, 400, 1000, 0, 5000, 0);
    TrackReview r = review(route(straight()), ride(outAndBack, 5, T0, 10));
    assertEquals(5800, r.distanceM(), 15);
    List<Fix> lone =
        List.of(
            Fix.of(T0, ORIGIN.lat(), ORIGIN.lon()),
            moved(Fix.of(T0 + 10_000, ORIGIN.lat(), ORIGIN.lon()), 0, 100),
            Fix.of(T0 + 20_000, ORIGIN.lat(), ORIGIN.lon()));
    assertEquals(
        200, TrackReview.riddenDistanceM(lone), 1, "legs under 150 m are never called spikes");
  }

  @Test
  void stopsAreTakenOutOfActiveTime() {
    Polyline first = line(0, 0, 2500, 0);
    Polyline second = line(2500, 0, 5000, 0);
    List<Fix> fixes = concat(ride(first, 5, T0, 10), stay(offset(ORIGIN, 2500, 0), 60, 0, 10), 10);
    fixes = concat(fixes, ride(second, 5, 0, 10), 10);
    TrackReview r = review(route(straight()), fixes);
    long totalS = (r.lastFixTs() - r.firstFixTs()) / 1000;
    assertTrue(r.stoppedMs() / 1000 >= 400, "stopped for about 10 minutes: " + r.stoppedMs());
    assertTrue(r.activeMs() / 1000 <= totalS - 400, r.activeMs() + " of " + totalS);
    assertEquals(1000, r.activeMs() / 1000, 120);
    assertTrue(r.arrived());
  }

  @Test
  void aDetourCountsOneOffRouteAlertAndItsDistance() {
    Polyline detour = line(0, 0, 1000, 0, 1000, 400, 2500, 400, 2500, 0, 5000, 0);
    TrackReview r = review(route(straight()), ride(detour, 5, T0, 10));
    assertEquals(1, r.offRouteAlerts());
    assertEquals(5800, r.distanceM(), 15);
    assertTrue(r.arrived());
  }

  @Test
  void noFixesMeansNotArrived() {
    TrackReview r = review(L_ROUTE, List.of());
    assertFalse(r.arrived());
    assertNull(r.endDistanceM());
    assertEquals(0, r.activeMs());
    assertEquals("no usable GPS fix was received for this task", r.shortfalls().get(0));
    assertEquals(3, r.missedCheckpoints().size());
  }
}
