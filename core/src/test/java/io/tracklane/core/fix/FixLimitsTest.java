package io.tracklane.core.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FixLimitsTest {

  @Test
  void defaults() {
    assertEquals(1000, FixLimits.DEFAULTS.maxFixesPerPayload());
    assertEquals(300_000L, FixLimits.DEFAULTS.maxAheadMs());
    assertEquals(604_800_000L, FixLimits.DEFAULTS.maxBehindMs());
  }

  @Test
  void smallestPositiveValuesAreAccepted() {
    FixLimits l = new FixLimits(1, 1, 1);
    assertEquals(new FixLimits(1, 1, 1), l);
  }

  @Test
  void nonPositiveValuesAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new FixLimits(0, 1, 1));
    assertTrue(e.getMessage().contains("maxFixesPerPayload"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FixLimits(-5, 1, 1));
    e = assertThrows(IllegalArgumentException.class, () -> new FixLimits(1, 0, 1));
    assertTrue(e.getMessage().contains("maxAheadMs"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FixLimits(1, -1, 1));
    e = assertThrows(IllegalArgumentException.class, () -> new FixLimits(1, 1, 0));
    assertTrue(e.getMessage().contains("maxBehindMs"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FixLimits(1, 1, Long.MIN_VALUE));
  }
}
