package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;

/**
 * An amount found in a line: its value (never negative), where it was ([start, end) in the line),
 * whether letters had to be read as digits (O→0, S→5…), whether it had a decimal part (cents), and
 * whether a minus sign or parenthesis stood before it (a rounding down, a discount).
 */
public record MoneyToken(
    BigDecimal value, int start, int end, boolean repaired, boolean hasCents, boolean negative) {
  public MoneyToken(BigDecimal value, int start, int end, boolean repaired, boolean hasCents) {
    this(value, start, end, repaired, hasCents, false);
  }

  public BigDecimal signed() {
    return negative ? value.negate() : value;
  }
}
