package io.tracklane.backoffice.reports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tracklane.backoffice.common.BackofficeContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code report_generator} function: generates one report that {@code POST /reports} accepted
 * ({@code {"reportId": "…"}}, invoked asynchronously by the {@code reports} function). The outcome
 * is written on the report's row (ready, or failed with a reason) and returned; a failure is not
 * rethrown, so Lambda does not retry a run whose failure is already recorded. A run that dies
 * without writing (crash, timeout) is ended by {@link ReportService#failStale}.
 */
public class ReportGeneratorHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final Logger log = LoggerFactory.getLogger(ReportGeneratorHandler.class);
  private final ReportService reports;

  /** Lambda entry point: the init phase builds the shared context and the S3 clients. */
  public ReportGeneratorHandler() {
    this(BackofficeContext.fromEnv());
  }

  public ReportGeneratorHandler(BackofficeContext ctx) {
    this(ReportService.create(ctx));
  }

  public ReportGeneratorHandler(ReportService reports) {
    this.reports = reports;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    Object id = input == null ? null : input.get("reportId");
    if (!(id instanceof String reportId) || reportId.isBlank()) {
      throw new IllegalArgumentException("reportId (a string) is required, got " + input);
    }
    Report report = generate(reportId);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("reportId", report.id());
    result.put("status", report.status());
    if (report.error() != null) result.put("error", report.error());
    log.info("report-generator {}: {}", reportId, result);
    return result;
  }

  /** Generates {@code reportId}; the row as it ends (ready or failed). */
  public Report generate(String reportId) {
    try {
      return reports.runRequested(reportId);
    } catch (RuntimeException e) {
      // ReportService recorded the failure on the row (and logged it with a reference)
      return reports.get(reportId);
    }
  }
}
