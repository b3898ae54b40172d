package io.tracklane.backoffice.receipts.ocr;

import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Recognises several images with the same languages, in the order given: side by side where the
   * engine can (one image per core), else one after another.
   */
  default List<OcrResult> recogniseEach(List<ReceiptImage> images, OcrLanguages languages)
      throws OcrException {
    List<OcrResult> out = new ArrayList<>();
    for (ReceiptImage image : images) {
      out.add(recognise(image, languages));
    }
    return out;
  }

  /**
   * Further readings of the same image made differently (other page layouts, the bottom block
   * alone), for a total the first reading could not confirm; none by default.
   */
  default List<NamedReading> alternativeReadings(ReceiptImage image, OcrLanguages languages)
      throws OcrException {
    return List.of();
  }

  /** An alternative reading and how it was made. */
  record NamedReading(String name, OcrResult result) {}

  /** Whether a second pass with these languages can read something the first could not. */
  default boolean supports(OcrLanguages languages) {
    return languages == OcrLanguages.LATIN;
  }
}
