package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PerspectiveCorrectorTest {

  @Test
  void mapsASlantedQuadrilateralBackOntoAnUprightPage() {
    // a white page with a black square in its middle, seen at a slant: the top edge narrower
    int w = 400;
    int h = 600;
    BufferedImage page = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] p = GrayImages.pixels(page);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean square = x >= 150 && x < 250 && y >= 250 && y < 350;
        p[y * w + x] = (byte) (square ? 0 : 255);
      }
    }
    double[] slanted = {60, 20, 340, 20, 400, 600, 0, 600};
    BufferedImage photo = warp(page, slanted);
    BufferedImage upright = new PerspectiveCorrector().rectify(photo, slanted);
    double sx = upright.getWidth() / (double) w;
    double sy = upright.getHeight() / (double) h;
    assertTrue(PhotoSteps.at(upright, (int) (200 * sx), (int) (300 * sy)) < 60, "square centre");
    assertTrue(PhotoSteps.at(upright, (int) (120 * sx), (int) (300 * sy)) > 200, "left of it");
    assertTrue(PhotoSteps.at(upright, (int) (280 * sx), (int) (300 * sy)) > 200, "right of it");
    assertTrue(PhotoSteps.at(upright, (int) (200 * sx), (int) (220 * sy)) > 200, "above it");
    assertTrue(Math.abs(upright.getWidth() - w) < 0.2 * w, "about the page's width");
  }

  /** The page as a camera sees it when its corners land at {@code corners}. */
  private static BufferedImage warp(BufferedImage page, double[] corners) {
    int w = page.getWidth();
    int h = page.getHeight();
    double[] m = Homography.between(corners, new double[] {0, 0, w, 0, w, h, 0, h});
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] o = GrayImages.pixels(out);
    byte[] in = GrayImages.pixels(page);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double den = m[6] * x + m[7] * y + 1;
        int sx = (int) ((m[0] * x + m[1] * y + m[2]) / den);
        int sy = (int) ((m[3] * x + m[4] * y + m[5]) / den);
        o[y * w + x] = sx >= 0 && sy >= 0 && sx < w && sy < h ? in[sy * w + sx] : (byte) 100;
      }
    }
    return out;
  }
}
