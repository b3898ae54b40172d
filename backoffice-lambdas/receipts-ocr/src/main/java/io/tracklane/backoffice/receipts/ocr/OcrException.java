package io.tracklane.backoffice.receipts.ocr;

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
}
