package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ContentCropperTest {
  private final ContentCropper cropper = new ContentCropper();

  @Test
  void cutsASmallReceiptOutOfALargeSheetWithAMargin() {
    BufferedImage page = PhotoSteps.receipt();
    int w = page.getWidth();
    int h = page.getHeight();
    // the receipt in the middle of a white sheet three times its size each way
    BufferedImage sheet = PhotoSteps.onSurface(page, 3 * w, 3 * h, w, h, 255);
    BufferedImage cropped = cropper.crop(sheet);
    assertTrue(cropped.getWidth() < 1.6 * w, "width " + cropped.getWidth() + " of " + 3 * w);
    assertTrue(cropped.getHeight() < 1.6 * h, "height " + cropped.getHeight() + " of " + 3 * h);
    // every ink pixel of the receipt is still there
    int ink = 0;
    for (byte b : GrayImages.pixels(page)) {
      ink += (b & 0xFF) < 128 ? 1 : 0;
    }
    int kept = 0;
    for (byte b : GrayImages.pixels(cropped)) {
      kept += (b & 0xFF) < 128 ? 1 : 0;
    }
    assertEquals(ink, kept, "ink pixels kept");
  }

  @Test
  void leavesAPageItsPrintFillsAsItIs() {
    BufferedImage page = PhotoSteps.receipt();
    assertSame(page, cropper.crop(page));
  }
}
