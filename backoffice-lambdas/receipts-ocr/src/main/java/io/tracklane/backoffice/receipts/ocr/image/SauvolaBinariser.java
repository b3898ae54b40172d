package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * Sauvola's local threshold: a pixel is ink when darker than its neighbourhood's mean lowered in
 * proportion to how little that neighbourhood varies ({@code t = m (1 + k (s / 128 − 1))}). Unlike
 * one threshold for the page (Tesseract's Otsu), faint print beside a shadow and grey paper under a
 * gradient each get their own threshold. Means and deviations come from integral images, so the
 * cost does not grow with the window. Returns a black-on-white TYPE_BYTE_GRAY image.
 */
public final class SauvolaBinariser {
  private final double k;

  /** {@code k} 0.2–0.5: higher keeps less faint ink; 0.2 keeps thin receipt print whole. */
  public SauvolaBinariser(double k) {
    this.k = k;
  }

  public SauvolaBinariser() {
    this(0.2);
  }

  public BufferedImage binarise(BufferedImage gray) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    byte[] px = GrayImages.pixels(gray);
    // about two character heights on a page normalised to 1000–2000 px wide
    int half = Math.max(7, Math.min(w, h) / 50);
    long[] sum = new long[(w + 1) * (h + 1)];
    long[] squares = new long[(w + 1) * (h + 1)];
    for (int y = 0; y < h; y++) {
      long rowSum = 0;
      long rowSquares = 0;
      for (int x = 0; x < w; x++) {
        int v = px[y * w + x] & 0xFF;
        rowSum += v;
        rowSquares += (long) v * v;
        int i = (y + 1) * (w + 1) + x + 1;
        sum[i] = sum[i - (w + 1)] + rowSum;
        squares[i] = squares[i - (w + 1)] + rowSquares;
      }
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] o = GrayImages.pixels(out);
    for (int y = 0; y < h; y++) {
      int y0 = Math.max(0, y - half);
      int y1 = Math.min(h, y + half + 1);
      for (int x = 0; x < w; x++) {
        int x0 = Math.max(0, x - half);
        int x1 = Math.min(w, x + half + 1);
        double n = (double) (x1 - x0) * (y1 - y0);
        double s = area(sum, w, x0, y0, x1, y1);
        double q = area(squares, w, x0, y0, x1, y1);
        double mean = s / n;
        double deviation = Math.sqrt(Math.max(0, q / n - mean * mean));
        double threshold = mean * (1 + k * (deviation / 128.0 - 1));
        o[y * w + x] = (px[y * w + x] & 0xFF) <= threshold ? 0 : (byte) 255;
      }
    }
    return out;
  }

  private static double area(long[] table, int w, int x0, int y0, int x1, int y1) {
    int stride = w + 1;
    return table[y1 * stride + x1]
        - table[y0 * stride + x1]
        - table[y1 * stride + x0]
        + table[y0 * stride + x0];
  }
}
