package io.tracklane.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists every setting with its real default. */
class ConfigDocsTest {

  @Test
  void readmeTableMatchesTheSettings() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Setting s : Setting.values()) {
      String def = s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
      String row = "| `" + s.env() + "` | " + def + " |";
      assertTrue(readme.contains(row), "README configuration table lacks or misstates: " + row);
    }
  }

  @Test
  void badValuesNameTheVariable() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> GatewayConfig.from(Map.of("TRACKLANE_MQTT_PORT", "eighty")));
    assertTrue(e.getMessage().contains("TRACKLANE_MQTT_PORT"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> GatewayConfig.from(Map.of("TRACKLANE_QUEUE_SOFT_LIMIT", "100", "TRACKLANE_QUEUE_HARD_LIMIT", "50")));
    assertTrue(e.getMessage().contains("TRACKLANE_QUEUE_HARD_LIMIT"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GatewayConfig.from(Map.of("TRACKLANE_TABLE_BOOTSTRAP", "maybe")));
  }

  @Test
  void defaultsApply() {
    GatewayConfig c = GatewayConfig.from(Map.of());
    assertEquals(262_144, c.integer(Setting.MAX_MESSAGE_BYTES));
    assertEquals(1000, c.fixLimits().maxFixesPerPayload());
    assertEquals(false, c.bool(Setting.TABLE_BOOTSTRAP));
  }
}
