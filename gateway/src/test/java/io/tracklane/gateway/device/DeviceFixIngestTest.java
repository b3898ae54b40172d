package io.tracklane.gateway.device;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.gateway.access.RiderTasks.InProgress;
import org.junit.jupiter.api.Test;

class DeviceFixIngestTest {
  @Test
  void aFixBelongsToTheTaskInProgressFromShortlyBeforeItsStart() {
    InProgress task = new InProgress("t", 1_000_000L);
    assertTrue(DeviceFixIngest.during(task, 1_000_000L));
    assertTrue(DeviceFixIngest.during(task, 1_000_000L - DeviceFixIngest.START_TOLERANCE_MS));
    assertFalse(DeviceFixIngest.during(task, 1_000_000L - DeviceFixIngest.START_TOLERANCE_MS - 1));
    assertTrue(DeviceFixIngest.during(new InProgress("t", null), 0), "start not recorded");
    assertFalse(DeviceFixIngest.during(InProgress.NONE, 1_000_000L), "no task");
  }
}
