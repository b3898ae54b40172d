package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * Cuts a page down to where its print is: a small till receipt scanned or photographed on a large
 * sheet leaves its text a few pixels high once the page is scaled for OCR, and the orientation
 * check's strips of the page then hold no text at all (SROIE 045: a receipt in the middle of an A4
 * scan, turned sideways). Print is found on the page lit evenly and with dark borders erased, as
 * rows and columns holding more than a sliver of ink; a generous margin is kept so faint lines at
 * the print's edge are not lost. A page the print already fills is returned as it is.
 */
public final class ContentCropper {
  private static final int WORK_SIDE = 800;

  /** Darker than this (of 255) on the evenly lit page is ink. */
  static final int INK = 128;

  /** A row or column is print when this share of it is ink. */
  static final double MIN_INK_SHARE = 0.01;

  /** Only print covering less than this share of the page is cut out. */
  static final double MAX_AREA_SHARE = 0.15;

  /** The band along each side, as a share of the side, that is not looked at for print. */
  static final double EDGE_BAND = 0.05;

  /** Print narrower or shorter than this share of the page is no receipt to cut out. */
  static final double MIN_SIDE_SHARE = 0.2;

  /** Margin kept around the print, as a share of the page's sides. */
  static final double MARGIN = 0.04;

  private final LightingFlattener lighting = new LightingFlattener();
  private final DarkBorderEraser borders = new DarkBorderEraser();

  public BufferedImage crop(BufferedImage gray) {
    BufferedImage small = borders.erase(lighting.flatten(GrayImages.shrink(gray, WORK_SIDE)));
    int w = small.getWidth();
    int h = small.getHeight();
    byte[] px = GrayImages.pixels(small);
    int[] rows = new int[h];
    int[] cols = new int[w];
    // the outer band is left out: a photo's cut-out keeps a strip of the surface all round
    int bx = (int) (EDGE_BAND * w);
    int by = (int) (EDGE_BAND * h);
    for (int y = by; y < h - by; y++) {
      for (int x = bx; x < w - bx; x++) {
        if ((px[y * w + x] & 0xFF) < INK) {
          rows[y]++;
          cols[x]++;
        }
      }
    }
    int top = first(rows, Math.max(2, MIN_INK_SHARE * w));
    int left = first(cols, Math.max(2, MIN_INK_SHARE * h));
    if (top < 0 || left < 0) {
      return gray;
    }
    int bottom = last(rows, Math.max(2, MIN_INK_SHARE * w));
    int right = last(cols, Math.max(2, MIN_INK_SHARE * h));
    // print running into the outer band runs to the page's edge on that side
    top = top <= by ? 0 : top;
    left = left <= bx ? 0 : left;
    bottom = bottom >= h - by - 1 ? h - 1 : bottom;
    right = right >= w - bx - 1 ? w - 1 : right;
    double area = (double) (bottom - top + 1) * (right - left + 1) / ((double) w * h);
    if (area >= MAX_AREA_SHARE
        || right - left + 1 < MIN_SIDE_SHARE * w
        || bottom - top + 1 < MIN_SIDE_SHARE * h) {
      // print filling the page, or a sliver: a rule or an edge of faint print, not a receipt
      return gray;
    }
    double scale = (double) gray.getWidth() / w;
    int mx = (int) Math.round(MARGIN * gray.getWidth());
    int my = (int) Math.round(MARGIN * gray.getHeight());
    int x0 = Math.max(0, (int) Math.floor(left * scale) - mx);
    int y0 = Math.max(0, (int) Math.floor(top * scale) - my);
    int x1 = Math.min(gray.getWidth(), (int) Math.ceil((right + 1) * scale) + mx);
    int y1 = Math.min(gray.getHeight(), (int) Math.ceil((bottom + 1) * scale) + my);
    BufferedImage out = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_BYTE_GRAY);
    byte[] src = GrayImages.pixels(gray);
    byte[] dst = GrayImages.pixels(out);
    for (int y = y0; y < y1; y++) {
      System.arraycopy(src, y * gray.getWidth() + x0, dst, (y - y0) * (x1 - x0), x1 - x0);
    }
    return out;
  }

  private static int first(int[] counts, double min) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] >= min) {
        return i;
      }
    }
    return -1;
  }

  private static int last(int[] counts, double min) {
    for (int i = counts.length - 1; i >= 0; i--) {
      if (counts[i] >= min) {
        return i;
      }
    }
    return -1;
  }
}
