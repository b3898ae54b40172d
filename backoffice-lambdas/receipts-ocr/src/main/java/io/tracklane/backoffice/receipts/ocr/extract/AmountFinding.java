package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;
import java.util.List;

/**
 * The total an extractor settled on (null when none), its confidence 0..1 and why it is doubtful;
 * {@code others}: the other figures the receipt offered for its total (another total line, the
 * receipt's own arithmetic), each with where it came from, for a reviewer to pick from; {@code
 * digitConfidence}: the OCR's confidence in the chosen total's own word on its labelled line (0
 * when the figure was not read under a total label); {@code arithmetic}: for each way the receipt's
 * own figures give a total (cash − change, the card payment, subtotal + tax…), the figures it
 * allows; {@code taxAtRate}: what a subtotal + tax chain gives whose tax is the subtotal at a known
 * rate (it checks itself: a misread subtotal or tax breaks the rate).
 */
public record AmountFinding(
    BigDecimal amount,
    double confidence,
    List<String> doubts,
    List<Alternative> others,
    double digitConfidence,
    List<List<BigDecimal>> arithmetic,
    List<BigDecimal> taxAtRate) {
  public AmountFinding {
    doubts = List.copyOf(doubts);
    others = others == null ? List.of() : List.copyOf(others);
    arithmetic = arithmetic == null ? List.of() : arithmetic.stream().map(List::copyOf).toList();
    taxAtRate = taxAtRate == null ? List.of() : List.copyOf(taxAtRate);
  }

  public AmountFinding(BigDecimal amount, double confidence, List<String> doubts) {
    this(amount, confidence, doubts, List.of(), 0, List.of(), List.of());
  }

  /** Another figure for the total and where it came from. */
  public record Alternative(BigDecimal amount, String source) {}

  public static AmountFinding none(String why) {
    return new AmountFinding(null, 0, List.of(why));
  }
}
