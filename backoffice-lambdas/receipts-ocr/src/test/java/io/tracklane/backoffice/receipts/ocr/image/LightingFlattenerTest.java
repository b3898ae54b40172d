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

  @Test
  void leavesAnEvenlyLitPageAsItIs() {
    BufferedImage page = PhotoSteps.receipt();
    assertSame(page, flattener.flatten(page));
  }
}
