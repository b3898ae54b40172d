package io.tracklane.backoffice.receipts.ocr;

import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;

/** An OCR engine behind one interface, chosen by configuration (China regions: Tesseract only). */
public interface OcrProvider {

  /** "tesseract" or "textract": recorded with every reading. */
  String name();

  /**
   * Recognises the text of one checked, upright receipt image.
   *
   * @throws OcrException when the engine itself fails (not for unreadable content: that is an empty
   *     result)
   */
  OcrResult recognise(ReceiptImage image, OcrLanguages languages) throws OcrException;

  /** Whether a second pass with these languages can read something the first could not. */
  default boolean supports(OcrLanguages languages) {
    return languages == OcrLanguages.LATIN;
  }
}
