package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Takes uneven light off a page: the paper's brightness is estimated on a grid of cells (each
 * cell's bright end, grown over its neighbours so a cell full of ink takes the paper around it,
 * smoothed), and each pixel is divided by it, so paper becomes white everywhere and ink keeps its
 * contrast under a shadow. A page lit evenly (a scan) is returned as it is: Tesseract's own
 * binarisation does best on those.
 *
 * <p>A scan's tone is judged and flattened on a coarse grid (cells a 24th of the short side). A
 * photographed page may have a shadow cast across it, which that grid misses: growing the level
 * fills a band a few cells wide with the paper beside it (SROIE 355's photo kept a grey band over
 * its totals). A photo is judged and flattened on a fine grid (a 48th) whose grown level is shrunk
 * back (a closing), so a band keeps its own level while a bold line still takes the paper's. The
 * fine grid on scans cost accuracy, as it did on VAT invoices: their cells are dense with print.
 */
public final class LightingFlattener {
  /** Paper brightness varying by less than this (of 255) across the page counts as even. */
  static final int EVEN_SPREAD = 40;

  /** Cells on a page's short side for a scan's tone. */
  static final int TONE_CELLS = 24;

  /** Cells on a page's short side for a photo's light and shadows. */
  static final int SHADOW_CELLS = 48;

  public BufferedImage flatten(BufferedImage gray) {
    return flatten(gray, false);
  }

  /**
   * {@code castShadows}: the page was photographed (found against a background), so a shadow may
   * lie across it: flattened on the fine grid. A scan's uneven tone is flattened on the coarse grid
   * it is judged on.
   */
  public BufferedImage flatten(BufferedImage gray, boolean castShadows) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    byte[] px = GrayImages.pixels(gray);
    PaperLevel paper =
        castShadows
            ? PaperLevel.estimate(px, w, h, SHADOW_CELLS, true)
            : PaperLevel.estimate(px, w, h, TONE_CELLS, false);
    if (paper.spread() < EVEN_SPREAD) {
      return gray;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] res = GrayImages.pixels(out);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double level = Math.max(30, paper.at(x, y));
        res[y * w + x] = (byte) Math.min(255, Math.round(255.0 * (px[y * w + x] & 0xFF) / level));
      }
    }
    return out;
  }

  /** The paper's brightness on a grid of square cells, read between cell centres bilinearly. */
  record PaperLevel(double[] grid, int gw, int gh, int cell) {

    static PaperLevel estimate(byte[] px, int w, int h, int cellsOnShortSide, boolean closed) {
      int cell = Math.max(8, Math.min(w, h) / cellsOnShortSide);
      int gw = (w + cell - 1) / cell;
      int gh = (h + cell - 1) / cell;
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
          Arrays.sort(values, 0, n);
          grid[gy * gw + gx] = values[Math.min(n - 1, (int) (n * 0.9))];
        }
      }
      // grown over cells full of ink (a bold line); closed: then shrunk back, so a shadow wider
      // than a bold line keeps its own level instead of taking the bright paper's beside it
      int[] grown = neighbourhood(grid, gw, gh, true);
      int[] level = closed ? neighbourhood(grown, gw, gh, false) : grown;
      double[] smooth = new double[grid.length];
      for (int gy = 0; gy < gh; gy++) {
        for (int gx = 0; gx < gw; gx++) {
          double s = 0;
          int n = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int x = gx + dx;
              int y = gy + dy;
              if (x >= 0 && y >= 0 && x < gw && y < gh) {
                s += level[y * gw + x];
                n++;
              }
            }
          }
          smooth[gy * gw + gx] = s / n;
        }
      }
      return new PaperLevel(smooth, gw, gh, cell);
    }

    /** Each cell's 3×3 neighbourhood maximum ({@code max}) or minimum. */
    private static int[] neighbourhood(int[] grid, int gw, int gh, boolean max) {
      int[] out = new int[grid.length];
      for (int gy = 0; gy < gh; gy++) {
        for (int gx = 0; gx < gw; gx++) {
          int m = max ? 0 : 255;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              int x = gx + dx;
              int y = gy + dy;
              if (x >= 0 && y >= 0 && x < gw && y < gh) {
                m = max ? Math.max(m, grid[y * gw + x]) : Math.min(m, grid[y * gw + x]);
              }
            }
          }
          out[gy * gw + gx] = m;
        }
      }
      return out;
    }

    /** Brightest minus darkest paper level, whole levels. */
    int spread() {
      int lo = 255;
      int hi = 0;
      for (double v : grid) {
        lo = Math.min(lo, (int) v);
        hi = Math.max(hi, (int) v);
      }
      return hi - lo;
    }

    double at(int x, int y) {
      double fy = Math.max(0, Math.min(gh - 1.0, (y + 0.5) / cell - 0.5));
      int y0 = (int) fy;
      int y1 = Math.min(gh - 1, y0 + 1);
      double ty = fy - y0;
      double fx = Math.max(0, Math.min(gw - 1.0, (x + 0.5) / cell - 0.5));
      int x0 = (int) fx;
      int x1 = Math.min(gw - 1, x0 + 1);
      double tx = fx - x0;
      double top = grid[y0 * gw + x0] * (1 - tx) + grid[y0 * gw + x1] * tx;
      double bottom = grid[y1 * gw + x0] * (1 - tx) + grid[y1 * gw + x1] * tx;
      return top * (1 - ty) + bottom * ty;
    }
  }
}
