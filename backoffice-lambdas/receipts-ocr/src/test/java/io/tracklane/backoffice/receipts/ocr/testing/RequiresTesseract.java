package io.tracklane.backoffice.receipts.ocr.testing;

import io.tracklane.backoffice.receipts.ocr.provider.TesseractOcr;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Tests needing Tesseract skip only outside CI; under CI=true a missing Tesseract fails them. */
public final class RequiresTesseract {
  private static final boolean INSTALLED = TesseractOcr.isInstalled();

  private RequiresTesseract() {}

  public static void check() {
    if ("true".equals(System.getenv("CI"))) {
      Assertions.assertTrue(
          INSTALLED,
          "Tesseract is required under CI: apt-get install tesseract-ocr "
              + "tesseract-ocr-eng tesseract-ocr-chi-sim fonts-wqy-zenhei");
    }
    Assumptions.assumeTrue(
        INSTALLED,
        "Tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-eng "
            + "tesseract-ocr-chi-sim)");
  }
}
