package io.tracklane.backoffice.receipts.ocr.image;

import java.awt.image.BufferedImage;

/**
 * A checked receipt: its detected content type, the original bytes (some providers take them as
 * they are) and the decoded first page, upright (EXIF orientation applied). {@code reencoded}: the
 * pixels differ from the original bytes (rotated, subsampled or a rendered PDF).
 */
public record ReceiptImage(
    String contentType, byte[] original, BufferedImage image, boolean reencoded) {}
