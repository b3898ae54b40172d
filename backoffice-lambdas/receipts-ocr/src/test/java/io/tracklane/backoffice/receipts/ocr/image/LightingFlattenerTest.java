package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class LightingFlattenerTest {
  private final LightingFlattener flattener = new LightingFlattener();

  @Test
  void whitensPaperInTheDarkPartAndKeepsInkDark() {
    BufferedImage page = PhotoSteps.receipt();
    BufferedImage dim = PhotoSteps.litFromLeft(page, 0.5);
    int w = page.getWidth();
    int x = w - 5; // paper at the dark edge: about half as bright before
    assertTrue(PhotoSteps.at(dim, x, 5) < 140, "the test's own light falls off");
    BufferedImage flat = flattener.flatten(dim);
    assertTrue(PhotoSteps.at(flat, x, 5) > 225, "paper: " + PhotoSteps.at(flat, x, 5));
    // every ink pixel stays darker than the paper around it
    int ink = 0;
    int inkKept = 0;
    byte[] before = GrayImages.pixels(page);
    byte[] after = GrayImages.pixels(flat);
    for (int i = 0; i < before.length; i++) {
      if ((before[i] & 0xFF) < 60) {
        ink++;
        inkKept += (after[i] & 0xFF) < 128 ? 1 : 0;
      }
    }
    assertTrue(inkKept > 0.95 * ink, inkKept + " of " + ink + " ink pixels stay dark");
  }

  /**
   * A shadow band across a photographed page (a phone or a hand between the lamp and the receipt)
   * is lifted back to near white on the fine grid (paper at 70 % light, 178 of 255, reads above 200
   * again but for the band's soft edges); the scan's coarse grid, whose grown estimate fills a band
   * this narrow with the paper beside it, does not see it at all.
   */
  @Test
  void whitensAShadowBandAcrossAPhotographedPage() {
    BufferedImage page = PhotoSteps.receipt();
    int h = page.getHeight();
    int from = (int) (h * 0.40);
    int to = (int) (h * 0.40 + Math.max(page.getWidth(), h) * 0.07);
    BufferedImage shaded = PhotoSteps.shadowBand(page, from, to, 0.7);
    double fine = PhotoSteps.paperWhitened(page, flattener.flatten(shaded, true), from, to);
    assertTrue(fine > 0.9, "paper in the band lifted above 200: " + fine);
    assertSame(shaded, flattener.flatten(shaded, false));
    // ink under the band stays ink
    BufferedImage flat = flattener.flatten(shaded, true);
    byte[] before = GrayImages.pixels(page);
    byte[] after = GrayImages.pixels(flat);
    int ink = 0;
    int inkKept = 0;
    for (int i = from * page.getWidth(); i < to * page.getWidth(); i++) {
      if ((before[i] & 0xFF) < 60) {
        ink++;
        inkKept += (after[i] & 0xFF) < 128 ? 1 : 0;
      }
    }
    assertTrue(ink > 0 && inkKept > 0.95 * ink, inkKept + " of " + ink + " ink pixels stay dark");
  }

  @Test
  void leavesAnEvenlyLitPageAsItIs() {
    BufferedImage page = PhotoSteps.receipt();
    assertSame(page, flattener.flatten(page));
    assertSame(page, flattener.flatten(page, true));
  }
}
