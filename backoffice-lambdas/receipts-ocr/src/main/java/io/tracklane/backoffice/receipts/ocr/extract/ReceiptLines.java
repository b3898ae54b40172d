package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pairs each line's amount with its label: the rightmost amount of a line belongs to the text
 * before it; a label standing alone (TOTAL, then the figure on the next line) takes the first
 * amount of the next line.
 */
final class ReceiptLines {
  private ReceiptLines() {}

  static List<LabelledAmount> label(List<OcrLine> lines) {
    List<LabelledAmount> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      OcrLine line = lines.get(i);
      String text = line.text();
      List<MoneyToken> tokens = MoneyParser.find(text, true);
      MoneyToken chosen = lastWithCents(tokens);
      if (chosen == null && !tokens.isEmpty()) {
        chosen = tokens.get(tokens.size() - 1);
      }
      if (chosen != null) {
        String label = text.substring(0, chosen.start());
        LineKind kind = LabelClassifier.classify(label);
        if (kind == LineKind.TOTAL && isTableRow(tokens, chosen)) {
          kind = LineKind.TAX_SUMMARY;
        }
        if (kind == LineKind.ROUNDING
            && !ADJUSTMENT.matcher(label).find()
            && chosen.hasCents()
            && !chosen.negative()
            && chosen.value().compareTo(BigDecimal.ONE) >= 0) {
          // "Rounding Adjustment RM .02" then "Rounding RM 14.40": an adjustment is never a whole
          // unit, so a figure that large under "Rounding" is the rounded total; under "Round Adj"
          // it is the adjustment misread (9.00 for 0.00)
          kind = LineKind.ROUNDED_TOTAL;
        }
        if (!chosen.hasCents()
            && LOST_POINT_KINDS.contains(kind)
            && chosen.value().compareTo(HUNDRED) >= 0
            && tokens.size() == 1) {
          chosen =
              lostDecimalPoint(chosen); // "Total Sales (Excluding GST) 5142": the point fell out
        }
        if (!chosen.hasCents()
            && !kind.isTotal()
            && kind != LineKind.CASH
            && kind != LineKind.CHANGE) {
          continue; // a bare number on an unlabelled line is a quantity, a code or a phone number
        }
        if (kind == LineKind.OTHER
            && letters(label) < 2
            && !QUANTITY.matcher(label).find()
            && i > 0) {
          LineKind above = labelOnly(lines.get(i - 1).text());
          if (above != LineKind.OTHER) {
            out.add(
                new LabelledAmount(
                    i,
                    above,
                    tokens.get(0),
                    line.confidence(),
                    true,
                    lines.get(i - 1).text(),
                    DigitConfidence.of(line, tokens.get(0))));
            continue;
          }
        }
        out.add(
            new LabelledAmount(
                i,
                kind,
                chosen,
                line.confidence(),
                false,
                label,
                DigitConfidence.of(line, chosen)));
      }
    }
    return out;
  }

  /** "Round Adj", "Rounding Adjustment": the adjustment itself, never the rounded total. */
  private static final Pattern ADJUSTMENT = Pattern.compile("(?i)\\bAD[JI1)]");

  /**
   * "1 X 3.3000": a quantity times a price is an item's own line, never the figure of a label
   * standing alone above it ("CARD COVER" read as a card payment of 1.00).
   */
  private static final Pattern QUANTITY = Pattern.compile("\\d\\s*[xX×*@]\\s*\\d");

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /**
   * Lines whose figure only serves to cross-check the total: a guessed decimal point costs nothing
   * there.
   */
  private static final Set<LineKind> LOST_POINT_KINDS =
      EnumSet.of(LineKind.SUBTOTAL, LineKind.TOTAL_EXCL_TAX, LineKind.TAX);

  private static MoneyToken lostDecimalPoint(MoneyToken whole) {
    return new MoneyToken(
        whole.value().movePointLeft(2).setScale(2),
        whole.start(),
        whole.end(),
        true,
        true,
        whole.negative());
  }

  /**
   * "Total: 8.90 0.53": a plain TOTAL followed by a smaller figure is the tax summary's total row
   * (amount, then tax), not the receipt's total.
   */
  private static boolean isTableRow(List<MoneyToken> tokens, MoneyToken chosen) {
    return tokens.stream()
        .filter(MoneyToken::hasCents)
        .filter(t -> t != chosen)
        .anyMatch(t -> t.start() < chosen.start() && t.value().compareTo(chosen.value()) > 0);
  }

  /** Letters in a label, currency codes aside ("RM 9.00" has no label of its own). */
  private static int letters(String label) {
    return label
        .replaceAll("(?i)\\b(?:RM|MYR|USD|US|SGD|RMB|CNY)\\b", "")
        .replaceAll("[^\\p{L}]", "")
        .length();
  }

  /** The kind of a line that holds a label and no amount. */
  private static LineKind labelOnly(String text) {
    return MoneyParser.find(text, true).isEmpty() ? LabelClassifier.classify(text) : LineKind.OTHER;
  }

  private static MoneyToken lastWithCents(List<MoneyToken> tokens) {
    for (int i = tokens.size() - 1; i >= 0; i--) {
      if (tokens.get(i).hasCents()) {
        return tokens.get(i);
      }
    }
    return null;
  }
}
