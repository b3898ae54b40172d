package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.util.Arrays;
import java.util.List;

/** Test helper: OCR lines from text, each read with high confidence. */
final class Lines {
  private Lines() {}

  static List<OcrLine> of(String... lines) {
    return Arrays.stream(lines).map(l -> OcrLine.of(l, 0.92)).toList();
  }

  static List<OcrLine> text(String block) {
    return of(block.strip().split("\n"));
  }
}
