package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns untrusted bytes into a checked, upright {@link ReceiptImage}, or refuses them with a stated
 * reason: type by magic bytes, size and pixel dimensions checked from the header before any pixel
 * is decoded, decode warnings (truncated or corrupted data) treated as failures.
 */
public final class ImageIntake {
  private final ImageLimits limits;
  private final PdfFirstPage pdf;

  public ImageIntake(ImageLimits limits) {
    this.limits = limits;
    this.pdf = new PdfFirstPage(limits);
  }

  public ImageIntake() {
    this(ImageLimits.DEFAULT);
  }

  public ReceiptImage read(byte[] content) throws RejectedInputException {
    if (content == null || content.length == 0) {
      throw new RejectedInputException("empty file");
    }
    if (content.length > limits.maxBytes()) {
      throw new RejectedInputException(
          "file too large: " + content.length + " bytes, the limit is " + limits.maxBytes());
    }
    String type =
        ContentSniffer.detect(content)
            .orElseThrow(
                () ->
                    new RejectedInputException(
                        "not an image or PDF: content starts with "
                            + ContentSniffer.describeStart(content)));
    if (type.equals(ContentSniffer.PDF)) {
      return new ReceiptImage(type, content, pdf.render(content), true);
    }
    String format = type.equals(ContentSniffer.JPEG) ? "JPEG" : "PNG";
    Decoded decoded = decode(content, format);
    BufferedImage image = decoded.image;
    boolean reencoded = decoded.subsampled;
    if (type.equals(ContentSniffer.JPEG)) {
      int orientation = ExifOrientation.of(content);
      if (orientation != ExifOrientation.NORMAL) {
        image = ExifOrientation.apply(image, orientation);
        reencoded = true;
      }
    }
    return new ReceiptImage(type, content, image, reencoded);
  }

  private record Decoded(BufferedImage image, boolean subsampled) {}

  private Decoded decode(byte[] content, String format) throws RejectedInputException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      ImageReader reader = readerFor(in, format);
      try {
        reader.setInput(in, true, true);
        // Header only: no raster is allocated until read() below.
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkDimensions(width, height, format);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, width / limits.decodeWidth());
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        if (!warnings.isEmpty()) {
          throw new RejectedInputException("corrupted " + format + ": " + warnings.get(0));
        }
        return new Decoded(standardType(image), step > 1);
      } finally {
        reader.dispose();
      }
    } catch (OutOfMemoryError e) {
      // the raster was refused by the heap, not allocated: nothing is left behind to release
      throw new RejectedInputException(
          format + " needs more memory to decode than this function has", e);
    } catch (IIOException e) {
      throw new RejectedInputException("corrupted " + format + ": " + rootMessage(e), e);
    } catch (IOException | RuntimeException e) {
      throw new RejectedInputException("unreadable " + format + ": " + rootMessage(e), e);
    }
  }

  private static ImageReader readerFor(ImageInputStream in, String format)
      throws RejectedInputException {
    // Pick the reader by the sniffed format, not by whatever the stream claims to be.
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (in == null || !readers.hasNext()) {
      throw new RejectedInputException("no " + format + " decoder available");
    }
    return readers.next();
  }

  void checkDimensions(long width, long height, String what) throws RejectedInputException {
    String problem = limits.dimensionProblem(width, height, what);
    if (problem != null) {
      throw new RejectedInputException(problem);
    }
  }

  /**
   * Custom or indexed rasters (CMYK, palettes, 16-bit) are redrawn as plain RGB so later steps can
   * rely on them.
   */
  private static BufferedImage standardType(BufferedImage image) {
    int type = image.getType();
    if (type == BufferedImage.TYPE_BYTE_GRAY
        || type == BufferedImage.TYPE_3BYTE_BGR
        || type == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    var g = rgb.createGraphics();
    g.setColor(Color.WHITE); // transparent PNG areas become paper-white, not black
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.drawImage(image, 0, 0, null);
    g.dispose();
    return rgb;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
