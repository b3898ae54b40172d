package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The auth unit's settings (login, refresh, JWKS) and the authorizer's; the signing key is shared.
 */
public final class AuthSettings {
  private AuthSettings() {}

  public static final Setting<Duration> ACCESS_TOKEN_TTL_SECONDS =
      Setting.seconds(
          "TRACKLANE_ACCESS_TOKEN_TTL_SECONDS", 900, 1, 86_400, "access token lifetime");
  public static final Setting<Duration> REFRESH_TOKEN_TTL_SECONDS =
      Setting.seconds(
          "TRACKLANE_REFRESH_TOKEN_TTL_SECONDS",
          2_592_000,
          1,
          31_536_000,
          "refresh token lifetime (rotated on use)");

  /**
   * Optional public JWKS JSON ({@code {"keys":[…]}}; may be an {@code ssm:} value) accepted for
   * verification.
   */
  public static final Setting<String> JWKS =
      Setting.string(
          "TRACKLANE_JWKS",
          "",
          "extra public keys (a JWKS) the authorizer accepts, e.g. the previous key during a rotation");

  /** The unit's own settings, in the README's order. */
  public static final List<Setting<?>> OWN =
      List.of(ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS, JWKS);

  /** Everything the auth unit reads, validated together at init. */
  public static final List<Setting<?>> ALL =
      Settings.all(
          BackofficeSettings.DATABASE,
          List.of(
              BackofficeSettings.SIGNING_KEY,
              BackofficeSettings.JWT_ISSUER,
              BackofficeSettings.JWT_AUDIENCE),
          OWN);
}
