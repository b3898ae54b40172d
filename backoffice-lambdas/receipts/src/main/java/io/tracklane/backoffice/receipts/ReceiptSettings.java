package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.receipts.ocr.OcrSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The receipts unit's settings, typed. On AWS only the bucket is set; the S3 endpoint and static
 * keys ({@link BackofficeSettings#S3_ENDPOINT}) exist for the local stack, whose in-process S3
 * store is addressed path-style.
 */
public record ReceiptSettings(
    String bucket, long maxBytes, Duration uploadTtl, Duration imageUrlTtl) {
  /**
   * The local stack's bucket; on AWS the deployment always sets {@link #BUCKET} (names are global).
   */
  public static final String DEFAULT_BUCKET = "tracklane-receipts";

  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

  /**
   * S3 itself refuses a POST body over 5 GB; receipts are photos, so a sane ceiling is far lower.
   */
  public static final long MAX_MAX_BYTES = 100L * 1024 * 1024;

  /** SigV4 presigned URLs live at most 7 days. */
  static final long MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

  public static final Setting<String> BUCKET =
      Setting.string(
          "TRACKLANE_RECEIPTS_BUCKET",
          DEFAULT_BUCKET,
          "the bucket receipts are uploaded to (its ObjectCreated notification triggers the OCR function)");
  public static final Setting<Long> MAX_BYTES =
      Setting.longValue(
          "TRACKLANE_RECEIPT_MAX_BYTES",
          DEFAULT_MAX_BYTES,
          1,
          MAX_MAX_BYTES,
          "largest accepted upload in bytes; the presigned policy enforces it");
  public static final Setting<Duration> UPLOAD_TTL_SECONDS =
      Setting.seconds(
          "TRACKLANE_RECEIPT_UPLOAD_TTL_SECONDS",
          600,
          1,
          MAX_PRESIGNED_SECONDS,
          "how long a presigned upload stays valid");
  public static final Setting<Duration> IMAGE_URL_TTL_SECONDS =
      Setting.seconds(
          "TRACKLANE_RECEIPT_IMAGE_URL_TTL_SECONDS",
          300,
          1,
          MAX_PRESIGNED_SECONDS,
          "how long a presigned image URL for reviewers stays valid");
  public static final Setting<String> OCR_PROVIDER = OcrSettings.PROVIDER;

  /** The unit's own settings, in the README's order. */
  public static final List<Setting<?>> OWN =
      List.of(
          BUCKET,
          MAX_BYTES,
          UPLOAD_TTL_SECONDS,
          IMAGE_URL_TTL_SECONDS,
          OCR_PROVIDER,
          OcrSettings.TESSDATA);

  /** Everything the receipts unit reads, validated together at init. */
  public static final List<Setting<?>> ALL =
      Settings.all(BackofficeSettings.DATABASE, BackofficeSettings.S3, OWN);

  /** Reads (and validates) every receipts setting, naming all bad ones at once. */
  public static ReceiptSettings from(BackofficeConfig config) {
    Settings s = config.read(ALL, BackofficeSettings.S3_RULES);
    return new ReceiptSettings(
        s.get(BUCKET), s.get(MAX_BYTES), s.get(UPLOAD_TTL_SECONDS), s.get(IMAGE_URL_TTL_SECONDS));
  }
}
