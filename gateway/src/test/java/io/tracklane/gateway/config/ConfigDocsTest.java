package io.tracklane.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.config.SettingsException;
import io.tracklane.core.config.SettingsTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's gateway table is generated from {@link GatewaySettings}: this test fails when a
 * setting is missing from it, when it lists one that does not exist, or when a default, range or
 * meaning differs. {@code mvn test -Dtest=ConfigDocsTest -Dupdate=true} rewrites the table.
 */
class ConfigDocsTest {

  @Test
  void readmeTableIsGeneratedFromTheSettings() throws Exception {
    List<String> problems =
        SettingsTable.sync(
            Path.of("..", "README.md"),
            "gateway",
            GatewaySettings.ALL,
            Boolean.getBoolean("update"));
    assertEquals(List.of(), problems);
  }

  @Test
  void badValuesNameTheVariable() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GatewayConfig.from(Map.of("TRACKLANE_MQTT_PORT", "eighty")));
    assertTrue(e.getMessage().contains("TRACKLANE_MQTT_PORT"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GatewayConfig.from(
                    Map.of(
                        "TRACKLANE_QUEUE_SOFT_LIMIT", "100", "TRACKLANE_QUEUE_HARD_LIMIT", "50")));
    assertTrue(e.getMessage().contains("TRACKLANE_QUEUE_HARD_LIMIT"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> GatewayConfig.from(Map.of("TRACKLANE_TABLE_BOOTSTRAP", "maybe")));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GatewayConfig.from(Map.of("TRACKLANE_MQTT_MAX_UNACKED", "65536")));
    assertTrue(
        e.getMessage().startsWith("TRACKLANE_MQTT_MAX_UNACKED must be 1..65535"), e.getMessage());
    // the web pages' folder must be one (a typo would otherwise serve nothing, silently)
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GatewayConfig.from(Map.of("TRACKLANE_WEB_ROOT", "/no/such/webroot")));
    assertTrue(
        e.getMessage().contains("TRACKLANE_WEB_ROOT must be a folder, got /no/such/webroot"),
        e.getMessage());
    // an upload origin the CSP could not use would silently block receipt uploads
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GatewayConfig.from(
                    Map.of(
                        "TRACKLANE_WEB_UPLOAD_ORIGINS",
                        "http://127.0.0.1:9000, s3.amazonaws.com")));
    assertTrue(
        e.getMessage().contains("TRACKLANE_WEB_UPLOAD_ORIGINS must list http(s) origins")
            && e.getMessage().endsWith("got s3.amazonaws.com"),
        e.getMessage());
    GatewayConfig.from(
        Map.of(
            "TRACKLANE_WEB_UPLOAD_ORIGINS",
            "http://127.0.0.1:9000, https://r.s3.cn-north-1.amazonaws.com.cn"));
  }

  @Test
  void everyBadVariableIsNamedAtOnce() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                GatewayConfig.from(
                    Map.of(
                        "TRACKLANE_MQTT_PORT",
                        "eighty",
                        "TRACKLANE_CLUSTER_PORT",
                        "0",
                        "TRACKLANE_BATCH_LINGER_MS",
                        "-1",
                        "TRACKLANE_CLUSTER",
                        "perhaps",
                        "TRACKLANE_QUEUE_SOFT_LIMIT",
                        "100",
                        "TRACKLANE_QUEUE_HARD_LIMIT",
                        "50")));
    assertEquals(5, e.problems().size(), e.getMessage());
    for (String env :
        List.of(
            "TRACKLANE_MQTT_PORT",
            "TRACKLANE_CLUSTER_PORT",
            "TRACKLANE_BATCH_LINGER_MS",
            "TRACKLANE_CLUSTER",
            "TRACKLANE_QUEUE_HARD_LIMIT")) {
      assertTrue(e.getMessage().contains(env + " "), env + " is not named in: " + e.getMessage());
    }
  }

  @Test
  void defaultsApply() {
    GatewayConfig c = GatewayConfig.from(Map.of());
    assertEquals(262_144, c.get(GatewaySettings.MAX_MESSAGE_BYTES));
    assertEquals(1000, c.fixLimits().maxFixesPerPayload());
    assertEquals(false, c.get(GatewaySettings.TABLE_BOOTSTRAP));
    assertEquals(Duration.ofMinutes(30), c.get(GatewaySettings.LIVE_IDLE_MS));
    assertEquals(
        "tracklane-fixes",
        c.with(Map.of("TRACKLANE_FIXES_TABLE", " ")).get(GatewaySettings.FIXES_TABLE),
        "a blank variable means the default");
    assertEquals(
        Duration.ofMillis(7),
        c.with(Map.of("TRACKLANE_BATCH_LINGER_MS", "7")).get(GatewaySettings.BATCH_LINGER_MS));
  }
}
