package io.tracklane.backoffice.receipts.ocr;

/** One recognised word of a line and Tesseract's confidence in it, 0..1. */
public record OcrWord(String text, double confidence) {
  public OcrWord {
    text = text == null ? "" : text.strip();
  }
}
