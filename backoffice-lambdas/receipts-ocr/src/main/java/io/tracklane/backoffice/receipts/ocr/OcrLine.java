package io.tracklane.backoffice.receipts.ocr;

import java.util.List;

/**
 * One recognised line, top to bottom. {@code confidence} 0..1; {@code height} in pixels of the
 * normalised image (0 when unknown), so prominent lines (shop names) can be told from small print;
 * {@code words}: the line's words with their own confidences, in order (empty when the engine gives
 * none), so the digits of a total can be judged apart from the rest of its line.
 */
public record OcrLine(String text, double confidence, int top, int height, List<OcrWord> words) {
  public OcrLine {
    text = text == null ? "" : text.strip();
    words = words == null ? List.of() : List.copyOf(words);
  }

  public OcrLine(String text, double confidence, int top, int height) {
    this(text, confidence, top, height, List.of());
  }

  public static OcrLine of(String text, double confidence) {
    return new OcrLine(text, confidence, 0, 0);
  }
}
