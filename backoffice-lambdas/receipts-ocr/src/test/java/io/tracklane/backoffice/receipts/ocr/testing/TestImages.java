package io.tracklane.backoffice.receipts.ocr.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;

/** Renders receipts with Java2D and builds good and hostile files for tests. */
public final class TestImages {
  /** The CJK font from apt fonts-wqy-zenhei. */
  public static final String CJK_FONT = "WenQuanYi Zen Hei";

  private TestImages() {}

  /**
   * A till receipt: one line per entry, monospaced, black on white, like a thermal print scanned.
   */
  public static BufferedImage receipt(List<String> lines) {
    return render(lines, new Font(Font.MONOSPACED, Font.BOLD, 22), 620, 34);
  }

  /** A landscape page in the CJK font, like a VAT invoice. */
  public static BufferedImage invoice(List<String> lines) {
    return render(lines, new Font(CJK_FONT, Font.PLAIN, 24), 1500, 44);
  }

  private static BufferedImage render(List<String> lines, Font font, int width, int lineHeight) {
    int height = Math.max(lineHeight * (lines.size() + 2), width < 1000 ? 0 : 900);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(font);
    int y = lineHeight;
    for (String line : lines) {
      g.drawString(line, 30, y);
      y += lineHeight;
    }
    g.dispose();
    return image;
  }

  public static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  public static byte[] jpeg(BufferedImage image) {
    return encode(image, "jpg");
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A one-page PDF holding the image at 150 dpi (as a scanner would make it). */
  public static byte[] pdf(BufferedImage image) {
    try (PDDocument document = new PDDocument()) {
      float w = image.getWidth() * 72f / 150;
      float h = image.getHeight() * 72f / 150;
      PDPage page = new PDPage(new PDRectangle(w, h));
      document.addPage(page);
      var xobject = LosslessFactory.createFromImage(document, image);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.drawImage(xobject, 0, 0, w, h);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] pdfWithoutPages() {
    try (PDDocument document = new PDDocument()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The image turned 90° anticlockwise, as a phone stores a portrait shot, plus EXIF orientation 6.
   */
  public static byte[] sidewaysJpegWithExif(BufferedImage upright) {
    int w = upright.getWidth();
    int h = upright.getHeight();
    BufferedImage stored = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        stored.setRGB(y, w - 1 - x, upright.getRGB(x, y)); // rotate 90° anticlockwise
      }
    }
    return withExifOrientation(jpeg(stored), 6);
  }

  /**
   * Inserts an APP1 Exif segment (big-endian TIFF, IFD0 with only the orientation tag) after SOI.
   */
  public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4);
    tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    tiff.putShort((short) 1);
    tiff.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0);
    tiff.putInt(0);
    byte[] exif = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + exif.length + tiff.capacity();
    ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
    out.put(jpeg, 0, 2); // SOI
    out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(exif).put(tiff.array());
    out.put(jpeg, 2, jpeg.length - 2);
    return out.array();
  }

  /**
   * A valid PNG header for a 1-bit image of the given size, with a small IDAT: a decompression bomb
   * in shape (a decoder would allocate width × height), a few hundred bytes on disk.
   */
  public static byte[] hugePngHeader(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width)
        .putInt(height)
        .put((byte) 1)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[64 * 1024]); // the first rows, all zero
    deflater.finish();
    byte[] buffer = new byte[4096];
    int n = deflater.deflate(buffer);
    byte[] idat = new byte[n];
    System.arraycopy(buffer, 0, idat, 0, n);
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    ByteBuffer length = ByteBuffer.allocate(4).putInt(data.length);
    out.writeBytes(length.array());
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
