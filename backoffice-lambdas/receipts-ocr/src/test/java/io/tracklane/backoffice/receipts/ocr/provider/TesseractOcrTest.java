package io.tracklane.backoffice.receipts.ocr.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.OcrLanguages;
import io.tracklane.backoffice.receipts.ocr.OcrResult;
import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import io.tracklane.backoffice.receipts.ocr.testing.RequiresTesseract;
import io.tracklane.backoffice.receipts.ocr.testing.TestImages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Real Tesseract. */
class TesseractOcrTest {

  @Test
  void readsSeveralImagesSideBySideInTheOrderGiven() throws Exception {
    RequiresTesseract.check();
    TesseractOcr ocr = TesseractOcr.forFolder("", Map.of());
    List<ReceiptImage> images =
        List.of(
            page("KEDAI MAJU", "Total 12.30"),
            page("SHELL STATION", "Total 45.60"),
            page("KEDAI MAJU", "Total 78.90"));

    List<OcrResult> results = ocr.recogniseEach(images, OcrLanguages.LATIN);

    assertEquals(3, results.size());
    assertTrue(results.get(0).text().contains("12.30"), results.get(0).text());
    assertTrue(results.get(1).text().contains("SHELL"), results.get(1).text());
    assertTrue(results.get(1).text().contains("45.60"), results.get(1).text());
    assertTrue(results.get(2).text().contains("78.90"), results.get(2).text());
    results.forEach(r -> assertEquals(OcrLanguages.LATIN, r.languages()));
  }

  private static ReceiptImage page(String... lines) {
    return new ReceiptImage("image/png", null, TestImages.receipt(List.of(lines)), false);
  }
}
