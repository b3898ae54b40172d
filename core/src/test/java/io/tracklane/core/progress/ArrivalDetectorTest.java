package io.tracklane.core.progress;

import static io.tracklane.core.progress.TestKit.line;
import static io.tracklane.core.progress.TestKit.route;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.geo.GeoPoint;
import io.tracklane.core.geo.Polyline;
import org.junit.jupiter.api.Test;

class ArrivalDetectorTest {
  final Polyline l = line(0, 0, 5000, 0);

  boolean at(ArrivalDetector a, double eastM, double percent) {
    GeoPoint p = TestKit.offset(TestKit.ORIGIN, eastM, 0);
    return a.update(p.lat(), p.lon(), percent);
  }

  @Test
  void withoutCheckpointsWithin50mOfTheEndAndAt95Percent() {
    ArrivalDetector a = new ArrivalDetector(route(l), ProgressConfig.DEFAULTS);
    assertNull(a.targetName());
    assertFalse(at(a, 4940, 98.8)); // 60 m short
    assertFalse(at(a, 4960, 94)); // close, but progress says the rider has not come that way
    assertTrue(at(a, 4960, 99.2));
    assertTrue(a.arrived());
    assertFalse(at(a, 5000, 100), "once");
  }

  @Test
  void withCheckpointsWithinTheLastOnesRadius() {
    ArrivalDetector a =
        new ArrivalDetector(
            route(l, new Checkpoint("shop", l.pointAt(4900), 20)), ProgressConfig.DEFAULTS);
    assertEquals("shop", a.targetName());
    assertFalse(at(a, 5000, 100));
    assertTrue(at(a, 4890, 97.8));
  }
}
