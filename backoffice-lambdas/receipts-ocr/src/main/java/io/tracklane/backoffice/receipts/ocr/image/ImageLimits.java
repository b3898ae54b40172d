package io.tracklane.backoffice.receipts.ocr.image;

/**
 * Bounds checked before decoding, so a small file that expands to gigabytes of pixels (a
 * decompression bomb) is refused from its header. {@code decodeWidth}: large images are
 * subsampled while decoding to about this width, which saves memory and time; OCR needs no more.
 */
public record ImageLimits(long maxBytes, long maxPixels, int maxSide, int decodeWidth, int pdfDpi) {
  public static final ImageLimits DEFAULT = new ImageLimits(25L << 20, 50_000_000L, 12_000, 2_000, 200);
}
