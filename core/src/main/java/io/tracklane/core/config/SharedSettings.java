package io.tracklane.core.config;

/**
 * The settings the gateway and the back office both read, declared once so a name, default or doc
 * cannot drift between them. {@code GatewaySettings} and {@code BackofficeSettings} refer to these;
 * the back office asks for {@link #PG_URL} as {@link Setting#required()}.
 */
public final class SharedSettings {
  private SharedSettings() {}

  public static final Setting<String> PG_URL =
      Setting.string(
          "TRACKLANE_PG_URL",
          "",
          "Back-office Postgres `postgresql://user@host:port/db`; required by the back office; "
              + "the gateway checks there that a rider publishes only for a task claimed by them and "
              + "in progress (unset: development task list, no progress)");
  public static final Setting<String> PG_PASSWORD =
      Setting.string(
          "TRACKLANE_PG_PASSWORD",
          "",
          "Postgres password when not in the URL (from a secret store, e.g. `ssm:/tracklane/pg-password` "
              + "in the back office; never in code)");
  public static final Setting<String> PG_SSL_ROOT_CERT =
      Setting.string(
          "TRACKLANE_PG_SSL_ROOT_CERT",
          "",
          "PEM CA file or bundle that signs the Postgres server certificate (on AWS the RDS bundle, e.g. "
              + "`global-bundle.pem`, or the China regions' bundle); set = `sslmode=verify-full`; empty = "
              + "`sslmode=require` (TLS, server not verified). An `sslmode` in `TRACKLANE_PG_URL` wins; a "
              + "weaker one than `require` is logged as a warning");
  public static final Setting<String> JWT_ISSUER =
      Setting.string(
          "TRACKLANE_JWT_ISSUER", "tracklane", "Token issuer (`iss`), issued and required");
  public static final Setting<String> JWT_AUDIENCE =
      Setting.string(
          "TRACKLANE_JWT_AUDIENCE", "tracklane", "Token audience (`aud`), issued and required");
  public static final Setting<String> FIXES_TABLE =
      Setting.string(
          "TRACKLANE_FIXES_TABLE",
          "tracklane-fixes",
          "DynamoDB table of fixes (the gateway writes it, track history reads it)");
  public static final Setting<String> DYNAMODB_ENDPOINT =
      Setting.string(
          "TRACKLANE_DYNAMODB_ENDPOINT",
          "",
          "DynamoDB endpoint override (dynalite locally); empty = the region's AWS endpoint");
  public static final Setting<String> AWS_REGION =
      Setting.string(
          "AWS_REGION",
          "us-east-1",
          "AWS region (cn-north-1 / cn-northwest-1 in China; set by Lambda itself)");
}
