package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Renders the first page of a PDF receipt (PDFBox) at the configured dpi, lowered when the page is
 * so large that the render would exceed the pixel limits.
 */
final class PdfFirstPage {
  private final ImageLimits limits;

  PdfFirstPage(ImageLimits limits) {
    this.limits = limits;
  }

  BufferedImage render(byte[] content) throws RejectedInputException {
    try (PDDocument document = Loader.loadPDF(content)) {
      if (document.getNumberOfPages() == 0) {
        throw new RejectedInputException("PDF has no pages");
      }
      PDPage page = document.getPage(0);
      PDRectangle box = page.getCropBox();
      float dpi = limits.pdfDpi();
      double points = Math.max(box.getWidth(), box.getHeight());
      double pixelsPerSide = points / 72.0 * dpi;
      if (pixelsPerSide > limits.maxSide()) {
        dpi = (float) (dpi * limits.maxSide() / pixelsPerSide);
      }
      double area = box.getWidth() / 72.0 * dpi * (box.getHeight() / 72.0 * dpi);
      if (area > limits.maxPixels()) {
        dpi = (float) (dpi * Math.sqrt(limits.maxPixels() / area));
      }
      if (dpi < 1 || box.getWidth() <= 0 || box.getHeight() <= 0) {
        throw new RejectedInputException("PDF page has an unusable size: " + box);
      }
      return new PDFRenderer(document).renderImageWithDPI(0, dpi, ImageType.RGB);
    } catch (InvalidPasswordException e) {
      throw new RejectedInputException("PDF is password-protected", e);
    } catch (IOException | RuntimeException e) {
      throw new RejectedInputException("corrupted PDF: " + ImageIntake.rootMessage(e), e);
    }
  }
}
