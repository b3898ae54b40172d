package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.line;
import static io.tracklane.core.progress.TestKit.route;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import org.junit.jupiter.api.Test;

class CheckpointTrackerTest {
  final Polyline l = line(0, 0, 5000, 0);

  Checkpoint cp(String name, double alongM) {
    return new Checkpoint(name, l.pointAt(alongM), 30);
  }

  int at(CheckpointTracker t, double eastM, double northM, double progressM) {
    GeoPoint p = TestKit.offset(TestKit.ORIGIN, eastM, northM);
    return t.update(p.lat(), p.lon(), progressM);
  }

  @Test
  void reachedInOrderWithinTheRadiusOnce() {
    CheckpointTracker t =
        new CheckpointTracker(route(l, cp("a", 1000), cp("b", 2000)), ProgressConfig.DEFAULTS);
    assertEquals(0, at(t, 960, 0, 960));
    assertEquals(1, at(t, 990, 20, 990));
    assertEquals(Math.sqrt(10 * 10 + 20 * 20), t.reachedDistanceM(0), 0.5);
    assertEquals(0, at(t, 1000, 0, 1000));
    assertEquals(1, t.reached());
    assertEquals(1, at(t, 2000, 0, 2000));
    assertEquals(2, t.reached());
    assertEquals(0, at(t, 2000, 0, 2000));
  }

  @Test
  void aLaterCheckpointWaitsForTheEarlierOnes() {
    CheckpointTracker t =
        new CheckpointTracker(route(l, cp("a", 1000), cp("b", 1400)), ProgressConfig.DEFAULTS);
    assertEquals(0, at(t, 1400, 0, 1400)); // b before a: not reached
    assertEquals(0, t.reached());
  }

  @Test
  void checkpointsCloseTogetherCanBeReachedByOneFix() {
    CheckpointTracker t =
        new CheckpointTracker(route(l, cp("a", 1000), cp("b", 1020)), ProgressConfig.DEFAULTS);
    assertEquals(2, at(t, 1010, 0, 1010));
  }

  @Test
  void aCheckpointFarAheadAlongTheRouteIsNotReachedEarly() {
    Polyline roundTrip = line(0, 0, 2000, 0, 2000, 1000, 0, 1000, 0, 0);
    Checkpoint depot = new Checkpoint("depot", roundTrip.pointAt(0), 30);
    CheckpointTracker t =
        new CheckpointTracker(
            route(roundTrip, depot, new Checkpoint("back", depot.position(), 30)),
            ProgressConfig.DEFAULTS);
    assertEquals(1, at(t, 0, 0, 0));
    assertEquals(0, at(t, 5, 0, 5));
    assertEquals(0, at(t, 0, 0, 5000)); // progress 5.5 km + 500 m short of the end: not yet
    assertEquals(1, at(t, 0, 0, 5600));
  }
}
