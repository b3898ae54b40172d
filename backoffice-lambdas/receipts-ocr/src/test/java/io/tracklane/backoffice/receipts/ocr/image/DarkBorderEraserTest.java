package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DarkBorderEraserTest {
  private final DarkBorderEraser eraser = new DarkBorderEraser();

  @Test
  void whitensDarkBandsAlongTheEdgesAndLeavesThePageAlone() {
    BufferedImage page = PhotoSteps.receipt();
    int w = page.getWidth();
    int h = page.getHeight();
    // a scan of a torn strip: black lid above and below the paper
    BufferedImage scan = PhotoSteps.onSurface(page, w, h + 120, 0, 60, 15);
    BufferedImage erased = eraser.erase(scan);
    assertEquals(255, PhotoSteps.at(erased, w / 2, 10), "the band above");
    assertEquals(255, PhotoSteps.at(erased, 3, h + 110), "the band below");
    int changed = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        changed += PhotoSteps.at(erased, x, y + 60) == PhotoSteps.at(page, x, y) ? 0 : 1;
      }
    }
    assertEquals(0, changed, "pixels of the page changed");
  }

  @Test
  void keepsInkThatMerelyTouchesTheEdge() {
    BufferedImage page = PhotoSteps.receipt();
    byte[] px = GrayImages.pixels(page);
    int w = page.getWidth();
    // a character-sized blot cut by the left edge
    for (int y = 40; y < 70; y++) {
      for (int x = 0; x < 12; x++) {
        px[y * w + x] = 0;
      }
    }
    assertSame(page, eraser.erase(page));
  }

  @Test
  void leavesAPageWithoutBordersAsItIs() {
    BufferedImage page = PhotoSteps.receipt();
    assertSame(page, eraser.erase(page));
  }
}
