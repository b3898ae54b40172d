package io.tracklane.backoffice.receipts.ocr.image;

/**
 * Bounds checked before decoding, so a small file that expands to gigabytes of pixels (a
 * decompression bomb) is refused from its header. {@code decodeWidth}: large images are subsampled
 * while decoding to about this width, which saves memory and time; OCR needs no more. {@code
 * maxStreamBytes}: the most one PDF stream (content, form, font, profile) may expand to, and
 * PDFBox's scratch memory for the document.
 */
public record ImageLimits(
    long maxBytes, long maxPixels, int maxSide, int decodeWidth, int pdfDpi, long maxStreamBytes) {
  public static final ImageLimits DEFAULT =
      new ImageLimits(25L << 20, 50_000_000L, 12_000, 2_000, 200, 64L << 20);

  /** The refusal when declared dimensions exceed the limits, or null when they fit. */
  String dimensionProblem(long width, long height, String what) {
    if (width <= 0 || height <= 0) {
      return what + " has no pixels (" + width + "x" + height + ")";
    }
    if (width > maxSide || height > maxSide || width * height > maxPixels) {
      return what
          + " too large: "
          + width
          + "x"
          + height
          + " pixels, the limit is "
          + maxPixels / 1_000_000
          + " megapixels and "
          + maxSide
          + " px a side";
    }
    return null;
  }
}
