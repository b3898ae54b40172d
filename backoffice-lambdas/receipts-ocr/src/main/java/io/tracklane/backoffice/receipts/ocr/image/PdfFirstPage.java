package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;

/**
 * Renders the first page of a PDF receipt (PDFBox) at the configured dpi, lowered so the page's
 * raster stays within the pixel limits. Nothing is decoded before {@link PdfStreamCheck} has
 * refused oversized images (from their declared size) and streams that expand past the cap; images
 * met while drawing (inline ones included) are checked again just before they decode, and drawn
 * subsampled to the size they take on the page. PDFBox's scratch memory is capped too.
 */
final class PdfFirstPage {
  private final ImageLimits limits;
  private final PdfStreamCheck streams;

  PdfFirstPage(ImageLimits limits) {
    this.limits = limits;
    this.streams = new PdfStreamCheck(limits);
  }

  BufferedImage render(byte[] content) throws RejectedInputException {
    MemoryUsageSetting memory = MemoryUsageSetting.setupMainMemoryOnly(limits.maxStreamBytes());
    try (PDDocument document = Loader.loadPDF(content, "", null, null, memory.streamCache)) {
      if (document.getNumberOfPages() == 0) {
        throw new RejectedInputException("PDF has no pages");
      }
      streams.check(document);
      PDPage page = document.getPage(0);
      PDRectangle box = page.getCropBox();
      if (box.getWidth() <= 0 || box.getHeight() <= 0) {
        throw new RejectedInputException("PDF page has an unusable size: " + box);
      }
      float dpi = dpi(box);
      if (dpi < 1) {
        throw new RejectedInputException("PDF page has an unusable size: " + box);
      }
      PDFRenderer renderer = new GuardedRenderer(document);
      renderer.setSubsamplingAllowed(true);
      return renderer.renderImageWithDPI(0, dpi, ImageType.RGB);
    } catch (ImageTooLarge e) {
      throw new RejectedInputException(e.getMessage());
    } catch (InvalidPasswordException e) {
      throw new RejectedInputException("PDF is password-protected", e);
    } catch (OutOfMemoryError e) {
      // the allocation that failed never happened and the document is closed: the heap is whole
      // again
      throw new RejectedInputException("PDF needs more memory to render than this function has", e);
    } catch (IOException | RuntimeException e) {
      throw new RejectedInputException("corrupted PDF: " + ImageIntake.rootMessage(e), e);
    }
  }

  /**
   * The configured dpi, lowered so neither side passes maxSide and the area stays under maxPixels.
   */
  float dpi(PDRectangle box) {
    double dpi = limits.pdfDpi();
    double longest = Math.max(box.getWidth(), box.getHeight()) / 72.0 * dpi;
    if (longest > limits.maxSide()) {
      dpi = dpi * limits.maxSide() / longest;
    }
    double area = box.getWidth() / 72.0 * dpi * (box.getHeight() / 72.0 * dpi);
    if (area > limits.maxPixels()) {
      dpi = dpi * Math.sqrt(limits.maxPixels() / area);
    }
    return (float) Math.floor(dpi * 1000) / 1000; // rounded down: never a pixel over
  }

  /**
   * Unchecked, so PDFBox's lenient operators (which log and skip an IOException from "Do") pass it
   * on.
   */
  private static final class ImageTooLarge extends RuntimeException {
    ImageTooLarge(String reason) {
      super(reason, null, false, false);
    }
  }

  private final class GuardedRenderer extends PDFRenderer {
    GuardedRenderer(PDDocument document) {
      super(document);
    }

    @Override
    protected PageDrawer createPageDrawer(PageDrawerParameters parameters) throws IOException {
      return new PageDrawer(parameters) {
        @Override
        public void drawImage(PDImage image) throws IOException {
          String problem =
              limits.dimensionProblem(
                  image.getWidth(),
                  image.getHeight(),
                  image.isStencil() ? "PDF stencil image" : "PDF image");
          if (problem != null) {
            throw new ImageTooLarge(problem);
          }
          super.drawImage(image);
        }
      };
    }
  }
}
