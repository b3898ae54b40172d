package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.LocalSchedule;
import java.time.Duration;

/**
 * The local stack's stand-in for the EventBridge schedule: runs {@link
 * ReportScheduleHandler#runOnce} shortly after start and then {@code every} after each run, on a
 * daemon thread of its own (generation blocks), until the returned schedule is closed.
 */
public final class LocalReportSchedule {
  private LocalReportSchedule() {}

  /** Starts the schedule; close it to stop. */
  public static LocalSchedule start(BackofficeContext ctx, Duration firstAfter, Duration every) {
    ReportScheduleHandler schedule = new ReportScheduleHandler(ctx);
    return LocalSchedule.start(
        "local report schedule", firstAfter, every, () -> schedule.runOnce(ctx.clock().instant()));
  }
}
