package io.tracklane.backoffice.reports;

/**
 * Where a requested report is generated: not in the request that asked for it (API Gateway gives a
 * request 29 s; a month's report may take longer). On AWS {@link LambdaReportJobs} invokes the
 * {@code report_generator} function asynchronously; locally {@link WorkerReportJobs} runs it on a
 * worker thread.
 */
public interface ReportJobs {
  /**
   * Hands report {@code reportId} (generating) to the generator; returns once it is accepted, not
   * done.
   *
   * @throws RuntimeException when it could not be handed over (the caller marks the report failed)
   */
  void start(String reportId);
}
