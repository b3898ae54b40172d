package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;
import java.util.function.ToDoubleFunction;

/**
 * Makes a phone photo of a receipt look like a scan before OCR: turned upright (quarter turns, see
 * {@link OrientationCheck}), cut out of the surface it lies on with its perspective undone, dark
 * borders left around it whitened (they defeat Tesseract's page-wide threshold), straightened, and
 * evenly lit. Each step leaves an image it has nothing to correct as it is, so a flat scan reaches
 * OCR unchanged (upscaling small text is left to {@link ImageNormaliser}, which every reading
 * passes through).
 */
public final class PhotoPreparation {
  private final OrientationCheck orientation;
  private final ReceiptEdgeFinder edges = new ReceiptEdgeFinder();
  private final PerspectiveCorrector perspective = new PerspectiveCorrector();
  private final SkewCorrector skew = new SkewCorrector();
  private final LightingFlattener lighting = new LightingFlattener();
  private final DarkBorderEraser borders = new DarkBorderEraser();
  private final ContentCropper content = new ContentCropper();

  /** {@code readingConfidence}: the OCR engine's mean confidence 0..1 reading a grayscale strip. */
  public PhotoPreparation(ToDoubleFunction<BufferedImage> readingConfidence) {
    this(readingConfidence, null);
  }

  /**
   * {@code otherScript}: see {@link OrientationCheck#OrientationCheck(ToDoubleFunction,
   * ToDoubleFunction)}.
   */
  public PhotoPreparation(
      ToDoubleFunction<BufferedImage> readingConfidence,
      ToDoubleFunction<BufferedImage> otherScript) {
    this.orientation = new OrientationCheck(readingConfidence, otherScript);
  }

  public BufferedImage prepare(BufferedImage image) {
    BufferedImage gray = GrayImages.gray(image);
    var corners = edges.corners(gray, image);
    if (corners.isPresent()) {
      gray = perspective.rectify(gray, corners.get());
    }
    gray = content.crop(gray);
    int turns = orientation.quarterTurnsToUpright(gray);
    gray = GrayImages.quarterTurns(gray, turns);
    gray = skew.straighten(gray);
    // last: the orientation check was tuned on pages as they come (erasing first turned a VAT
    // invoice upside down), and a shadow on the page must be lit before it can be told from the
    // surface (erased before, the shadowed corner of an invoice went with the table)
    // a shadow cast on a photographed till receipt is followed closely; a landscape page (a VAT
    // invoice, its cells dense with print and ruled lines) keeps the coarse estimate
    boolean castShadows = corners.isPresent() && gray.getHeight() >= gray.getWidth();
    return borders.erase(lighting.flatten(gray, castShadows));
  }
}
