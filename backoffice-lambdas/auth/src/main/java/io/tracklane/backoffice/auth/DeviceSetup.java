package io.tracklane.backoffice.auth;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The ready-made phone-app setup of a new device key: an OwnTracks remote configuration (JSON and
 * the {@code owntracks:///config?inline=} link that imports it) and the Traccar Client settings.
 * Built once, from the gateway's public addresses ({@link AuthSettings}); shown only in the answer
 * that creates the key, since both carry it.
 */
final class DeviceSetup {
  /** OwnTracks {@code monitoring}: 1 = significant changes (battery-friendly, between tasks). */
  static final int MONITORING_SIGNIFICANT = 1;

  /** OwnTracks {@code mode}: 0 = MQTT, 3 = HTTP. */
  static final int OWNTRACKS_MODE_MQTT = 0;

  static final int OWNTRACKS_MODE_HTTP = 3;
  static final String OSMAND_PATH = "/v1/osmand";
  static final String OWNTRACKS_PATH = "/v1/owntracks";

  /** Traccar Client cannot be told anything remotely: these are set by hand, once. */
  static final int TRACCAR_INTERVAL_SECONDS = 10;

  static final int TRACCAR_DISTANCE_METERS = 0;
  static final String TRACCAR_ACCURACY = "high";

  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");

  private final String mqttHost;
  private final int mqttPort;
  private final boolean mqttTls;
  private final String httpOrigin;
  private final boolean http;

  DeviceSetup(String mqttHost, int mqttPort, boolean mqttTls, String httpOrigin, String mode) {
    this.mqttHost = mqttHost;
    this.mqttPort = mqttPort;
    this.mqttTls = mqttTls;
    this.httpOrigin = httpOrigin.replaceAll("/+$", "");
    this.http = "http".equals(mode);
  }

  static DeviceSetup of(BackofficeConfig config) {
    return new DeviceSetup(
        config.get(AuthSettings.DEVICE_MQTT_HOST),
        config.get(AuthSettings.DEVICE_MQTT_PORT),
        config.get(AuthSettings.DEVICE_MQTT_TLS),
        config.get(AuthSettings.DEVICE_HTTP_ORIGIN),
        config.get(AuthSettings.OWNTRACKS_MODE));
  }

  /**
   * {@code {owntracks: {mode, topic, configuration, configurationUrl}, traccarClient: {serverUrl,
   * deviceIdentifier, intervalSeconds, distanceMeters, accuracy, remoteControl}}}
   */
  JsonObject forDevice(String username, String topicDevice, String key) {
    JsonObject configuration = owntracksConfiguration(username, topicDevice, key);
    return new JsonObject()
        .put(
            "owntracks",
            new JsonObject()
                .put("mode", http ? "http" : "mqtt")
                .put("topic", "owntracks/" + username + "/" + topicDevice)
                .put("configuration", configuration)
                .put("configurationUrl", configurationUrl(configuration)))
        .put(
            "traccarClient",
            new JsonObject()
                .put("serverUrl", httpOrigin + OSMAND_PATH)
                .put("deviceIdentifier", key)
                .put("intervalSeconds", TRACCAR_INTERVAL_SECONDS)
                .put("distanceMeters", TRACCAR_DISTANCE_METERS)
                .put("accuracy", TRACCAR_ACCURACY)
                .put("remoteControl", false));
  }

  /**
   * The OwnTracks {@code _type: configuration}: credentials (password = the key), the device's
   * topic segment, significant-change monitoring, and remote commands allowed so the gateway can
   * switch it to move mode while a task is in progress ({@code cmd} on iOS, {@code
   * remoteConfiguration} on Android).
   */
  JsonObject owntracksConfiguration(String username, String topicDevice, String key) {
    JsonObject c =
        new JsonObject()
            .put("_type", "configuration")
            .put("mode", http ? OWNTRACKS_MODE_HTTP : OWNTRACKS_MODE_MQTT);
    if (http) {
      c.put("url", httpOrigin + OWNTRACKS_PATH);
    } else {
      c.put("host", mqttHost).put("port", mqttPort).put("tls", mqttTls).put("pubQos", 1);
    }
    return c.put("auth", true)
        .put("username", username)
        .put("password", key)
        .put("deviceId", topicDevice)
        .put("monitoring", MONITORING_SIGNIFICANT)
        .put("cmd", true)
        .put("remoteConfiguration", true);
  }

  /** {@code owntracks:///config?inline=<base64 of the JSON, percent-encoded>}. */
  static String configurationUrl(JsonObject configuration) {
    String base64 =
        Base64.getEncoder().encodeToString(configuration.encode().getBytes(StandardCharsets.UTF_8));
    return "owntracks:///config?inline=" + URLEncoder.encode(base64, StandardCharsets.UTF_8);
  }

  /** Why {@code origin} is not {@code http(s)://host[:port]}, or null. */
  static String originProblem(String origin) {
    String rule = "must be http(s)://host[:port] with no path, e.g. https://gps.example.com";
    try {
      URI uri = new URI(origin.replaceAll("/+$", ""));
      boolean ok =
          ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
              && uri.getHost() != null
              && uri.getRawUserInfo() == null
              && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
              && uri.getRawQuery() == null
              && uri.getRawFragment() == null;
      return ok ? null : rule;
    } catch (URISyntaxException e) {
      return rule;
    }
  }

  /** Why {@code host} is not a bare host name or IPv4 address, or null. */
  static String hostProblem(String host) {
    return HOST.matcher(host).matches()
        ? null
        : "must be a host name or address without scheme or port, e.g. gps.example.com";
  }
}
