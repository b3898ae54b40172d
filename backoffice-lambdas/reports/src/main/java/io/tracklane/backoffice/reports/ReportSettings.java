package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The reports unit's settings, typed. On AWS only the bucket is set (and the time zone where the
 * business is not in China); the S3 endpoint and static keys are the local stack's, shared with the
 * receipts unit ({@link BackofficeSettings#S3_ENDPOINT}).
 */
public record ReportSettings(
    String bucket,
    ZoneId businessZone,
    Duration downloadTtl,
    String generatorFunction,
    Duration generationTimeout) {
  public static final String DEFAULT_TIMEZONE = "Asia/Shanghai";
  public static final long DEFAULT_DOWNLOAD_TTL_SECONDS = 300;

  public static final Setting<String> BUCKET =
      Setting.required("TRACKLANE_REPORTS_BUCKET", "the bucket report files are written to");
  public static final Setting<ZoneId> BUSINESS_TIMEZONE =
      Setting.zone(
          "TRACKLANE_BUSINESS_TIMEZONE",
          DEFAULT_TIMEZONE,
          "the zone weeks and months are cut in: a day ends at local midnight");
  // SigV4 presigned URLs live at most 7 days
  public static final Setting<Duration> DOWNLOAD_TTL_SECONDS =
      Setting.seconds(
          "TRACKLANE_REPORT_URL_TTL_SECONDS",
          DEFAULT_DOWNLOAD_TTL_SECONDS,
          1,
          7 * 24 * 3600,
          "how long a presigned download link stays valid");

  public static final Setting<String> GENERATOR_FUNCTION =
      Setting.string(
          "TRACKLANE_REPORT_GENERATOR_FUNCTION",
          "",
          "the function `POST /reports` invokes asynchronously to generate a report (the `report_generator`"
              + " function's name, set by Terraform); empty = a worker thread of this process (local-api only: a"
              + " Lambda is frozen after its response)");
  public static final long DEFAULT_GENERATION_TIMEOUT_SECONDS = 900;
  public static final Setting<Duration> GENERATION_TIMEOUT_SECONDS =
      Setting.seconds(
          "TRACKLANE_REPORT_GENERATION_TIMEOUT_SECONDS",
          DEFAULT_GENERATION_TIMEOUT_SECONDS,
          60,
          24 * 3600,
          "a report still generating this long after its request (its generator crashed or timed out) is"
              + " marked failed by the next list, read or schedule run; keep it above the generator's own timeout");

  /** The unit's own settings, in the README's order. */
  public static final List<Setting<?>> OWN =
      List.of(
          BUCKET,
          BUSINESS_TIMEZONE,
          DOWNLOAD_TTL_SECONDS,
          GENERATOR_FUNCTION,
          GENERATION_TIMEOUT_SECONDS);

  /** Everything the reports unit reads, validated together at init. */
  public static final List<Setting<?>> ALL =
      Settings.all(BackofficeSettings.DATABASE, BackofficeSettings.S3, OWN);

  /** Reads (and validates) every reports setting, naming all bad ones at once. */
  public static ReportSettings from(BackofficeConfig config) {
    Settings s = config.read(ALL, BackofficeSettings.S3_RULES);
    return new ReportSettings(
        s.get(BUCKET),
        s.get(BUSINESS_TIMEZONE),
        s.get(DOWNLOAD_TTL_SECONDS),
        s.get(GENERATOR_FUNCTION),
        s.get(GENERATION_TIMEOUT_SECONDS));
  }
}
