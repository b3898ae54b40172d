package io.tracklane.backoffice.receipts.ocr.provider;

import io.tracklane.backoffice.receipts.ocr.ExpenseSummary;
import io.tracklane.backoffice.receipts.ocr.OcrLanguages;
import io.tracklane.backoffice.receipts.ocr.OcrLine;
import io.tracklane.backoffice.receipts.ocr.OcrResult;
import io.tracklane.backoffice.receipts.ocr.extract.DateExtractor;
import io.tracklane.backoffice.receipts.ocr.extract.MoneyParser;
import io.tracklane.backoffice.receipts.ocr.extract.MoneyToken;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.textract.model.AnalyzeExpenseResponse;
import software.amazon.awssdk.services.textract.model.Block;
import software.amazon.awssdk.services.textract.model.BlockType;
import software.amazon.awssdk.services.textract.model.ExpenseDetection;
import software.amazon.awssdk.services.textract.model.ExpenseDocument;
import software.amazon.awssdk.services.textract.model.ExpenseField;

/**
 * Maps an AnalyzeExpense response to an {@link OcrResult}: the LINE blocks as text and the summary
 * fields TOTAL / AMOUNT_DUE / AMOUNT_PAID (in that order of preference; a type may occur more than
 * once, the most confident wins), VENDOR_NAME and INVOICE_RECEIPT_DATE. Confidences become 0..1.
 */
public final class TextractExpenseMapper {
  private static final List<String> TOTAL_TYPES = List.of("TOTAL", "AMOUNT_DUE", "AMOUNT_PAID");

  private TextractExpenseMapper() {}

  public static OcrResult map(AnalyzeExpenseResponse response) {
    List<ExpenseDocument> documents =
        response.hasExpenseDocuments() ? response.expenseDocuments() : List.of();
    List<ExpenseField> fields = new ArrayList<>();
    List<OcrLine> lines = new ArrayList<>();
    for (ExpenseDocument document : documents) {
      if (document.hasSummaryFields()) {
        fields.addAll(document.summaryFields());
      }
      if (document.hasBlocks()) {
        for (Block block : document.blocks()) {
          if (block.blockType() == BlockType.LINE && block.text() != null) {
            int top = 0;
            int height = 0;
            if (block.geometry() != null && block.geometry().boundingBox() != null) {
              top = Math.round(block.geometry().boundingBox().top() * 10_000);
              height = Math.round(block.geometry().boundingBox().height() * 10_000);
            }
            lines.add(new OcrLine(block.text(), percent(block.confidence()), top, height));
          }
        }
      }
    }
    if (lines.isEmpty()) { // older responses carry no blocks: the fields themselves are the text
      for (ExpenseField field : fields) {
        String label =
            field.labelDetection() == null ? "" : nullToEmpty(field.labelDetection().text());
        String value =
            field.valueDetection() == null ? "" : nullToEmpty(field.valueDetection().text());
        lines.add(OcrLine.of((label + " " + value).strip(), confidence(field)));
      }
    }
    double mean = lines.stream().mapToDouble(OcrLine::confidence).average().orElse(0);
    return new OcrResult(lines, mean, summary(fields), OcrLanguages.LATIN);
  }

  static ExpenseSummary summary(List<ExpenseField> fields) {
    BigDecimal total = null;
    double totalConfidence = 0;
    String totalLabel = null;
    String currency = null;
    for (String type : TOTAL_TYPES) {
      Optional<ExpenseField> best = mostConfident(fields, type, f -> amount(f).isPresent());
      if (best.isPresent()) {
        BigDecimal value = amount(best.get()).orElseThrow();
        if (type.equals("AMOUNT_DUE") && value.signum() == 0) {
          continue; // nothing left to pay says nothing about the total
        }
        total = value;
        totalConfidence = confidence(best.get());
        totalLabel = type;
        if (best.get().currency() != null && best.get().currency().code() != null) {
          currency = best.get().currency().code().toUpperCase(Locale.ROOT);
        }
        break;
      }
    }
    String vendor =
        mostConfident(fields, "VENDOR_NAME", f -> value(f) != null)
            .map(TextractExpenseMapper::value)
            .map(v -> v.replace('\n', ' ').strip())
            .orElse(null);
    LocalDate date =
        mostConfident(fields, "INVOICE_RECEIPT_DATE", f -> value(f) != null)
            .flatMap(f -> DateExtractor.parse(value(f)))
            .orElse(null);
    return new ExpenseSummary(total, totalConfidence, totalLabel, currency, vendor, date);
  }

  private static Optional<ExpenseField> mostConfident(
      List<ExpenseField> fields, String type, Predicate<ExpenseField> usable) {
    return fields.stream()
        .filter(f -> f.type() != null && type.equalsIgnoreCase(f.type().text()))
        .filter(usable)
        .max(Comparator.comparingDouble(TextractExpenseMapper::confidence));
  }

  /** The field's confidence: the weaker of "this is a TOTAL" and "this is its value". */
  static double confidence(ExpenseField field) {
    double type = field.type() == null ? 0 : percent(field.type().confidence());
    double value =
        percent(field.valueDetection() == null ? null : field.valueDetection().confidence());
    return Math.min(type, value);
  }

  private static Optional<BigDecimal> amount(ExpenseField field) {
    String text = value(field);
    if (text == null) {
      return Optional.empty();
    }
    List<MoneyToken> tokens = MoneyParser.find(text, true);
    return tokens.stream()
        .filter(MoneyToken::hasCents)
        .reduce((a, b) -> b)
        .or(() -> tokens.stream().reduce((a, b) -> b))
        .map(MoneyToken::value);
  }

  private static String value(ExpenseField field) {
    ExpenseDetection value = field.valueDetection();
    return value == null || value.text() == null || value.text().isBlank() ? null : value.text();
  }

  private static double percent(Float confidence) {
    return confidence == null ? 0 : Math.max(0, Math.min(1, confidence / 100.0));
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
