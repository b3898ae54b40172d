package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class SauvolaBinariserTest {
  private final SauvolaBinariser binariser = new SauvolaBinariser();

  /**
   * Under light falling to a third across the page, one global threshold either loses the ink on
   * the bright side or blackens the paper on the dark side; Sauvola's local threshold keeps both:
   * paper white and ink black on either side.
   */
  @Test
  void keepsInkAndPaperApartUnderAStrongGradient() {
    BufferedImage page = PhotoSteps.receipt();
    BufferedImage dim = PhotoSteps.litFromLeft(page, 0.35);
    byte[] before = GrayImages.pixels(page);
    byte[] dimmed = GrayImages.pixels(dim);
    byte[] after = GrayImages.pixels(binariser.binarise(dim));
    int w = page.getWidth();
    int[] ink = new int[2];
    int[] inkBlack = new int[2];
    int[] paper = new int[2];
    int[] paperWhite = new int[2];
    for (int i = 0; i < before.length; i++) {
      int side = (i % w) < w / 2 ? 0 : 1;
      int v = after[i] & 0xFF;
      assertTrue(v == 0 || v == 255, "black or white only: " + v);
      if ((before[i] & 0xFF) < 60) {
        ink[side]++;
        inkBlack[side] += v == 0 ? 1 : 0;
      } else if ((before[i] & 0xFF) > 250) {
        paper[side]++;
        paperWhite[side] += v == 255 ? 1 : 0;
      }
    }
    for (int side = 0; side < 2; side++) {
      assertTrue(inkBlack[side] > 0.9 * ink[side], side + ": " + inkBlack[side] + "/" + ink[side]);
      assertTrue(
          paperWhite[side] > 0.97 * paper[side],
          side + ": " + paperWhite[side] + "/" + paper[side]);
    }
    // the premise: on the dark side, paper is darker than ink on the bright side
    int darkPaper = dimmed[5 * w + w - 5] & 0xFF;
    assertTrue(darkPaper < 100, "paper at the dark edge " + darkPaper);
  }

  @Test
  void blankPaperStaysWhite() {
    BufferedImage blank = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
    java.util.Arrays.fill(GrayImages.pixels(blank), (byte) 200);
    byte[] out = GrayImages.pixels(binariser.binarise(blank));
    for (byte b : out) {
      assertTrue((b & 0xFF) == 255);
    }
  }
}
