package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Prepares a receipt for Tesseract: 8-bit grayscale, scaled so its width falls in a range where the
 * text is about 20–40 px high (Tesseract's LSTM reads small print badly and gains nothing from huge
 * scans, which only cost time). Measured on SROIE: 1000–1600 px beat 1400–2000 px (90% vs 83% of
 * totals) and ran faster. Local thresholding and erasing ruled lines were tried on VAT invoices and
 * made Tesseract (which binarises itself) read worse.
 */
public final class ImageNormaliser {
  private final int minWidth;
  private final int maxWidth;

  public ImageNormaliser(int minWidth, int maxWidth) {
    this.minWidth = minWidth;
    this.maxWidth = maxWidth;
  }

  public BufferedImage normalise(BufferedImage source) {
    BufferedImage gray = toGray(source);
    int w = gray.getWidth();
    if (w < minWidth) {
      gray = scale(gray, minWidth);
    } else if (w > maxWidth) {
      gray = scale(gray, maxWidth);
    }
    return gray;
  }

  static BufferedImage toGray(BufferedImage source) {
    if (source.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return source;
    }
    int w = source.getWidth();
    int h = source.getHeight();
    BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    byte[] out = ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      source.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int r = (p >> 16) & 0xFF;
        int g = (p >> 8) & 0xFF;
        int b = p & 0xFF;
        out[y * w + x] = (byte) ((299 * r + 587 * g + 114 * b) / 1000);
      }
    }
    return gray;
  }

  /** Bilinear steps of at most 2x, which keeps thin strokes when shrinking large scans. */
  public static BufferedImage scale(BufferedImage gray, int targetWidth) {
    BufferedImage current = gray;
    int w = current.getWidth();
    while (w != targetWidth) {
      int next = w > targetWidth ? Math.max(targetWidth, w / 2) : Math.min(targetWidth, w * 2);
      int h = Math.max(1, (int) Math.round((double) current.getHeight() * next / w));
      BufferedImage scaled = new BufferedImage(next, h, BufferedImage.TYPE_BYTE_GRAY);
      Graphics2D g = scaled.createGraphics();
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(current, 0, 0, next, h, null);
      g.dispose();
      current = scaled;
      w = next;
    }
    return current;
  }
}
