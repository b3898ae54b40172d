package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** The fields read from a receipt's text, with the amount's confidence (0..1) and its doubts. */
public record ReceiptFields(
    BigDecimal amount,
    String currency,
    LocalDate date,
    String merchant,
    double confidence,
    List<String> doubts,
    boolean fapiao) {
  public ReceiptFields {
    doubts = List.copyOf(doubts);
  }

  /** Trusted without a person looking: an amount, confident enough, and no doubts. */
  public boolean trusted() {
    return amount != null && doubts.isEmpty() && confidence >= AmountExtractor.EXTRACTED_THRESHOLD;
  }
}
