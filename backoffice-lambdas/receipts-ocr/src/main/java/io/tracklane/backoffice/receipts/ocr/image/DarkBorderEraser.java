package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * Whitens large dark areas that touch the image's edge: the scanner lid or the table around a torn
 * or narrow receipt. Tesseract binarises the page as a whole, and a thick black band along the top
 * and bottom of an otherwise clean scan made it read nothing at all (SROIE 415: no text; cropped,
 * every line). Characters touching the edge are small and stay; only dark regions larger than
 * {@value #MIN_AREA_SHARE} of the page go. A page with none is returned as it is.
 */
public final class DarkBorderEraser {
  /** Darker than this (of 255) is background or ink, not paper. */
  static final int DARK = 80;

  /** A dark region touching the edge is erased only when it covers this share of the page. */
  static final double MIN_AREA_SHARE = 0.005;

  public BufferedImage erase(BufferedImage gray) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    byte[] px = GrayImages.pixels(gray);
    int n = w * h;
    int minArea = (int) Math.max(1, n * MIN_AREA_SHARE);
    int[] region = new int[n]; // 0: not visited; otherwise the region's number
    int[] queue = new int[n];
    byte[] out = null;
    int regions = 0;
    for (int edge = 0; edge < 2 * (w + h); edge++) {
      int start = edgePixel(edge, w, h);
      if (region[start] != 0 || (px[start] & 0xFF) >= DARK) {
        continue;
      }
      regions++;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      region[start] = regions;
      while (head < tail) {
        int p = queue[head++];
        int x = p % w;
        int y = p / w;
        if (x > 0) tail = visit(p - 1, px, region, regions, queue, tail);
        if (x < w - 1) tail = visit(p + 1, px, region, regions, queue, tail);
        if (y > 0) tail = visit(p - w, px, region, regions, queue, tail);
        if (y < h - 1) tail = visit(p + w, px, region, regions, queue, tail);
      }
      if (tail >= minArea) {
        if (out == null) {
          out = px.clone();
        }
        for (int i = 0; i < tail; i++) {
          out[queue[i]] = (byte) 255;
        }
      }
    }
    if (out == null) {
      return gray;
    }
    BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    System.arraycopy(out, 0, GrayImages.pixels(result), 0, n);
    return result;
  }

  private static int visit(int p, byte[] px, int[] region, int id, int[] queue, int tail) {
    if (region[p] == 0 && (px[p] & 0xFF) < DARK) {
      region[p] = id;
      queue[tail++] = p;
    }
    return tail;
  }

  /** The i-th pixel around the edge: top row, bottom row, left column, right column. */
  private static int edgePixel(int i, int w, int h) {
    if (i < w) return i;
    if (i < 2 * w) return (h - 1) * w + (i - w);
    if (i < 2 * w + h) return (i - 2 * w) * w;
    return (i - 2 * w - h) * w + (w - 1);
  }
}
