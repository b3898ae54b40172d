package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * Takes uneven light off a page: the paper's brightness is estimated as the brightest value in a
 * neighbourhood larger than a character (on a coarse grid, smoothed), and each pixel is divided by
 * it, so paper becomes white everywhere and ink keeps its contrast under a shadow. A page lit
 * evenly (a scan) is returned as it is: Tesseract's own binarisation does best on those.
 */
public final class LightingFlattener {
  /** Paper brightness varying by less than this (of 255) across the page counts as even. */
  static final int EVEN_SPREAD = 40;

  public BufferedImage flatten(BufferedImage gray) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    int cell = Math.max(8, Math.min(w, h) / 24);
    int gw = (w + cell - 1) / cell;
    int gh = (h + cell - 1) / cell;
    byte[] px = GrayImages.pixels(gray);
    int[] grid = new int[gw * gh];
    int[] values = new int[cell * cell];
    for (int gy = 0; gy < gh; gy++) {
      for (int gx = 0; gx < gw; gx++) {
        int n = 0;
        for (int y = gy * cell; y < Math.min(h, (gy + 1) * cell); y++) {
          for (int x = gx * cell; x < Math.min(w, (gx + 1) * cell); x++) {
            values[n++] = px[y * w + x] & 0xFF;
          }
        }
        // the 90th percentile, not the maximum: one bright speck must not set the paper level
        java.util.Arrays.sort(values, 0, n);
        grid[gy * gw + gx] = values[Math.min(n - 1, (int) (n * 0.9))];
      }
    }
    // grow the paper level over cells full of ink (a bold line), then smooth
    int[] grown = new int[grid.length];
    for (int gy = 0; gy < gh; gy++) {
      for (int gx = 0; gx < gw; gx++) {
        int m = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = gx + dx;
            int y = gy + dy;
            if (x >= 0 && y >= 0 && x < gw && y < gh) {
              m = Math.max(m, grid[y * gw + x]);
            }
          }
        }
        grown[gy * gw + gx] = m;
      }
    }
    double[] smooth = new double[grid.length];
    int lo = 255;
    int hi = 0;
    for (int gy = 0; gy < gh; gy++) {
      for (int gx = 0; gx < gw; gx++) {
        double s = 0;
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = gx + dx;
            int y = gy + dy;
            if (x >= 0 && y >= 0 && x < gw && y < gh) {
              s += grown[y * gw + x];
              n++;
            }
          }
        }
        smooth[gy * gw + gx] = s / n;
        lo = Math.min(lo, (int) (s / n));
        hi = Math.max(hi, (int) (s / n));
      }
    }
    if (hi - lo < EVEN_SPREAD) {
      return gray;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] res = GrayImages.pixels(out);
    for (int y = 0; y < h; y++) {
      double fy = Math.max(0, Math.min(gh - 1.0, (y + 0.5) / cell - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(gh - 1, y0 + 1);
      double ty = fy - y0;
      for (int x = 0; x < w; x++) {
        double fx = Math.max(0, Math.min(gw - 1.0, (x + 0.5) / cell - 0.5));
        int x0 = (int) fx;
        int x1 = Math.min(gw - 1, x0 + 1);
        double tx = fx - x0;
        double top = smooth[y0 * gw + x0] * (1 - tx) + smooth[y0 * gw + x1] * tx;
        double bottom = smooth[y1 * gw + x0] * (1 - tx) + smooth[y1 * gw + x1] * tx;
        double paper = Math.max(30, top * (1 - ty) + bottom * ty);
        res[y * w + x] = (byte) Math.min(255, Math.round(255.0 * (px[y * w + x] & 0xFF) / paper));
      }
    }
    return out;
  }
}
