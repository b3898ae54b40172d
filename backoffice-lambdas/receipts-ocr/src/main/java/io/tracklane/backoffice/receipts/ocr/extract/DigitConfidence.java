package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import io.tracklane.backoffice.receipts.ocr.OcrWord;

/**
 * How sure the OCR was of an amount's own characters: the lowest confidence among the words the
 * amount spans in its line. A line's confidence mixes a clean label with the figure; a misread
 * digit shows in its word alone. Lines without word confidences (Textract) give the line's.
 */
final class DigitConfidence {
  private DigitConfidence() {}

  static double of(OcrLine line, MoneyToken token) {
    String text = line.text();
    double lowest = Double.NaN;
    int cursor = 0;
    for (OcrWord word : line.words()) {
      if (word.text().isEmpty()) {
        continue;
      }
      int at = text.indexOf(word.text(), cursor);
      if (at < 0) {
        continue; // the line's text and its words disagree here; skip the word
      }
      int end = at + word.text().length();
      cursor = end;
      if (at < token.end() && end > token.start()) {
        lowest = Double.isNaN(lowest) ? word.confidence() : Math.min(lowest, word.confidence());
      }
    }
    return Double.isNaN(lowest) ? line.confidence() : lowest;
  }
}
