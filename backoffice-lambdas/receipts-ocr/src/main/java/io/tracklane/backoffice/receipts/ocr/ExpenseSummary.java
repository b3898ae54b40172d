package io.tracklane.backoffice.receipts.ocr;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Fields an expense-aware provider (Textract AnalyzeExpense) has already located; any may be null.
 * Confidences are 0..1.
 */
public record ExpenseSummary(
    BigDecimal total,
    double totalConfidence,
    String totalLabel,
    String currency,
    String vendor,
    LocalDate date) {}
