package io.tracklane.backoffice.receipts.ocr.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import io.tracklane.backoffice.receipts.ocr.OcrWord;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigitConfidenceTest {

  private static MoneyToken amountIn(String line) {
    List<MoneyToken> tokens = MoneyParser.find(line, true);
    return tokens.get(tokens.size() - 1);
  }

  /** A clean label and a doubtful figure: the figure's own word decides, not the line's mean. */
  @Test
  void takesTheAmountsOwnWord() {
    String text = "TOTAL (RM)     28.31";
    OcrLine line =
        new OcrLine(
            text,
            0.9,
            0,
            20,
            List.of(
                new OcrWord("TOTAL", 0.97), new OcrWord("(RM)", 0.95), new OcrWord("28.31", 0.52)));
    assertEquals(0.52, DigitConfidence.of(line, amountIn(text)), 1e-9);
  }

  /** "RM 12.50" read as two words: the lowest of the words the amount spans. */
  @Test
  void lowestOfTheWordsTheAmountSpans() {
    String text = "Total 1 234.50";
    OcrLine line =
        new OcrLine(
            text,
            0.9,
            0,
            20,
            List.of(new OcrWord("Total", 0.99), new OcrWord("1", 0.7), new OcrWord("234.50", 0.9)));
    MoneyToken token = amountIn(text);
    double expected = token.start() <= text.indexOf("1 ") ? 0.7 : 0.9;
    assertEquals(expected, DigitConfidence.of(line, token), 1e-9);
  }

  /** Without word confidences (Textract), the line's own. */
  @Test
  void lineConfidenceWithoutWords() {
    OcrLine line = OcrLine.of("TOTAL 9.00", 0.81);
    assertEquals(0.81, DigitConfidence.of(line, amountIn(line.text())), 1e-9);
  }
}
