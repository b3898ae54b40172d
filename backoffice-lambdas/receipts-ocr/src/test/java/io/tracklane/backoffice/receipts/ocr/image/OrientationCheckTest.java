package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.backoffice.receipts.ocr.provider.TesseractOcr;
import io.tracklane.backoffice.receipts.ocr.testing.RequiresTesseract;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With real Tesseract reading the strips. */
class OrientationCheckTest {
  private static OrientationCheck check;

  @BeforeAll
  static void engine() {
    RequiresTesseract.check();
    check = new OrientationCheck(TesseractOcr.forFolder("", Map.of())::readingConfidence);
  }

  @Test
  void turnsEachQuarterTurnBackUpright() {
    BufferedImage page = PhotoSteps.receipt();
    for (int turned = 1; turned < 4; turned++) {
      int back = check.quarterTurnsToUpright(GrayImages.quarterTurns(page, turned));
      assertEquals(0, (turned + back) % 4, "page turned " + turned + " quarter(s) clockwise");
    }
  }

  /**
   * No way up reads as text clearly enough to decide (a script the model hardly knows): a page
   * lying on its side is still turned, to whichever side reads better.
   */
  @Test
  void aSidewaysPageNoWayReadsClearlyIsStillTurnedTheBetterWay() {
    TesseractOcr tesseract = TesseractOcr.forFolder("", Map.of());
    OrientationCheck faint =
        new OrientationCheck(strip -> 0.4 * tesseract.readingConfidence(strip));
    BufferedImage page = PhotoSteps.receipt();
    for (int turned : new int[] {1, 3}) {
      int back = faint.quarterTurnsToUpright(GrayImages.quarterTurns(page, turned));
      assertEquals(0, (turned + back) % 4, "page turned " + turned + " quarter(s) clockwise");
    }
  }

  @Test
  void leavesAnUprightPageUpright() {
    assertEquals(0, check.quarterTurnsToUpright(PhotoSteps.receipt()));
  }

  @Test
  void tellsSidewaysTextFromUprightByItsRowProfile() {
    BufferedImage page = PhotoSteps.receipt();
    assertEquals(false, OrientationCheck.sideways(page));
    assertEquals(true, OrientationCheck.sideways(GrayImages.quarterTurns(page, 1)));
  }
}
