package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;
import java.util.List;

/**
 * The total an extractor settled on (null when none), its confidence 0..1 and why it is doubtful.
 */
public record AmountFinding(BigDecimal amount, double confidence, List<String> doubts) {
  public AmountFinding {
    doubts = List.copyOf(doubts);
  }

  public static AmountFinding none(String why) {
    return new AmountFinding(null, 0, List.of(why));
  }
}
