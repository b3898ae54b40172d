package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.BackofficeConfig;
import java.time.Duration;

/**
 * The receipts unit's settings (environment variables, like every {@link BackofficeConfig} value).
 * On AWS only the bucket is set; the endpoint and static keys exist for the local stack, whose
 * in-process S3 store is addressed path-style.
 */
public record ReceiptSettings(String bucket, long maxBytes, Duration uploadTtl, Duration imageUrlTtl) {
  /** The bucket receipts are uploaded to (its ObjectCreated notification triggers the OCR function). */
  public static final String BUCKET = "TRACKLANE_RECEIPTS_BUCKET";
  /** The local stack's bucket; on AWS the deployment always sets {@link #BUCKET} (names are global). */
  public static final String DEFAULT_BUCKET = "tracklane-receipts";
  /** Largest accepted upload in bytes (default 10 MiB); the presigned policy enforces it. */
  public static final String MAX_BYTES = "TRACKLANE_RECEIPT_MAX_BYTES";
  /** How long a presigned upload stays valid (default 600 s). */
  public static final String UPLOAD_TTL_SECONDS = "TRACKLANE_RECEIPT_UPLOAD_TTL_SECONDS";
  /** How long a presigned image URL for reviewers stays valid (default 300 s). */
  public static final String IMAGE_URL_TTL_SECONDS = "TRACKLANE_RECEIPT_IMAGE_URL_TTL_SECONDS";
  /** Which OCR provider reads receipts: {@code tesseract} (everywhere, the only one in China) or {@code textract}. */
  public static final String OCR_PROVIDER = "TRACKLANE_OCR_PROVIDER";

  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
  /** S3 itself refuses a POST body over 5 GB; receipts are photos, so a sane ceiling is far lower. */
  public static final long MAX_MAX_BYTES = 100L * 1024 * 1024;

  public static ReceiptSettings from(BackofficeConfig config) {
    long maxBytes = longOr(config, MAX_BYTES, DEFAULT_MAX_BYTES, 1, MAX_MAX_BYTES);
    // SigV4 presigned URLs live at most 7 days
    long uploadTtl = longOr(config, UPLOAD_TTL_SECONDS, 600, 1, 7 * 24 * 3600);
    long imageTtl = longOr(config, IMAGE_URL_TTL_SECONDS, 300, 1, 7 * 24 * 3600);
    return new ReceiptSettings(bucket(config), maxBytes, Duration.ofSeconds(uploadTtl),
        Duration.ofSeconds(imageTtl));
  }

  static String bucket(BackofficeConfig config) {
    String b = config.get(BUCKET);
    return b == null || b.isBlank() ? DEFAULT_BUCKET : b;
  }

  private static long longOr(BackofficeConfig config, String name, long dflt, long min, long max) {
    String raw = config.get(name);
    if (raw == null || raw.isBlank()) return dflt;
    long v;
    try {
      v = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(name + " must be an integer, got '" + raw + "'");
    }
    if (v < min || v > max) throw new IllegalStateException(name + " must be between " + min + " and " + max + ", got " + v);
    return v;
  }
}
