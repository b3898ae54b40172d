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

  @Test
  void aScanWithNoSurfaceAroundItHasNoEdgeToFind() {
    assertTrue(finder.corners(PhotoSteps.receipt()).isEmpty());
  }
}
