package io.tracklane.backoffice.receipts.ocr;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The OCR engine failed (not installed, service error); the reading is failed with this message.
 */
public class OcrException extends Exception {
  public OcrException(String message) {
    super(message);
  }

  public OcrException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The result of a reading running on another thread; its own failure as it was, an interrupt or
   * any other failure as an OcrException.
   */
  public static <T> T await(Future<T> reading) throws OcrException {
    try {
      return reading.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OcrException("interrupted while reading the receipt again", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OcrException ocr) {
        throw ocr;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new OcrException("another reading failed: " + e.getCause(), e.getCause());
    }
  }
}
