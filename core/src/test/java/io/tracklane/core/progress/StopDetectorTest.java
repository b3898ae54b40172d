package io.tracklane.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.geo.GeoPoint;
import org.junit.jupiter.api.Test;

class StopDetectorTest {
  final StopDetector d = new StopDetector(ProgressConfig.DEFAULTS);

  AlertType at(long s, double eastM, double northM) {
    GeoPoint p = TestKit.offset(TestKit.ORIGIN, eastM, northM);
    return d.update(s * 1000, p.lat(), p.lon());
  }

  @Test
  void noMovementBeyond25mFor120sIsAStop() {
    assertNull(at(0, 0, 0));
    assertNull(at(60, 10, 5));
    assertNull(at(110, -10, 20));
    assertEquals(AlertType.STOPPED, at(120, 12, -12));
    assertTrue(d.isStopped());
    assertEquals(0, d.stillSinceTs());
    assertNull(at(300, 5, 5));
  }

  @Test
  void movementNeedsTwoFixesBeyondTheRadius() {
    at(0, 0, 0);
    assertEquals(AlertType.STOPPED, at(130, 0, 0));
    assertNull(at(140, 400, 0)); // a stray fix
    assertNull(at(150, 3, 0));
    assertTrue(d.isStopped());
    assertNull(at(160, 100, 0));
    assertEquals(AlertType.MOVING, at(170, 200, 0));
    assertFalse(d.isStopped());
    assertEquals(170_000, d.lastStopDurationMs());
    assertEquals(170_000, d.stillSinceTs());
  }

  @Test
  void steadyMovementIsNeverAStop() {
    for (int i = 0; i < 100; i++) assertNull(at(i * 10L, i * 30.0, 0));
  }

  @Test
  void theStopTimerStartsWhereMovementEnded() {
    at(0, 0, 0);
    at(10, 100, 0);
    at(20, 200, 0); // moved: anchor here
    for (int s = 30; s < 140; s += 10) assertNull(at(s, 200, 0));
    assertEquals(AlertType.STOPPED, at(140, 200, 0));
  }
}
