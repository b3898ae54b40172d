package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ReceiptEdgeFinderTest {
  private final ReceiptEdgeFinder finder = new ReceiptEdgeFinder();

  @Test
  void findsThePageCornersOnADarkerCounterUnderUnevenLight() {
    BufferedImage page = PhotoSteps.receipt();
    int w = page.getWidth();
    int h = page.getHeight();
    BufferedImage photo =
        PhotoSteps.litFromLeft(PhotoSteps.onSurface(page, w + 300, h + 200, 120, 90, 140), 0.65);
    double[] c = finder.corners(photo).orElseThrow();
    double tolerance = 0.03 * (w + 300);
    double[] expected = {120, 90, 120 + w, 90, 120 + w, 90 + h, 120, 90 + h};
    for (int i = 0; i < 8; i++) {
      assertEquals(expected[i], c[i], tolerance, "corner coordinate " + i);
    }
  }

  /**
   * A brown counter and a dark shadow band across the page: by brightness the shadowed paper is
   * darker than the lit counter, by colour the page is still whole.
   */
  @Test
  void findsThePageOnAColouredCounterAcrossAShadowBand() {
    BufferedImage page = PhotoSteps.receipt();
    int w = page.getWidth();
    int h = page.getHeight();
    int outW = w + 300;
    int outH = h + 200;
    BufferedImage photo = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        boolean onPage = x >= 120 && x < 120 + w && y >= 90 && y < 90 + h;
        int v = onPage ? PhotoSteps.at(page, x - 120, y - 90) : -1;
        // a band a quarter of the height wide, falling to 40 % light
        double light = Math.abs((y - outH / 2.0) - 0.3 * (x - outW / 2.0)) < outH / 8.0 ? 0.4 : 1;
        int r = (int) ((onPage ? v : 175) * light);
        int g = (int) ((onPage ? v : 140) * light);
        int b = (int) ((onPage ? v : 105) * light);
        photo.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    double[] c = finder.corners(GrayImages.gray(photo), photo).orElseThrow();
    double tolerance = 0.03 * outW;
    double[] expected = {120, 90, 120 + w, 90, 120 + w, 90 + h, 120, 90 + h};
    for (int i = 0; i < 8; i++) {
      assertEquals(expected[i], c[i], tolerance, "corner coordinate " + i);
    }
  }

  @Test
  void aScanWithNoSurfaceAroundItHasNoEdgeToFind() {
    assertTrue(finder.corners(PhotoSteps.receipt()).isEmpty());
  }
}
