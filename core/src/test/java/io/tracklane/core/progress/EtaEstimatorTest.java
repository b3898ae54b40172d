package io.tracklane.core.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EtaEstimatorTest {
  final EtaEstimator e = new EtaEstimator(ProgressConfig.DEFAULTS);

  @Test
  void unknownUntilTwoFixes() {
    assertTrue(Double.isNaN(e.speedMps()));
    e.update(0, 0);
    assertNull(e.etaSeconds(1000, false, false));
    e.update(10_000, 100);
    assertEquals(10, e.speedMps(), 1e-9);
    assertEquals(100L, e.etaSeconds(1000, false, false));
  }

  @Test
  void nullWhileStoppedAndZeroOnceArrived() {
    e.update(0, 0);
    e.update(10_000, 100);
    assertNull(e.etaSeconds(1000, true, false));
    assertEquals(0L, e.etaSeconds(1000, false, true));
  }

  @Test
  void theSpeedIsSmoothedOverTimeNotSamples() {
    e.update(0, 0);
    e.update(10_000, 100); // 10 m/s
    e.update(70_000, 100); // one 60 s sample at 0 m/s: weight 1 − e^-1
    assertEquals(10 * Math.exp(-1), e.speedMps(), 1e-9);
    EtaEstimator fine = new EtaEstimator(ProgressConfig.DEFAULTS);
    fine.update(0, 0);
    fine.update(10_000, 100);
    for (int i = 1; i <= 6; i++)
      fine.update(10_000 + i * 10_000L, 100); // six 10 s samples: the same weight
    assertEquals(e.speedMps(), fine.speedMps(), 1e-9);
  }

  @Test
  void theEtaStaysFiniteAndSpikesAreClamped() {
    e.update(0, 0);
    e.update(10_000, 0);
    assertEquals(2000L, e.etaSeconds(1000, false, false)); // floor 0.5 m/s
    EtaEstimator spiky = new EtaEstimator(ProgressConfig.DEFAULTS);
    spiky.update(0, 0);
    spiky.update(1_000, 5000);
    assertEquals(60, spiky.speedMps(), 1e-9);
  }
}
