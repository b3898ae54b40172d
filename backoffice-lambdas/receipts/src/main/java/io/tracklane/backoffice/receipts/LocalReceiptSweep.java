package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.LocalSchedule;
import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The local stack's stand-in for the receipt sweep's EventBridge schedule: runs {@link
 * ReceiptSweepHandler#runOnce} shortly after start and then {@code every} after each run, on a
 * daemon thread of its own (OCR blocks), until the returned schedule is closed.
 */
public final class LocalReceiptSweep {
  private LocalReceiptSweep() {}

  /**
   * Starts the schedule; close it to stop.
   *
   * @param storage the S3 clients, or null to build them from the context's settings
   * @param reader the OCR function's reader, asked for only when a run is restarted
   */
  public static LocalSchedule start(
      BackofficeContext ctx,
      ReceiptStorage storage,
      Supplier<ReceiptReader> reader,
      Duration firstAfter,
      Duration every) {
    ReceiptSweepHandler sweep = new ReceiptSweepHandler(ctx, storage, reader);
    return LocalSchedule.start(
        "local receipt sweep", firstAfter, every, () -> sweep.runOnce(() -> Long.MAX_VALUE));
  }
}
