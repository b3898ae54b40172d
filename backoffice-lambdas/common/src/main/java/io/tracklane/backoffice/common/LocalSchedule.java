package io.tracklane.backoffice.common;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's stand-in for an EventBridge schedule: one daemon thread that runs a blocking
 * job {@code firstAfter} after start and then {@code every} after the previous run ended (runs
 * never overlap). A failed run is logged and the next one comes as planned. On AWS the schedule
 * invokes the function instead; nothing in a Lambda uses this.
 */
public final class LocalSchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalSchedule.class);

  private final ScheduledExecutorService timer;

  private LocalSchedule(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Starts running {@code job} (its result is logged) until {@link #close}.
   *
   * @param name names the thread and the log lines ("local report schedule")
   */
  public static LocalSchedule start(
      String name, Duration firstAfter, Duration every, Supplier<?> job) {
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException(name + ": every must be positive, not " + every);
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            log.info("{}: {}", name, job.get());
          } catch (RuntimeException e) {
            // an exception escaping here would cancel every later run
            log.warn("{} failed (next run in {}): {}", name, every, e.toString());
          }
        },
        Math.max(0, firstAfter.toMillis()),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return new LocalSchedule(timer);
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return timer.isShutdown();
  }

  /** No run starts after this; a run in progress is interrupted and waited for (up to 10 s). */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
