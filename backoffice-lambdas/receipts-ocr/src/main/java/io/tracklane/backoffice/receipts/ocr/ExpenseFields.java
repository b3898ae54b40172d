package io.tracklane.backoffice.receipts.ocr;

import io.tracklane.backoffice.receipts.ocr.extract.ReceiptFields;
import java.util.ArrayList;
import java.util.List;

/**
 * Combines an expense-aware provider's located fields (Textract) with what our own extractor read
 * from the same text: the provider's total leads; our reading cross-checks it and fills gaps.
 */
final class ExpenseFields {
  /** Textract reports most correct totals above 90% and doubtful ones well below. */
  static final double TRUSTED_CONFIDENCE = 0.9;

  private ExpenseFields() {}

  static ReceiptFields merge(ExpenseSummary expense, ReceiptFields text) {
    if (expense.total() == null) {
      List<String> doubts = new ArrayList<>(text.doubts());
      doubts.add(0, "Textract found no TOTAL, AMOUNT_PAID or AMOUNT_DUE");
      return new ReceiptFields(
          text.amount(),
          firstNonNull(expense.currency(), text.currency()),
          firstNonNull(expense.date(), text.date()),
          firstNonNull(expense.vendor(), text.merchant()),
          Math.min(text.confidence(), 0.5),
          doubts,
          text.fapiao());
    }
    List<String> doubts = new ArrayList<>();
    double confidence = expense.totalConfidence();
    if (confidence < TRUSTED_CONFIDENCE) {
      doubts.add(
          "Textract is only "
              + Math.round(confidence * 100)
              + "% sure of the "
              + expense.totalLabel());
    }
    if (text.amount() != null && text.trusted() && text.amount().compareTo(expense.total()) != 0) {
      doubts.add(
          "Textract reads the total as "
              + expense.total().toPlainString()
              + " but the receipt's text gives "
              + text.amount().toPlainString());
      confidence = Math.min(confidence, 0.5);
    }
    return new ReceiptFields(
        expense.total(),
        firstNonNull(expense.currency(), text.currency()),
        firstNonNull(expense.date(), text.date()),
        firstNonNull(expense.vendor(), text.merchant()),
        confidence,
        doubts,
        text.fapiao());
  }

  private static <T> T firstNonNull(T a, T b) {
    return a != null ? a : b;
  }
}
