package io.tracklane.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OffRouteDetectorTest {
  final OffRouteDetector d = new OffRouteDetector(ProgressConfig.DEFAULTS);

  @Test
  void needsTwoFixesAndTwentySecondsBeyondFiftyMetres() {
    assertNull(d.update(0, 80));
    assertNull(d.update(10_000, 80)); // two fixes, but only 10 s
    assertEquals(AlertType.OFF_ROUTE, d.update(20_000, 90));
    assertTrue(d.isOffRoute());
    assertEquals(0, d.offSinceTs());
    assertNull(d.update(30_000, 200));
    assertEquals(200, d.maxOffRouteM());
  }

  @Test
  void twoFixesSpanningTwentySecondsAreEnough() {
    assertNull(d.update(0, 60));
    assertEquals(AlertType.OFF_ROUTE, d.update(25_000, 60));
  }

  @Test
  void aFixWithinTheEnterDistanceRestartsTheRun() {
    assertNull(d.update(0, 80));
    assertNull(d.update(10_000, 80));
    assertNull(d.update(20_000, 50)); // exactly 50: not beyond
    assertNull(d.update(30_000, 80));
    assertNull(d.update(40_000, 80));
    assertEquals(AlertType.OFF_ROUTE, d.update(50_000, 80));
    assertEquals(30_000, d.offSinceTs());
  }

  @Test
  void backOnRouteNeedsTwoFixesWithinThirtyMetres() {
    d.update(0, 80);
    d.update(20_000, 80);
    assertTrue(d.isOffRoute());
    assertNull(d.update(30_000, 40)); // between exit and enter: still off (hysteresis)
    assertNull(d.update(40_000, 45));
    assertNull(d.update(50_000, 20));
    assertNull(d.update(60_000, 70)); // one stray fix back does not count
    assertNull(d.update(70_000, 25));
    assertEquals(AlertType.BACK_ON_ROUTE, d.update(80_000, 10));
    assertFalse(d.isOffRoute());
    assertNull(d.update(90_000, 10));
  }

  @Test
  void noiseAroundTheBorderNeverFlaps() {
    int transitions = 0;
    for (int i = 0; i < 1000; i++) {
      double metres = i % 2 == 0 ? 55 : 35; // alternating across 50 m and never under 30 m
      if (d.update(i * 10_000L, metres) != null) transitions++;
    }
    assertEquals(0, transitions);
  }
}
