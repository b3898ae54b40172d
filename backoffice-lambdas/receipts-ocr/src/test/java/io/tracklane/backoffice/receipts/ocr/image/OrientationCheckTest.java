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

  /**
   * A page 2.2 times taller than wide is a till strip, upright or upside down: when no way reads as
   * text and its darkest lines run down it (faint print beside the paper's edges), it is left as it
   * is, and its sideways strips (the longest, slowest to read) are never read.
   */
  @Test
  void aTillStripNoWayReadsIsNeverTurnedOnItsSide() {
    BufferedImage wide = new BufferedImage(1800, 600, BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = wide.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 1800, 600);
    g.setColor(java.awt.Color.BLACK);
    for (int row = 0; row < 20; row++) {
      for (int x = 40; x < 1740; x += 90) {
        g.fillRect(x, 20 + row * 29, 60, 12); // a word
      }
    }
    g.dispose();
    BufferedImage strip = GrayImages.quarterTurns(wide, 1); // 600 x 1800, lines running down
    assertEquals(true, OrientationCheck.sideways(strip, OrientationCheck.SURELY_SIDEWAYS));
    java.util.List<Double> aspects = new java.util.concurrent.CopyOnWriteArrayList<>();
    OrientationCheck noText =
        new OrientationCheck(
            read -> {
              aspects.add((double) read.getWidth() / read.getHeight());
              return 0.3;
            },
            read -> 0.3);
    assertEquals(0, noText.quarterTurnsToUpright(strip));
    org.junit.jupiter.api.Assertions.assertTrue(
        aspects.stream().allMatch(a -> a < 3), "strips read: width/height " + aspects);
    // a page of the same print less than 2.2 times taller than wide is still turned
    BufferedImage shorter =
        GrayImages.quarterTurns(wide.getSubimage(0, 0, 1200, 600), 1); // 600 x 1200
    int turns = noText.quarterTurnsToUpright(shorter);
    assertEquals(1, turns % 2, "turned a quarter: " + turns);
  }
}
