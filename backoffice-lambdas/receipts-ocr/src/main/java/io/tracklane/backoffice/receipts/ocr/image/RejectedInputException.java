package io.tracklane.backoffice.receipts.ocr.image;

/** The content cannot be read as a receipt; the message is the stated reason shown to people. */
public final class RejectedInputException extends Exception {
  public RejectedInputException(String reason) {
    super(reason);
  }

  public RejectedInputException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
