package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.BackofficeContext;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's stand-in for the EventBridge schedule: a Vert.x timer on the back office's
 * Vert.x that runs {@link ReportScheduleHandler#runOnce} shortly after start and then every {@code
 * every} (on a worker thread: generation blocks). Stops when that Vert.x closes.
 */
public final class LocalReportSchedule {
  private static final Logger log = LoggerFactory.getLogger(LocalReportSchedule.class);

  private LocalReportSchedule() {}

  /** Starts the timer; returns its id (for {@code vertx.cancelTimer}). */
  public static long start(BackofficeContext ctx, Duration firstAfter, Duration every) {
    ReportScheduleHandler schedule = new ReportScheduleHandler(ctx);
    return ctx.vertx()
        .setPeriodic(
            Math.max(1, firstAfter.toMillis()),
            every.toMillis(),
            id ->
                ctx.vertx()
                    .executeBlocking(() -> schedule.runOnce(ctx.clock().instant()), false)
                    .onSuccess(r -> log.info("local report schedule: {}", r))
                    .onFailure(
                        e ->
                            log.warn(
                                "local report schedule failed (retried in {}): {}",
                                every,
                                e.toString())));
  }
}
