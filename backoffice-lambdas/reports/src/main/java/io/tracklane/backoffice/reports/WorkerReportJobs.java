package io.tracklane.backoffice.reports;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for the asynchronous invocation of {@code report_generator}: runs each
 * generation on a daemon worker thread of this process (like {@code LocalSchedule}), one at a time.
 * Never used in a Lambda, which is frozen as soon as its response is sent.
 */
public final class WorkerReportJobs implements ReportJobs, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerReportJobs.class);

  private final ExecutorService worker;
  private final Consumer<String> generator;

  /**
   * {@code generator} generates one report by id (e.g. {@link ReportGeneratorHandler#generate}).
   */
  public WorkerReportJobs(Consumer<String> generator) {
    this.generator = generator;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "local report generator");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void start(String reportId) {
    try {
      worker.execute(
          () -> {
            try {
              generator.accept(reportId);
            } catch (RuntimeException e) {
              // the generator records its outcome on the row; this is only the log
              log.warn("local report generation {} failed: {}", reportId, e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the local report generator is stopped", e);
    }
  }

  /**
   * Waits until every generation started before this call has finished, including what it does
   * after its row is committed (deleting the previous generation's files). For tests and the local
   * stack's shutdown; false if {@code timeout} passed first.
   */
  public boolean awaitIdle(long timeout, TimeUnit unit) {
    try {
      // one worker thread: a task queued now runs after every task queued before it
      worker.submit(() -> {}).get(timeout, unit);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException | RejectedExecutionException e) {
      return false;
    }
  }

  /** No generation starts after this; one in progress is waited for (up to 10 s). */
  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
