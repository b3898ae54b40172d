package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;

/**
 * Reads the EXIF orientation tag (0x0112) of a JPEG's APP1 segment and turns the decoded pixels
 * upright. Phones store portrait photos sideways and set this tag rather than rotating pixels. A
 * small parser of our own: only IFD0 of the first Exif segment is read; anything malformed simply
 * means "no rotation".
 */
public final class ExifOrientation {
  public static final int NORMAL = 1;
  private static final int TAG_ORIENTATION = 0x0112;

  private ExifOrientation() {}

  /** The orientation 1..8 (1 = upright) of a JPEG; 1 when absent or unreadable. */
  public static int of(byte[] jpeg) {
    try {
      int pos = 2; // after SOI
      while (pos + 4 <= jpeg.length) {
        if ((jpeg[pos] & 0xFF) != 0xFF) {
          return NORMAL;
        }
        int marker = jpeg[pos + 1] & 0xFF;
        if (marker == 0xFF) { // fill byte
          pos++;
          continue;
        }
        if (marker == 0xDA || marker == 0xD9) { // start of scan / end: no metadata after this
          return NORMAL;
        }
        int length = u16(jpeg, pos + 2, false);
        if (length < 2) {
          return NORMAL;
        }
        int body = pos + 4;
        if (marker == 0xE1 && length >= 8 && body + 6 <= jpeg.length && isExifHeader(jpeg, body)) {
          return fromTiff(jpeg, body + 6, Math.min(jpeg.length, pos + 2 + length));
        }
        pos += 2 + length;
      }
    } catch (RuntimeException e) {
      // malformed offsets: treat as upright
    }
    return NORMAL;
  }

  /** Applies an orientation 1..8 so the result is upright. */
  public static BufferedImage apply(BufferedImage image, int orientation) {
    if (orientation <= NORMAL || orientation > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    AffineTransform t = new AffineTransform();
    switch (orientation) {
      case 2 -> {
        t.translate(w, 0);
        t.scale(-1, 1);
      }
      case 3 -> {
        t.translate(w, h);
        t.rotate(Math.PI);
      }
      case 4 -> {
        t.translate(0, h);
        t.scale(1, -1);
      }
      case 5 -> {
        t.rotate(-Math.PI / 2);
        t.scale(-1, 1);
      }
      case 6 -> {
        t.translate(h, 0);
        t.rotate(Math.PI / 2);
      }
      case 7 -> {
        t.scale(-1, 1);
        t.translate(-h, 0);
        t.translate(0, w);
        t.rotate(3 * Math.PI / 2);
      }
      case 8 -> {
        t.translate(0, w);
        t.rotate(3 * Math.PI / 2);
      }
      default -> {
        return image;
      }
    }
    boolean swap = orientation >= 5;
    BufferedImage out =
        new BufferedImage(
            swap ? h : w,
            swap ? w : h,
            image.getType() == BufferedImage.TYPE_CUSTOM
                ? BufferedImage.TYPE_INT_RGB
                : image.getType());
    new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(image, out);
    return out;
  }

  private static boolean isExifHeader(byte[] b, int at) {
    return b[at] == 'E'
        && b[at + 1] == 'x'
        && b[at + 2] == 'i'
        && b[at + 3] == 'f'
        && b[at + 4] == 0
        && b[at + 5] == 0;
  }

  private static int fromTiff(byte[] b, int tiff, int end) {
    boolean little;
    if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
      little = true;
    } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
      little = false;
    } else {
      return NORMAL;
    }
    if (u16(b, tiff + 2, little) != 42) {
      return NORMAL;
    }
    long ifd = tiff + u32(b, tiff + 4, little);
    if (ifd + 2 > end) {
      return NORMAL;
    }
    int entries = u16(b, (int) ifd, little);
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + i * 12;
      if (entry + 12 > end) {
        return NORMAL;
      }
      if (u16(b, entry, little) == TAG_ORIENTATION) {
        int type = u16(b, entry + 2, little);
        int value =
            type == 3
                ? u16(b, entry + 8, little)
                : (int) u32(b, entry + 8, little); // SHORT or LONG
        return value >= 1 && value <= 8 ? value : NORMAL;
      }
    }
    return NORMAL;
  }

  private static int u16(byte[] b, int at, boolean little) {
    int a = b[at] & 0xFF;
    int c = b[at + 1] & 0xFF;
    return little ? (c << 8) | a : (a << 8) | c;
  }

  private static long u32(byte[] b, int at, boolean little) {
    long hi = u16(b, little ? at + 2 : at, little);
    long lo = u16(b, little ? at : at + 2, little);
    return (hi << 16) | lo;
  }
}
