package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * Straightens text lines turned by a few degrees: the angle at which the dark pixels' row profile
 * is sharpest (lines and gaps between them alternate most) is the text's slant. Tesseract reads
 * lines slanted by more than a degree or two noticeably worse, and re-sampling a straight scan
 * costs; below {@link #MIN_DEGREES} the image is returned as it is, so straight scans pass through
 * untouched.
 */
public final class SkewCorrector {
  static final double MAX_DEGREES = 12;
  static final double MIN_DEGREES = 1.5;

  /** The text's slant in degrees, clockwise positive (rotate by its negative to straighten). */
  public double estimate(BufferedImage gray) {
    return search(gray)[0];
  }

  /**
   * How sharply the ink falls into rows at the best angle, per ink pixel: high when text lines run
   * across the image, low when they run down it.
   */
  public double sharpness(BufferedImage gray) {
    return search(gray)[1];
  }

  /** {angle, sharpness}. */
  private double[] search(BufferedImage gray) {
    BufferedImage small = GrayImages.shrink(gray, 800);
    int w = small.getWidth();
    int h = small.getHeight();
    byte[] px = GrayImages.pixels(small);
    int[] histogram = new int[256];
    for (byte b : px) {
      histogram[b & 0xFF]++;
    }
    int threshold = GrayImages.otsu(histogram);
    int count = 0;
    int[] xs = new int[px.length];
    int[] ys = new int[px.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if ((px[y * w + x] & 0xFF) < threshold) {
          xs[count] = x - w / 2;
          ys[count] = y - h / 2;
          count++;
        }
      }
    }
    if (count < 50) {
      return new double[] {0, 0};
    }
    double best = 0;
    double bestScore = score(xs, ys, count, 0, h, w);
    for (double a = -MAX_DEGREES; a <= MAX_DEGREES; a += 0.5) {
      double s = score(xs, ys, count, a, h, w);
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
    double coarse = best;
    for (double a = coarse - 0.5; a <= coarse + 0.5; a += 0.1) {
      double s = score(xs, ys, count, a, h, w);
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
    return new double[] {best, bestScore / count};
  }

  /** Rotated by the estimated slant's negative, or the same image when nearly straight. */
  public BufferedImage straighten(BufferedImage gray) {
    double slant = estimate(gray);
    return Math.abs(slant) < MIN_DEGREES ? gray : GrayImages.rotate(gray, -slant);
  }

  /** Sum of squared differences between neighbouring rows of the profile at that angle. */
  private static double score(int[] xs, int[] ys, int count, double degrees, int h, int w) {
    double t = Math.tan(Math.toRadians(degrees));
    int size = h + w;
    int offset = size / 2;
    int[] rows = new int[size + 1];
    for (int i = 0; i < count; i++) {
      int r = (int) Math.round(ys[i] - xs[i] * t) + offset;
      if (r >= 0 && r <= size) {
        rows[r]++;
      }
    }
    double s = 0;
    for (int r = 1; r <= size; r++) {
      double d = rows[r] - rows[r - 1];
      s += d * d;
    }
    return s;
  }
}
