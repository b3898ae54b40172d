package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class SkewCorrectorTest {
  private final SkewCorrector skew = new SkewCorrector();

  @Test
  void measuresTheSlantOfTurnedTextLines() {
    BufferedImage page = PhotoSteps.receipt();
    assertEquals(5.0, skew.estimate(GrayImages.rotate(page, 5)), 0.5);
    assertEquals(-7.0, skew.estimate(GrayImages.rotate(page, -7)), 0.5);
  }

  @Test
  void straightensATurnedPage() {
    BufferedImage turned = GrayImages.rotate(PhotoSteps.receipt(), 6);
    assertEquals(0.0, skew.estimate(skew.straighten(turned)), 0.5);
  }

  @Test
  void leavesAStraightPageAsItIs() {
    BufferedImage page = PhotoSteps.receipt();
    assertSame(page, skew.straighten(page));
  }
}
