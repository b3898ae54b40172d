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

  // Phone-app devices (OwnTracks, Traccar Client): where the gateway is reached from a phone. The
  // defaults are the local stack's ports on this machine; a phone on the same network needs the
  // machine's LAN address instead.
  public static final Setting<Integer> MAX_DEVICES_PER_RIDER =
      Setting.integer(
          "TRACKLANE_MAX_DEVICES_PER_RIDER",
          10,
          1,
          100,
          "phone-app device keys a rider may hold unrevoked at once");
  public static final Setting<String> DEVICE_MQTT_HOST =
      Setting.string(
          "TRACKLANE_DEVICE_MQTT_HOST",
          "localhost",
          "the gateway's public MQTT host name, put in the OwnTracks setup of a new device");
  public static final Setting<Integer> DEVICE_MQTT_PORT =
      Setting.integer(
          "TRACKLANE_DEVICE_MQTT_PORT",
          1883,
          1,
          65_535,
          "the gateway's public MQTT port, put in the OwnTracks setup");
  public static final Setting<Boolean> DEVICE_MQTT_TLS =
      Setting.bool(
          "TRACKLANE_DEVICE_MQTT_TLS",
          false,
          "whether phones reach the gateway's MQTT port over TLS (true behind a TLS load balancer)");
  public static final Setting<String> DEVICE_HTTP_ORIGIN =
      Setting.string(
          "TRACKLANE_DEVICE_HTTP_ORIGIN",
          "http://localhost:8080",
          "the gateway's public HTTP origin (`scheme://host[:port]`, no path): the Traccar Client server URL is"
              + " this + `/v1/osmand`, the OwnTracks HTTP URL this + `/v1/owntracks`");
  public static final Setting<String> OWNTRACKS_MODE =
      Setting.oneOf(
          "TRACKLANE_OWNTRACKS_MODE",
          "mqtt",
          "how the OwnTracks setup tells the app to report: MQTT to the gateway's broker, or HTTP POST",
          "mqtt",
          "http");

  /** The unit's own settings, in the README's order. */
  public static final List<Setting<?>> OWN =
      List.of(
          ACCESS_TOKEN_TTL_SECONDS,
          REFRESH_TOKEN_TTL_SECONDS,
          JWKS,
          MAX_DEVICES_PER_RIDER,
          DEVICE_MQTT_HOST,
          DEVICE_MQTT_PORT,
          DEVICE_MQTT_TLS,
          DEVICE_HTTP_ORIGIN,
          OWNTRACKS_MODE);

  /** Checks across the unit's settings: the phone-facing addresses must be usable as they are. */
  public static final List<Settings.Rule> RULES =
      List.of(
          s -> {
            String problem = DeviceSetup.originProblem(s.get(DEVICE_HTTP_ORIGIN));
            return problem == null ? null : DEVICE_HTTP_ORIGIN.env() + " " + problem;
          },
          s -> {
            String problem = DeviceSetup.hostProblem(s.get(DEVICE_MQTT_HOST));
            return problem == null ? null : DEVICE_MQTT_HOST.env() + " " + problem;
          });

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
