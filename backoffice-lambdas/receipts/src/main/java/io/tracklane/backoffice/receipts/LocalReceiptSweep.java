package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's stand-in for the receipt sweep's EventBridge schedule: a Vert.x timer on the
 * back office's Vert.x that runs {@link ReceiptSweepHandler#runOnce} shortly after start and then
 * every {@code every}, on a worker thread (OCR blocks). Stops when that Vert.x closes.
 */
public final class LocalReceiptSweep {
  private static final Logger log = LoggerFactory.getLogger(LocalReceiptSweep.class);

  private LocalReceiptSweep() {}

  /**
   * Starts the timer; returns its id (for {@code vertx.cancelTimer}).
   *
   * @param reader the OCR function's reader, asked for only when a run is restarted
   */
  public static long start(
      BackofficeContext ctx,
      ReceiptStorage storage,
      Supplier<ReceiptReader> reader,
      Duration firstAfter,
      Duration every) {
    ReceiptSweepHandler sweep = new ReceiptSweepHandler(ctx, storage, reader);
    return ctx.vertx()
        .setPeriodic(
            Math.max(1, firstAfter.toMillis()),
            every.toMillis(),
            id ->
                ctx.vertx()
                    .executeBlocking(() -> sweep.runOnce(() -> Long.MAX_VALUE), false)
                    .onSuccess(r -> log.info("local receipt sweep: {}", r))
                    .onFailure(
                        e ->
                            log.warn(
                                "local receipt sweep failed (retried in {}): {}",
                                every,
                                e.toString())));
  }
}
