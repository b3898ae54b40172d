package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.BackofficeConfig;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The reports unit's settings (environment variables, like every {@link BackofficeConfig} value).
 * On AWS only the bucket is set (and the time zone where the business is not in China); the S3
 * endpoint and static keys are the local stack's, shared with the receipts unit (same names).
 */
public record ReportSettings(String bucket, ZoneId businessZone, Duration downloadTtl) {
  /** The bucket report files are written to. */
  public static final String BUCKET = "TRACKLANE_REPORTS_BUCKET";
  /** The zone weeks and months are cut in (IANA id, default Asia/Shanghai): a day ends at local midnight. */
  public static final String BUSINESS_TIMEZONE = "TRACKLANE_BUSINESS_TIMEZONE";
  /** How long a presigned download link stays valid (default 300 s). */
  public static final String DOWNLOAD_TTL_SECONDS = "TRACKLANE_REPORT_URL_TTL_SECONDS";

  public static final String DEFAULT_TIMEZONE = "Asia/Shanghai";
  public static final long DEFAULT_DOWNLOAD_TTL_SECONDS = 300;

  public static ReportSettings from(BackofficeConfig config) {
    String zoneName = config.get(BUSINESS_TIMEZONE);
    if (zoneName == null || zoneName.isBlank()) zoneName = DEFAULT_TIMEZONE;
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneName.trim());
    } catch (DateTimeException e) {
      throw new IllegalStateException(BUSINESS_TIMEZONE + " must be an IANA time zone such as Asia/Shanghai, got '"
          + zoneName + "'");
    }
    String rawTtl = config.get(DOWNLOAD_TTL_SECONDS);
    long ttl = DEFAULT_DOWNLOAD_TTL_SECONDS;
    if (rawTtl != null && !rawTtl.isBlank()) {
      try {
        ttl = Long.parseLong(rawTtl.trim());
      } catch (NumberFormatException e) {
        throw new IllegalStateException(DOWNLOAD_TTL_SECONDS + " must be an integer, got '" + rawTtl + "'");
      }
      // SigV4 presigned URLs live at most 7 days
      if (ttl < 1 || ttl > 7 * 24 * 3600) {
        throw new IllegalStateException(DOWNLOAD_TTL_SECONDS + " must be between 1 and 604800, got " + ttl);
      }
    }
    return new ReportSettings(config.require(BUCKET), zone, Duration.ofSeconds(ttl));
  }
}
