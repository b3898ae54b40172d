package io.tracklane.backoffice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The local stand-in for EventBridge schedules: it keeps running after a failed run (a plain
 * ScheduledExecutorService would cancel every later run), runs never overlap, and close stops it.
 */
class LocalScheduleTest {

  @Test
  void aFailedRunDoesNotStopTheNextOnesAndCloseStopsThem() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch three = new CountDownLatch(3);
    LocalSchedule schedule =
        LocalSchedule.start(
            "test schedule",
            Duration.ZERO,
            Duration.ofMillis(5),
            () -> {
              if (running.incrementAndGet() > 1) overlaps.incrementAndGet();
              try {
                int n = runs.incrementAndGet();
                three.countDown();
                if (n == 1) throw new IllegalStateException("the first run fails");
                return n;
              } finally {
                running.decrementAndGet();
              }
            });
    assertTrue(three.await(10, TimeUnit.SECONDS), "runs after the failed one: " + runs.get());
    assertFalse(schedule.isClosed());

    schedule.close();

    assertTrue(schedule.isClosed());
    int afterClose = runs.get();
    Thread.sleep(50);
    assertEquals(afterClose, runs.get(), "no run after close");
    assertEquals(0, overlaps.get(), "runs overlapped");
  }

  @Test
  void aScheduleWithoutAPeriodIsRefusedByName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LocalSchedule.start("sweep", Duration.ZERO, Duration.ZERO, () -> 1));
    assertEquals("sweep: every must be positive, not PT0S", e.getMessage());
  }
}
