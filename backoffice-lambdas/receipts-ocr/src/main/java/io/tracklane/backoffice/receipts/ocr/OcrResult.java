package io.tracklane.backoffice.receipts.ocr;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The text one provider read: lines with confidences, the mean confidence (0..1), and, from
 * expense-aware providers, the fields they located ({@code expense} null otherwise).
 */
public record OcrResult(
    List<OcrLine> lines, double confidence, ExpenseSummary expense, OcrLanguages languages) {
  public OcrResult {
    lines = List.copyOf(lines);
  }

  public String text() {
    return lines.stream().map(OcrLine::text).collect(Collectors.joining("\n"));
  }
}
