package io.tracklane.backoffice.receipts.ocr.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;

/**
 * Decompression bombs in PDF form, small on disk: streams of zeros or spaces deflated ~1000:1,
 * written raw so PDFBox never inflates them while building the file.
 */
public final class HostilePdfs {
  private HostilePdfs() {}

  /**
   * An A4 page drawing one 1-bit greyscale image XObject of {@code width} × {@code height} pixels
   * whose Flate stream holds every row (all zero): {@code width/8 × height} bytes once decoded.
   */
  public static byte[] imageBomb(int width, int height) {
    return page(
        (document, page) -> {
          COSStream image = document.getDocument().createCOSStream();
          image.setItem(COSName.TYPE, COSName.XOBJECT);
          image.setItem(COSName.SUBTYPE, COSName.IMAGE);
          image.setInt(COSName.WIDTH, width);
          image.setInt(COSName.HEIGHT, height);
          image.setInt(COSName.BITS_PER_COMPONENT, 1);
          image.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
          image.setItem(COSName.FILTER, COSName.FLATE_DECODE);
          writeDeflated(image, (long) (width + 7) / 8 * height, (byte) 0);
          PDResources resources = new PDResources();
          resources
              .getCOSObject()
              .setItem(COSName.XOBJECT, new org.apache.pdfbox.cos.COSDictionary());
          resources
              .getCOSObject()
              .getCOSDictionary(COSName.XOBJECT)
              .setItem(COSName.getPDFName("Im1"), image);
          page.setResources(resources);
          setContent(
              document, page, "q 595 0 0 842 0 0 cm /Im1 Do Q".getBytes(StandardCharsets.US_ASCII));
        });
  }

  /**
   * An A4 page whose content stream is {@code decodedBytes} of spaces (valid, empty content) once
   * inflated.
   */
  public static byte[] contentBomb(long decodedBytes) {
    return page(
        (document, page) -> {
          COSStream content = document.getDocument().createCOSStream();
          content.setItem(COSName.FILTER, COSName.FLATE_DECODE);
          writeDeflated(content, decodedBytes, (byte) ' ');
          page.setContents(new PDStream(content));
        });
  }

  /**
   * An A4 page with an inline image (BI … ID … EI) declaring {@code width} × {@code height} 1-bit
   * pixels.
   */
  public static byte[] inlineImageBomb(int width, int height) {
    return page(
        (document, page) -> {
          ByteArrayOutputStream content = new ByteArrayOutputStream();
          content.writeBytes(
              ("q 595 0 0 842 0 0 cm BI /W "
                      + width
                      + " /H "
                      + height
                      + " /BPC 1 /CS /G /F /Fl ID\n")
                  .getBytes(StandardCharsets.US_ASCII));
          content.writeBytes(deflate(new byte[64 * 1024]));
          content.writeBytes("\nEI Q".getBytes(StandardCharsets.US_ASCII));
          setContent(document, page, content.toByteArray());
        });
  }

  private interface PageBuilder {
    void build(PDDocument document, PDPage page) throws IOException;
  }

  private static byte[] page(PageBuilder builder) {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      builder.build(document, page);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void setContent(PDDocument document, PDPage page, byte[] content)
      throws IOException {
    COSStream stream = document.getDocument().createCOSStream();
    try (OutputStream out = stream.createRawOutputStream()) {
      out.write(content);
    }
    page.setContents(new PDStream(stream));
  }

  /**
   * {@code count} copies of {@code value}, deflated straight into the stream's raw (encoded) data.
   */
  private static void writeDeflated(COSStream stream, long count, byte value) throws IOException {
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, value);
    try (OutputStream raw = stream.createRawOutputStream();
        DeflaterOutputStream out =
            new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      for (long left = count; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
  }

  private static byte[] deflate(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d =
        new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
      d.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
