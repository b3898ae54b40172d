package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Small operations on 8-bit grayscale images shared by the photo preparation steps. */
public final class GrayImages {
  private GrayImages() {}

  public static BufferedImage gray(BufferedImage source) {
    return ImageNormaliser.toGray(source);
  }

  public static byte[] pixels(BufferedImage gray) {
    return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
  }

  /** Shrinks (never enlarges) so the longer side is at most {@code maxSide}. */
  public static BufferedImage shrink(BufferedImage gray, int maxSide) {
    return shrink(gray, maxSide, BufferedImage.TYPE_BYTE_GRAY);
  }

  /** The same into an image of {@code type} (a colour photo stays in colour with TYPE_INT_RGB). */
  public static BufferedImage shrink(BufferedImage image, int maxSide, int type) {
    int longer = Math.max(image.getWidth(), image.getHeight());
    if (longer <= maxSide && image.getType() == type) {
      return image;
    }
    double s = Math.min(1.0, (double) maxSide / longer);
    int w = Math.max(1, (int) Math.round(image.getWidth() * s));
    int h = Math.max(1, (int) Math.round(image.getHeight() * s));
    BufferedImage out = new BufferedImage(w, h, type);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** Turns clockwise by {@code quarters} quarter turns. */
  public static BufferedImage quarterTurns(BufferedImage gray, int quarters) {
    int q = ((quarters % 4) + 4) % 4;
    if (q == 0) {
      return gray;
    }
    int w = gray.getWidth();
    int h = gray.getHeight();
    int outW = q == 2 ? w : h;
    int outH = q == 2 ? h : w;
    BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_BYTE_GRAY);
    byte[] in = pixels(gray);
    byte[] res = pixels(out);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        res[turnedIndex(q, x, y, w, h, outW)] = in[y * w + x];
      }
    }
    return out;
  }

  /** Rotates by {@code degrees} (clockwise positive) about the centre, same size, white fill. */
  public static BufferedImage rotate(BufferedImage gray, double degrees) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(
        gray, AffineTransform.getRotateInstance(Math.toRadians(degrees), w / 2.0, h / 2.0), null);
    g.dispose();
    return out;
  }

  /** Otsu's threshold of a histogram of 256 bins. */
  public static int otsu(int[] histogram) {
    long total = 0;
    long sum = 0;
    for (int i = 0; i < 256; i++) {
      total += histogram[i];
      sum += (long) i * histogram[i];
    }
    long weightB = 0;
    long sumB = 0;
    double best = -1;
    int threshold = 128;
    for (int t = 0; t < 256; t++) {
      weightB += histogram[t];
      if (weightB == 0) {
        continue;
      }
      long weightF = total - weightB;
      if (weightF == 0) {
        break;
      }
      sumB += (long) t * histogram[t];
      double mB = (double) sumB / weightB;
      double mF = (double) (sum - sumB) / weightF;
      double between = (double) weightB * weightF * (mB - mF) * (mB - mF);
      if (between > best) {
        best = between;
        threshold = t;
      }
    }
    return threshold;
  }

  /**
   * Where pixel (x, y) of a w × h image lands, as an index into the row-major pixels of the image
   * turned {@code q} quarter turns clockwise (1, 2 or 3), {@code outW} wide.
   */
  public static int turnedIndex(int q, int x, int y, int w, int h, int outW) {
    return switch (q) {
      case 1 -> x * outW + (h - 1 - y);
      case 2 -> (h - 1 - y) * outW + (w - 1 - x);
      default -> (w - 1 - x) * outW + y;
    };
  }
}
