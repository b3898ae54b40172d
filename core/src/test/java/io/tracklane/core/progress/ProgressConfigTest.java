package io.tracklane.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressConfigTest {

  @Test
  void defaults() {
    ProgressConfig c = ProgressConfig.DEFAULTS;
    assertEquals(50, c.offRouteEnterM());
    assertEquals(30, c.offRouteExitM());
    assertEquals(2, c.offRouteMinFixes());
    assertEquals(Duration.ofSeconds(20), c.offRouteMinDuration());
    assertEquals(50, c.maxAccuracyM());
    assertEquals(60, c.maxSpeedMps());
    assertEquals(100, c.windowBehindM());
    assertEquals(500, c.windowAheadM());
    assertEquals(2, c.windowSpeedFactor());
    assertEquals(25, c.stopRadiusM());
    assertEquals(Duration.ofSeconds(120), c.stopMinDuration());
    assertEquals(95, c.arrivalMinPercent());
  }

  @Test
  void theBuilderChangesSingleValuesAndValidates() {
    ProgressConfig c =
        ProgressConfig.DEFAULTS.toBuilder()
            .stopMinDuration(Duration.ofMinutes(5))
            .offRouteEnterM(80)
            .build();
    assertEquals(Duration.ofMinutes(5), c.stopMinDuration());
    assertEquals(80, c.offRouteEnterM());
    assertEquals(ProgressConfig.DEFAULTS, ProgressConfig.DEFAULTS.toBuilder().build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProgressConfig.DEFAULTS.toBuilder().offRouteExitM(60).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProgressConfig.DEFAULTS.toBuilder().maxSpeedMps(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProgressConfig.DEFAULTS.toBuilder().offRouteMinFixes(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProgressConfig.DEFAULTS.toBuilder().arrivalMinPercent(101).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProgressConfig.DEFAULTS.toBuilder().speedSmoothing(Duration.ZERO).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProgressConfig.DEFAULTS.toBuilder().continuityWeight(-1).build());
  }
}
