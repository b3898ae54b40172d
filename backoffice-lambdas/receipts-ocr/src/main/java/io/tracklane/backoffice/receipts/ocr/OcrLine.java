package io.tracklane.backoffice.receipts.ocr;

/**
 * One recognised line, top to bottom. {@code confidence} 0..1; {@code height} in pixels of the
 * normalised image (0 when unknown), so prominent lines (shop names) can be told from small print.
 */
public record OcrLine(String text, double confidence, int top, int height) {
  public OcrLine {
    text = text == null ? "" : text.strip();
  }

  public static OcrLine of(String text, double confidence) {
    return new OcrLine(text, confidence, 0, 0);
  }
}
