package io.tracklane.localstack;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.receipts.ReceiptOcrHandler;
import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receipt OCR function as the local S3 store's notification target: built on the first event (a
 * Lambda's cold start; loading the OCR engine is the slow part), then invoked once per event. An
 * exception propagates to {@link LocalS3}, which retries like Lambda's asynchronous invocation.
 */
final class OcrFunction implements Consumer<S3Event> {
  private static final Logger log = LoggerFactory.getLogger(OcrFunction.class);
  private final BackofficeContext ctx;
  private final Map<String, String> env;
  private ReceiptOcrHandler handler;
  private ReceiptReader reader;

  /**
   * @param env the stack's environment: TRACKLANE_OCR_PROVIDER, TRACKLANE_TESSDATA… as on AWS
   */
  OcrFunction(BackofficeContext ctx, Map<String, String> env) {
    this.ctx = ctx;
    this.env = new HashMap<>(env);
  }

  private synchronized ReceiptOcrHandler handler() {
    if (handler == null) {
      handler = new ReceiptOcrHandler(ctx, null, reader());
    }
    return handler;
  }

  /** The OCR engine, loaded on first use and shared with the local receipt sweep. */
  synchronized ReceiptReader reader() {
    if (reader == null) {
      long started = System.nanoTime();
      reader = ReceiptReader.fromEnvironment(env);
      log.info("receipt OCR engine loaded in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
    return reader;
  }

  @Override
  public void accept(S3Event event) {
    var first = event.getRecords().get(0);
    Map<String, Object> outcome = handler().handleRequest(event, null);
    log.info(
        "receipt OCR function on {} {}: {}",
        first.getEventName(),
        first.getS3().getObject().getKey(),
        outcome);
  }
}
