package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import io.tracklane.backoffice.receipts.ocr.ReceiptReading;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OCR run on a claimed receipt: refuse an object over the size limit without reading it, read
 * it, hand the bytes to {@link ReceiptReader} and store what it made of them (extracted,
 * needs_review or failed with the reason). Bad input never throws; a transient S3 or database
 * failure does, and the caller decides what happens to the claim. Shared by the S3-triggered OCR
 * function and the sweep that restarts runs that died.
 */
final class ReceiptOcrRun {
  private static final Logger log = LoggerFactory.getLogger(ReceiptOcrRun.class);

  private final ReceiptService receipts;
  private final ReceiptStorage storage;
  private final Supplier<ReceiptReader> reader;

  ReceiptOcrRun(ReceiptService receipts, ReceiptStorage storage, Supplier<ReceiptReader> reader) {
    this.receipts = receipts;
    this.storage = storage;
    this.reader = reader;
  }

  /**
   * @param key the object's key
   * @param etag the object's ETag as the event named it (null from the sweep)
   * @param size the object's size as the event declared it (null: unknown)
   */
  void run(ReceiptService.Claimed claimed, String key, String etag, Long size) {
    String id = claimed.receipt().id();
    long max = receipts.settings().maxBytes();
    // S3 enforced the policy's size range already; this guards uploads that bypassed it
    if (size != null && size > max) {
      receipts.recordFailure(claimed, tooLarge(size, max), etag, size);
      return;
    }
    ReceiptStorage.StoredObject object;
    try {
      object = storage.read(key, max);
    } catch (ReceiptStorage.MissingObject e) {
      receipts.recordFailure(claimed, "the uploaded object no longer exists", etag, size);
      return;
    } catch (ReceiptStorage.TooLarge e) {
      receipts.recordFailure(claimed, tooLarge(e.size, max), etag, e.size);
      return;
    }
    long started = System.nanoTime();
    ReceiptReading reading;
    try {
      reading = reader.get().read(object.content());
    } catch (RuntimeException e) {
      // the reader promises not to throw; if it does, retrying the same bytes would not help
      log.error("receipt {}: the reader failed", id, e);
      receipts.recordFailure(claimed, "the reader failed: " + e, object.etag(), object.size());
      return;
    } catch (OutOfMemoryError e) {
      // the reader catches this around decoding; a last guard so the claim is never left behind
      String objectEtag = object.etag();
      long objectSize = object.size();
      object = null; // drop the bytes before touching the database again
      log.error("receipt {}: out of memory while reading", id, e);
      receipts.recordFailure(
          claimed,
          "the file needs more memory to read than this function has",
          objectEtag,
          objectSize);
      return;
    }
    receipts.recordReading(claimed, reading, object);
    log.info(
        "receipt {} read in {} ms: {} {} {} (confidence {}, {})",
        id,
        (System.nanoTime() - started) / 1_000_000,
        reading.status(),
        reading.amount(),
        reading.currency(),
        reading.confidence(),
        reading.provider());
  }

  private static String tooLarge(long size, long max) {
    return "the file is " + size + " bytes; the limit is " + max + " bytes";
  }
}
