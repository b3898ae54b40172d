package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * Maps a receipt's four corners onto an upright rectangle (the page as if scanned flat): removes
 * the camera's slant and the page's turn at once, and drops the surface around it.
 */
public final class PerspectiveCorrector {

  /** {@code corners}: top-left, top-right, bottom-right, bottom-left. */
  public BufferedImage rectify(BufferedImage gray, double[] corners) {
    int w = (int) Math.round((dist(corners, 0, 1) + dist(corners, 3, 2)) / 2);
    int h = (int) Math.round((dist(corners, 0, 3) + dist(corners, 1, 2)) / 2);
    double[] rect = {0, 0, w, 0, w, h, 0, h};
    double[] m = Homography.between(rect, corners);
    int sw = gray.getWidth();
    int sh = gray.getHeight();
    byte[] in = GrayImages.pixels(gray);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] res = GrayImages.pixels(out);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double den = m[6] * x + m[7] * y + 1;
        double sx = (m[0] * x + m[1] * y + m[2]) / den;
        double sy = (m[3] * x + m[4] * y + m[5]) / den;
        int v = 255;
        if (sx >= 0 && sy >= 0 && sx < sw - 1 && sy < sh - 1) {
          int x0 = (int) sx;
          int y0 = (int) sy;
          double fx = sx - x0;
          double fy = sy - y0;
          int i = y0 * sw + x0;
          double t = (in[i] & 0xFF) + ((in[i + 1] & 0xFF) - (in[i] & 0xFF)) * fx;
          double b = (in[i + sw] & 0xFF) + ((in[i + sw + 1] & 0xFF) - (in[i + sw] & 0xFF)) * fx;
          v = (int) Math.round(t + (b - t) * fy);
        }
        res[y * w + x] = (byte) v;
      }
    }
    return out;
  }

  private static double dist(double[] c, int a, int b) {
    return Math.hypot(c[2 * a] - c[2 * b], c[2 * a + 1] - c[2 * b + 1]);
  }
}
