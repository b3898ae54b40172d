package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;

/**
 * An amount with the kind its line's label gives it. {@code labelAbove}: the label was on the line
 * above. {@code digitConfidence}: the OCR's confidence in the amount's own word(s).
 */
record LabelledAmount(
    int line,
    LineKind kind,
    MoneyToken token,
    double lineConfidence,
    boolean labelAbove,
    String label,
    double digitConfidence) {
  BigDecimal value() {
    return token.value();
  }

  @Override
  public String toString() {
    return token.value().toPlainString() + " (" + label.strip() + ")";
  }
}
