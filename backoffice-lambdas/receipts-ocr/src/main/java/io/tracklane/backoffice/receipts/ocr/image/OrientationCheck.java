package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;
import java.util.function.ToDoubleFunction;

/**
 * Which way up a page is. Text lines run along one axis: the ink's row profile is sharp when they
 * run across the image and flat when they run down it, so the profile tells upright-or-upside-down
 * from sideways without reading anything; that decides which ways are tried first. Each is tried by
 * reading a strip from the page's middle: the OCR engine's confidence is far higher on text the
 * right way up, and the first way read clearly ends the search. (Tesseract's own orientation
 * detection was tried first and turned upright scans upside down at high confidence.)
 */
public final class OrientationCheck {
  /** Reading the other way must be at least this much more confident to turn a page over. */
  static final double MARGIN = 0.1;

  /** A strip read this confidently is the right way up; the other ways are not tried. */
  static final double CLEARLY_READABLE = 0.8;

  private final ToDoubleFunction<BufferedImage> readingConfidence;

  /** {@code readingConfidence}: the OCR engine's mean confidence 0..1 reading a grayscale strip. */
  public OrientationCheck(ToDoubleFunction<BufferedImage> readingConfidence) {
    this.readingConfidence = readingConfidence;
  }

  /** Clockwise quarter turns that bring {@code gray} upright. */
  public int quarterTurnsToUpright(BufferedImage gray) {
    BufferedImage small = GrayImages.shrink(gray, 1600);
    int[] order = sideways(small) ? new int[] {1, 3, 0, 2} : new int[] {0, 2, 1, 3};
    double uprightConfidence = -1;
    int best = 0;
    double bestConfidence = -1;
    for (int turns : order) {
      double c = readingConfidence.applyAsDouble(strip(GrayImages.quarterTurns(small, turns)));
      if (turns == 0) {
        uprightConfidence = c;
      }
      if (c > bestConfidence) {
        bestConfidence = c;
        best = turns;
      }
      if (c >= CLEARLY_READABLE) {
        break;
      }
    }
    // a page is turned only when another way reads clearly better than as it came
    return best != 0 && uprightConfidence >= 0 && bestConfidence < uprightConfidence + MARGIN
        ? 0
        : best;
  }

  /** Whether text lines run down the image rather than across it. */
  static boolean sideways(BufferedImage gray) {
    BufferedImage small = GrayImages.shrink(gray, 800);
    SkewCorrector skew = new SkewCorrector();
    double across = skew.sharpness(small);
    double down = skew.sharpness(GrayImages.quarterTurns(small, 1));
    return down > across * 1.2;
  }

  /** The middle fifth of the page, across its width: a few lines of text. */
  static BufferedImage strip(BufferedImage gray) {
    int h = gray.getHeight();
    int top = (int) (h * 0.4);
    int height = Math.max(1, (int) (h * 0.2));
    BufferedImage sub = gray.getSubimage(0, top, gray.getWidth(), height);
    BufferedImage copy =
        new BufferedImage(sub.getWidth(), sub.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    copy.getGraphics().drawImage(sub, 0, 0, null);
    return copy;
  }
}
