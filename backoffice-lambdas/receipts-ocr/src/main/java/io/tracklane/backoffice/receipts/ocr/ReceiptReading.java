package io.tracklane.backoffice.receipts.ocr;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What was read from one receipt file. {@code EXTRACTED}: the amount is trusted; {@code
 * NEEDS_REVIEW}: a best guess (possibly null) that a manager must confirm, {@code reviewReasons}
 * say why; {@code FAILED}: nothing could be read, {@code failureReason} says why. {@code
 * competingTotals}: when independent readings gave different totals, each figure and who read it
 * (the chosen one first), for a reviewer to pick from; empty when they agree or only one ran.
 */
public record ReceiptReading(
    Status status,
    BigDecimal amount,
    String currency,
    LocalDate date,
    String merchant,
    double confidence,
    String provider,
    String rawText,
    List<String> reviewReasons,
    String failureReason,
    String contentType,
    List<TotalReading> competingTotals) {

  public enum Status {
    EXTRACTED,
    NEEDS_REVIEW,
    FAILED
  }

  public ReceiptReading {
    reviewReasons = reviewReasons == null ? List.of() : List.copyOf(reviewReasons);
    competingTotals = competingTotals == null ? List.of() : List.copyOf(competingTotals);
  }

  static ReceiptReading failed(String reason, String contentType, String provider) {
    return new ReceiptReading(
        Status.FAILED,
        null,
        null,
        null,
        null,
        0.0,
        provider,
        null,
        List.of(),
        reason,
        contentType,
        List.of());
  }
}
