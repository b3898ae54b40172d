package io.tracklane.backoffice.common;

import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import io.tracklane.core.config.SharedSettings;
import java.util.List;

/**
 * The settings every Lambda unit shares, typed. Each unit declares its own next to its code ({@code
 * AuthSettings}, {@code TaskSettings}, {@code ReceiptSettings}, {@code ReportSettings}); the
 * README's back-office tables are generated from these lists and checked by a docs test.
 */
public final class BackofficeSettings {
  private BackofficeSettings() {}

  public static final Setting<String> PG_URL = SharedSettings.PG_URL.required();
  public static final Setting<String> PG_PASSWORD = SharedSettings.PG_PASSWORD;
  public static final Setting<String> PG_SSL_ROOT_CERT = SharedSettings.PG_SSL_ROOT_CERT;
  public static final Setting<Integer> PG_POOL_SIZE =
      Setting.integer("TRACKLANE_PG_POOL_SIZE", 4, 1, 1000, "connections per Lambda container");
  public static final Setting<String> SIGNING_KEY =
      Setting.string(
          "TRACKLANE_SIGNING_KEY",
          "",
          "private JWK (ES256) that signs access tokens; required by `auth`, optional for the authorizer; on AWS"
              + " `ssm:/tracklane/signing-key` (SecureString)");
  public static final Setting<String> JWT_ISSUER = SharedSettings.JWT_ISSUER;
  public static final Setting<String> JWT_AUDIENCE = SharedSettings.JWT_AUDIENCE;
  public static final Setting<String> FIXES_TABLE = SharedSettings.FIXES_TABLE;
  public static final Setting<String> DYNAMODB_ENDPOINT = SharedSettings.DYNAMODB_ENDPOINT;
  public static final Setting<String> AWS_REGION = SharedSettings.AWS_REGION;
  public static final Setting<String> S3_ENDPOINT =
      Setting.string(
          "TRACKLANE_S3_ENDPOINT",
          "",
          "Local only: an S3-compatible endpoint (path-style), e.g. the local stack's in-process store; receipts and"
              + " reports");
  public static final Setting<String> S3_ACCESS_KEY =
      Setting.string(
          "TRACKLANE_S3_ACCESS_KEY",
          "",
          "Local only, with `TRACKLANE_S3_ENDPOINT`: that store's access key (on AWS the function's role signs)");
  public static final Setting<String> S3_SECRET_KEY =
      Setting.string(
          "TRACKLANE_S3_SECRET_KEY",
          "",
          "Local only, with `TRACKLANE_S3_ENDPOINT`: that store's secret key");

  /** The S3 clients' settings (receipts and reports). */
  public static final List<Setting<?>> S3 =
      List.of(AWS_REGION, S3_ENDPOINT, S3_ACCESS_KEY, S3_SECRET_KEY);

  /** A local S3 endpoint needs its static keys. */
  public static final List<Settings.Rule> S3_RULES =
      List.of(
          s ->
              !s.get(S3_ENDPOINT).isBlank() && s.get(S3_ACCESS_KEY).isBlank()
                  ? S3_ACCESS_KEY.env() + " is required with " + S3_ENDPOINT.env()
                  : null,
          s ->
              !s.get(S3_ENDPOINT).isBlank() && s.get(S3_SECRET_KEY).isBlank()
                  ? S3_SECRET_KEY.env() + " is required with " + S3_ENDPOINT.env()
                  : null);

  /** What {@link Database} reads. */
  public static final List<Setting<?>> DATABASE =
      List.of(PG_URL, PG_PASSWORD, PG_POOL_SIZE, PG_SSL_ROOT_CERT);

  /** Every shared setting, in the README's order. */
  public static final List<Setting<?>> ALL =
      List.of(
          PG_URL,
          PG_PASSWORD,
          PG_POOL_SIZE,
          PG_SSL_ROOT_CERT,
          SIGNING_KEY,
          JWT_ISSUER,
          JWT_AUDIENCE,
          FIXES_TABLE,
          DYNAMODB_ENDPOINT,
          AWS_REGION,
          S3_ENDPOINT,
          S3_ACCESS_KEY,
          S3_SECRET_KEY);
}
