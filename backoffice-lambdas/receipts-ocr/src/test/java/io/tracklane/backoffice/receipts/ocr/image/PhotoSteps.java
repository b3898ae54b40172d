package io.tracklane.backoffice.receipts.ocr.image;

import io.tracklane.backoffice.receipts.ocr.testing.TestImages;
import java.awt.image.BufferedImage;
import java.util.List;

/** A rendered receipt and simple photo-like damage for the preparation steps' tests. */
final class PhotoSteps {
  static final List<String> LINES =
      List.of(
          "KEDAI RUNCIT MAJU SDN BHD",
          "NO 12 JALAN BESAR, 43000 KAJANG",
          "TAX INVOICE",
          "Date: 14/03/2018  10:22",
          "MILO 1KG       2 x 17.90  35.80",
          "GARDENIA BREAD 1 x  3.70   3.70",
          "EGGS GRADE A   1 x 12.50  12.50",
          "Sub Total                 52.00",
          "GST 6%                     3.12",
          "Rounding                  -0.02",
          "Grand Total (RM)          55.10",
          "Cash                     100.00",
          "Change                    44.90",
          "THANK YOU, PLEASE COME AGAIN");

  private PhotoSteps() {}

  static BufferedImage receipt() {
    return GrayImages.gray(TestImages.receipt(LINES));
  }

  /** The page pasted at (x, y) onto a flat surface of the given gray level. */
  static BufferedImage onSurface(
      BufferedImage page, int width, int height, int x, int y, int level) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] o = GrayImages.pixels(out);
    java.util.Arrays.fill(o, (byte) level);
    byte[] p = GrayImages.pixels(page);
    for (int r = 0; r < page.getHeight(); r++) {
      System.arraycopy(p, r * page.getWidth(), o, (y + r) * width + x, page.getWidth());
    }
    return out;
  }

  /** Light falling from {@code 1.0} at the left to {@code darkest} at the right. */
  static BufferedImage litFromLeft(BufferedImage gray, double darkest) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] in = GrayImages.pixels(gray);
    byte[] o = GrayImages.pixels(out);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double light = 1 - (1 - darkest) * x / (w - 1.0);
        o[y * w + x] = (byte) Math.round((in[y * w + x] & 0xFF) * light);
      }
    }
    return out;
  }

  /** Rows {@code from} to {@code to} in shadow: light falls to {@code depth} there. */
  static BufferedImage shadowBand(BufferedImage gray, int from, int to, double depth) {
    int w = gray.getWidth();
    BufferedImage out = new BufferedImage(w, gray.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] in = GrayImages.pixels(gray);
    byte[] o = GrayImages.pixels(out);
    for (int i = 0; i < in.length; i++) {
      int y = i / w;
      double light = y >= from && y < to ? depth : 1;
      o[i] = (byte) Math.round((in[i] & 0xFF) * light);
    }
    return out;
  }

  /** The share of paper pixels (bright on the clean page) in rows from..to brighter than 200. */
  static double paperWhitened(BufferedImage clean, BufferedImage flat, int from, int to) {
    int w = clean.getWidth();
    byte[] c = GrayImages.pixels(clean);
    byte[] f = GrayImages.pixels(flat);
    int paper = 0;
    int white = 0;
    for (int i = from * w; i < to * w; i++) {
      if ((c[i] & 0xFF) > 230) {
        paper++;
        white += (f[i] & 0xFF) > 200 ? 1 : 0;
      }
    }
    return paper == 0 ? 0 : (double) white / paper;
  }

  static int at(BufferedImage gray, int x, int y) {
    return GrayImages.pixels(gray)[y * gray.getWidth() + x] & 0xFF;
  }
}
