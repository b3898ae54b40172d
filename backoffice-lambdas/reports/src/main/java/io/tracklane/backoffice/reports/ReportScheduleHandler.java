package io.tracklane.backoffice.reports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.tracklane.backoffice.common.BackofficeContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code report-schedule} function, run by an EventBridge schedule (e.g. hourly, or Mondays and
 * the 1st shortly after local midnight): makes sure the last complete week and the last complete
 * month have a report, generating whichever is missing. Idempotent — a period that has a ready
 * report is left alone — so a repeated or overlapping run is harmless, and a run that failed is
 * made up by the next. Regenerating after corrections is {@code POST /reports}.
 */
public class ReportScheduleHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
  private static final Logger log = LoggerFactory.getLogger(ReportScheduleHandler.class);
  private final BackofficeContext ctx;
  private final ReportService reports;

  /** Lambda entry point: the init phase builds the shared context and the S3 clients. */
  public ReportScheduleHandler() {
    this(BackofficeContext.fromEnv());
  }

  public ReportScheduleHandler(BackofficeContext ctx) {
    this(ctx, ReportService.create(ctx));
  }

  public ReportScheduleHandler(BackofficeContext ctx, ReportService reports) {
    this.ctx = ctx;
    this.reports = reports;
  }

  /**
   * {@code {"week": {...}, "month": {...}}}: per type the period and whether it was generated, kept
   * or failed.
   */
  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    Map<String, Object> result = runOnce(ctx.clock().instant());
    if (event != null && event.getId() != null) result.put("eventId", event.getId());
    log.info("report-schedule run {}: {}", event == null ? "-" : event.getId(), result);
    return result;
  }

  /**
   * One pass at {@code now}: each type is tried even when the other fails (then the run reports the
   * failure).
   */
  public Map<String, Object> runOnce(Instant now) {
    Map<String, Object> result = new LinkedHashMap<>();
    // requested reports whose generator never reported back end here at the latest
    int stale = reports.failStale();
    if (stale > 0) result.put("staleGenerationsEnded", stale);
    RuntimeException failure = null;
    for (String type : ReportPeriod.TYPES) {
      ReportPeriod period = ReportPeriod.lastComplete(type, now, reports.settings().businessZone());
      Map<String, Object> outcome = new LinkedHashMap<>();
      outcome.put("label", period.label());
      outcome.put("start", period.start().toString());
      try {
        Report before = reports.find(period);
        Report after = reports.generate(period, ReportService.Mode.IF_MISSING, "schedule", null);
        boolean generated =
            before == null || !before.ready() || before.generation() != after.generation();
        outcome.put("outcome", generated ? "generated" : "kept");
        outcome.put("reportId", after.id());
        outcome.put("generation", after.generation());
      } catch (RuntimeException e) {
        outcome.put("outcome", "failed");
        outcome.put("error", String.valueOf(e.getMessage()));
        failure = e;
      }
      result.put(type, outcome);
    }
    // a failed run is an error to Lambda (metrics, retries); the other type was still done
    if (failure != null)
      throw new IllegalStateException("report schedule run failed: " + result, failure);
    return result;
  }
}
