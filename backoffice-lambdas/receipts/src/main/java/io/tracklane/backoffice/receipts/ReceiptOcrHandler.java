package io.tracklane.backoffice.receipts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCR function, triggered by S3 {@code ObjectCreated:*} on the receipts bucket. For each
 * record: find the receipt by bucket and key (unknown → logged and skipped), claim it for this
 * object's ETag (a redelivered event for an object already read is skipped), then one {@link
 * ReceiptOcrRun}: extracted, needs_review or failed with the reason. A run that dies (timeout,
 * crash) leaves the receipt processing; {@link ReceiptSweepHandler} restarts it.
 *
 * <p>Bad input never fails the invocation: the reader turns it into a {@code failed} receipt. A
 * transient S3 or database failure does: the other records are still processed, the failed record's
 * claim is given back, and the invocation then throws so Lambda retries the event (and finally
 * sends it to the function's dead-letter queue). Records already done skip on retry.
 */
public class ReceiptOcrHandler implements RequestHandler<S3Event, Map<String, Object>> {
  private static final Logger log = LoggerFactory.getLogger(ReceiptOcrHandler.class);

  private final ReceiptService receipts;
  private final ReceiptStorage storage;
  private final ReceiptOcrRun run;

  /**
   * Lambda entry point: the init phase builds the context, the S3 client and the reader (OCR
   * engine) once.
   */
  public ReceiptOcrHandler() {
    this(BackofficeContext.fromEnv(), null, ReceiptReader.fromEnvironment(System.getenv()));
  }

  /**
   * With given parts (tests, local stack).
   *
   * @param storage the S3 clients, or null to build them from the context's settings
   */
  public ReceiptOcrHandler(BackofficeContext ctx, ReceiptStorage storage, ReceiptReader reader) {
    this.storage = storage != null ? storage : ReceiptStorage.create(ctx.config(), ctx.clock());
    this.receipts = new ReceiptService(ctx, this.storage, ReceiptSettings.from(ctx.config()));
    this.run = new ReceiptOcrRun(receipts, this.storage, () -> reader);
  }

  /** What happened to one record. */
  public enum Outcome {
    PROCESSED,
    SKIPPED,
    UNKNOWN,
    IGNORED,
    RETRY
  }

  @Override
  public Map<String, Object> handleRequest(S3Event event, Context context) {
    Map<String, Object> counts = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) counts.put(o.name().toLowerCase(), 0);
    RuntimeException firstTransient = null;
    int n = event == null || event.getRecords() == null ? 0 : event.getRecords().size();
    for (int i = 0; i < n; i++) {
      S3EventNotificationRecord record = event.getRecords().get(i);
      Outcome outcome;
      try {
        outcome = process(record);
      } catch (RuntimeException e) {
        // transient (S3 or database unreachable, timeout): keep going, retry the event at the end
        log.error(
            "receipt record {} of {} ({}) failed; the event will be retried",
            i + 1,
            n,
            describe(record),
            e);
        if (firstTransient == null) firstTransient = e;
        outcome = Outcome.RETRY;
      }
      counts.merge(outcome.name().toLowerCase(), 1, (a, b) -> (Integer) a + (Integer) b);
    }
    if (firstTransient != null) {
      throw new IllegalStateException(
          counts.get("retry")
              + " of "
              + n
              + " receipt records failed transiently: "
              + firstTransient.getMessage(),
          firstTransient);
    }
    return counts;
  }

  /** One record; throws only for transient failures (after giving its claim back). */
  Outcome process(S3EventNotificationRecord record) {
    String eventName = record.getEventName();
    if (eventName == null || !eventName.startsWith("ObjectCreated:")) {
      log.info("ignoring {} event", eventName);
      return Outcome.IGNORED;
    }
    if (record.getS3() == null
        || record.getS3().getBucket() == null
        || record.getS3().getObject() == null
        || record.getS3().getObject().getKey() == null) {
      log.warn("ignoring a malformed {} record", eventName);
      return Outcome.IGNORED;
    }
    String bucket = record.getS3().getBucket().getName();
    String key = record.getS3().getObject().getUrlDecodedKey(); // event keys are URL-encoded
    String etag = ReceiptStorage.unquote(record.getS3().getObject().geteTag());
    Long size = record.getS3().getObject().getSizeAsLong();
    if (!bucket.equals(storage.bucket())) {
      log.warn("event for bucket {} but receipts live in {}; skipped", bucket, storage.bucket());
      return Outcome.UNKNOWN;
    }
    ReceiptService.Claim claim = receipts.claimForProcessing(bucket, key, etag);
    if (claim instanceof ReceiptService.Unknown) {
      log.warn("no receipt for s3://{}/{} (not uploaded through the API); skipped", bucket, key);
      return Outcome.UNKNOWN;
    }
    if (claim instanceof ReceiptService.GaveUp gaveUp) {
      log.info("receipt {} given up: {}", gaveUp.receiptId(), gaveUp.reason());
      return Outcome.PROCESSED;
    }
    if (claim instanceof ReceiptService.Skip skip) {
      log.info("receipt {} skipped: {}", skip.receiptId(), skip.why());
      return Outcome.SKIPPED;
    }
    ReceiptService.Claimed claimed = (ReceiptService.Claimed) claim;
    try {
      run.run(claimed, key, etag, size);
      return Outcome.PROCESSED;
    } catch (RuntimeException e) {
      try {
        // the audit trail is served to staff: the kind of failure, never its text (which may be
        // Postgres's)
        receipts.releaseClaim(
            claimed, "transient failure (" + e.getClass().getSimpleName() + "); see the OCR log");
      } catch (RuntimeException alsoFailed) {
        e.addSuppressed(
            alsoFailed); // the claim goes stale and the sweep (or a later delivery) takes it over
      }
      throw e;
    }
  }

  private static String describe(S3EventNotificationRecord r) {
    try {
      return "s3://" + r.getS3().getBucket().getName() + "/" + r.getS3().getObject().getKey();
    } catch (RuntimeException e) {
      return "malformed record";
    }
  }
}
