package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * Darkens faint print: each pixel's brightness relative to the paper raised to the power {@value
 * #GAMMA}, so paper stays white, black ink stays black and a pale grey stroke becomes dark. A faded
 * thermal receipt's grey text falls on the paper's side of Tesseract's global threshold when a bold
 * header sets it (SROIE 275: nothing read; darkened, "Total Sales (Inclusive GST) RM 11.50", cash
 * and change). Only for a second attempt: on well-printed receipts it thickens strokes.
 */
public final class FaintPrintDarkener {
  static final double GAMMA = 3;

  public BufferedImage darken(BufferedImage gray) {
    byte[] px = GrayImages.pixels(gray);
    int[] histogram = new int[256];
    for (byte b : px) {
      histogram[b & 0xFF]++;
    }
    // the paper: the 90th percentile of brightness
    long seen = 0;
    int paper = 255;
    for (int v = 0; v < 256; v++) {
      seen += histogram[v];
      if (seen >= 0.9 * px.length) {
        paper = Math.max(1, v);
        break;
      }
    }
    int[] lut = new int[256];
    for (int v = 0; v < 256; v++) {
      lut[v] = (int) Math.round(255 * Math.pow(Math.min(1.0, v / (double) paper), GAMMA));
    }
    BufferedImage out =
        new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] o = GrayImages.pixels(out);
    for (int i = 0; i < px.length; i++) {
      o[i] = (byte) lut[px[i] & 0xFF];
    }
    return out;
  }
}
