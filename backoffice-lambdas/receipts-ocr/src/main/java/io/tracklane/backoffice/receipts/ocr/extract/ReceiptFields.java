package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The fields read from a receipt's text, with the amount's confidence (0..1), its doubts, and the
 * other figures the text offered for the total, and the OCR's confidence in the total's digits (0
 * when unknown or not read under a label), and the figures the receipt's own arithmetic allows for
 * the total, one list per way of deriving it, and what a subtotal + tax chain whose tax is the
 * subtotal at a known rate gives.
 */
public record ReceiptFields(
    BigDecimal amount,
    String currency,
    LocalDate date,
    String merchant,
    double confidence,
    List<String> doubts,
    boolean fapiao,
    List<AmountFinding.Alternative> otherTotals,
    double digitConfidence,
    List<List<BigDecimal>> arithmetic,
    List<BigDecimal> taxAtRate) {
  public ReceiptFields {
    doubts = List.copyOf(doubts);
    arithmetic = arithmetic == null ? List.of() : List.copyOf(arithmetic);
    otherTotals = otherTotals == null ? List.of() : List.copyOf(otherTotals);
    taxAtRate = taxAtRate == null ? List.of() : List.copyOf(taxAtRate);
  }

  public ReceiptFields(
      BigDecimal amount,
      String currency,
      LocalDate date,
      String merchant,
      double confidence,
      List<String> doubts,
      boolean fapiao) {
    this(
        amount,
        currency,
        date,
        merchant,
        confidence,
        doubts,
        fapiao,
        List.of(),
        0,
        List.of(),
        List.of());
  }

  /** Trusted without a person looking: an amount, confident enough, and no doubts. */
  public boolean trusted() {
    return amount != null && doubts.isEmpty() && confidence >= AmountExtractor.EXTRACTED_THRESHOLD;
  }
}
