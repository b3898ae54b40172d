package io.tracklane.backoffice.receipts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code receipt-sweep} function, run by an EventBridge schedule (every 5 minutes): a receipt
 * left in {@code processing} past its deadline ({@link ReceiptService#STALE_PROCESSING}) belongs to
 * an OCR run that died (timeout, crash, out of memory); the sweep claims it again and reads it once
 * more, or, after {@link ReceiptService#MAX_OCR_ATTEMPTS} runs, marks it failed with the reason so
 * a manager enters the amount. A run that dies inside the sweep is counted like any other, so a
 * file that kills every run ends failed after a bounded number of tries. Receipts still inside
 * their deadline are never touched.
 */
public class ReceiptSweepHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
  private static final Logger log = LoggerFactory.getLogger(ReceiptSweepHandler.class);

  /** Stale receipts looked at per run; more wait for the next run. */
  static final int BATCH = 20;

  /**
   * The OCR function's timeout and a margin: no run starts with less time left in this invocation.
   */
  static final Duration RUN_BUDGET = Duration.ofSeconds(130);

  private final ReceiptService receipts;
  private final ReceiptOcrRun run;

  /** Lambda entry point (the OCR image): the context, the S3 clients and the reader, once. */
  public ReceiptSweepHandler() {
    this(BackofficeContext.fromEnv(), null, ReceiptReader.fromEnvironment(System.getenv()));
  }

  public ReceiptSweepHandler(BackofficeContext ctx, ReceiptStorage storage, ReceiptReader reader) {
    this(ctx, storage, () -> reader);
  }

  /**
   * With given parts (tests, the local stack).
   *
   * @param storage the S3 clients, or null to build them from the context's settings
   * @param reader asked for only when a run starts (locally the OCR engine loads on first use)
   */
  public ReceiptSweepHandler(
      BackofficeContext ctx, ReceiptStorage storage, Supplier<ReceiptReader> reader) {
    ReceiptStorage s3 =
        storage != null ? storage : ReceiptStorage.create(ctx.config(), ctx.clock());
    this.receipts = new ReceiptService(ctx, s3, ReceiptSettings.from(ctx.config()));
    this.run = new ReceiptOcrRun(receipts, s3, reader);
  }

  @Override
  public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
    Map<String, Object> result =
        runOnce(context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis());
    log.info("receipt-sweep run {}: {}", event == null ? "-" : event.getId(), result);
    return result;
  }

  /**
   * One pass: {@code {"rerun", "gaveUp", "skipped", "retryLater", "deferred"}} counts. {@code
   * retryLater}: the run failed transiently and stays processing until its next deadline; {@code
   * deferred}: left for the next pass (too little time left).
   */
  public Map<String, Object> runOnce(LongSupplier remainingMillis) {
    Map<String, Object> counts = new LinkedHashMap<>();
    for (String k : new String[] {"rerun", "gaveUp", "skipped", "retryLater", "deferred"})
      counts.put(k, 0);
    var stale = receipts.staleProcessing(BATCH);
    for (int i = 0; i < stale.size(); i++) {
      if (remainingMillis.getAsLong() < RUN_BUDGET.toMillis()) {
        counts.put("deferred", stale.size() - i);
        break;
      }
      String id = stale.get(i);
      ReceiptService.Claim claim = receipts.reclaimStale(id);
      if (claim instanceof ReceiptService.GaveUp) {
        bump(counts, "gaveUp");
      } else if (claim instanceof ReceiptService.Claimed claimed) {
        try {
          run.run(claimed, claimed.receipt().s3Key(), null, null);
          bump(counts, "rerun");
        } catch (RuntimeException e) {
          // stays processing with this attempt counted: the next pass after the deadline tries
          // again
          log.error("receipt {}: the sweep's run failed transiently", id, e);
          bump(counts, "retryLater");
        }
      } else {
        bump(counts, "skipped");
      }
    }
    return counts;
  }

  private static void bump(Map<String, Object> counts, String key) {
    counts.merge(key, 1, (a, b) -> (Integer) a + (Integer) b);
  }
}
