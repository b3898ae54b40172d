package io.tracklane.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator names every bad variable at once; the README table is generated and checked. */
class SettingsTest {
  static final Setting<Integer> SOFT = Setting.integer("T_SOFT", 20, 1, Integer.MAX_VALUE, "soft");
  static final Setting<Integer> HARD = Setting.integer("T_HARD", 50, 1, Integer.MAX_VALUE, "hard");
  static final Setting<Boolean> FLAG = Setting.bool("T_FLAG", false, "a | flag");
  static final Setting<Duration> LINGER =
      Setting.millis("T_LINGER_MS", 15, 0, Long.MAX_VALUE, "linger");
  static final Setting<String> KEY = Setting.required("T_KEY", "a key");
  static final List<Setting<?>> KEYS = List.of(SOFT, HARD, FLAG, LINGER, KEY);
  static final Settings.Rule HARD_ABOVE_SOFT =
      s ->
          s.get(HARD) < s.get(SOFT)
              ? "T_HARD must be ≥ T_SOFT (" + s.get(SOFT) + "), got " + s.get(HARD)
              : null;

  @Test
  void readsTypedValues() {
    Settings s =
        Settings.read(
            KEYS,
            Map.of("T_SOFT", "7", "T_LINGER_MS", "40", "T_KEY", "k"),
            List.of(HARD_ABOVE_SOFT));
    assertEquals(7, s.get(SOFT));
    assertEquals(50, s.get(HARD));
    assertEquals(Duration.ofMillis(40), s.get(LINGER));
    assertEquals(false, s.get(FLAG));
    assertEquals("k", s.get(KEY));
  }

  @Test
  void everyBadVariableIsNamedInOneException() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.read(
                    KEYS,
                    Map.of("T_SOFT", "many", "T_FLAG", "maybe", "T_LINGER_MS", "-1"),
                    List.of(HARD_ABOVE_SOFT)));
    assertEquals(4, e.problems().size(), e.getMessage());
    for (String env : List.of("T_SOFT", "T_FLAG", "T_LINGER_MS", "T_KEY")) {
      assertTrue(e.getMessage().contains(env), env + " missing from: " + e.getMessage());
    }
    assertTrue(e.getMessage().startsWith("4 bad settings: "), e.getMessage());
  }

  @Test
  void rulesAcrossSettingsAreReportedWithTheOthers() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.read(
                    KEYS,
                    Map.of("T_SOFT", "100", "T_HARD", "50", "T_FLAG", "maybe", "T_KEY", "k"),
                    List.of(HARD_ABOVE_SOFT)));
    assertEquals(
        List.of(
            "T_FLAG must be true or false, got 'maybe'", "T_HARD must be ≥ T_SOFT (100), got 50"),
        e.problems());
  }

  @Test
  void aRuleOnABadValueIsSkippedNotCrashed() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                Settings.read(KEYS, Map.of("T_SOFT", "x", "T_KEY", "k"), List.of(HARD_ABOVE_SOFT)));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().startsWith("T_SOFT must be an integer"), e.getMessage());
  }

  @Test
  void aSettingNotReadIsAProgrammingError() {
    Settings s = Settings.read(List.of(SOFT), Map.of());
    assertThrows(IllegalStateException.class, () -> s.get(HARD));
  }

  @Test
  void allJoinsListsKeepingEachKeyOnce() {
    assertEquals(List.of(SOFT, HARD, FLAG), Settings.all(List.of(SOFT, HARD), List.of(HARD, FLAG)));
  }

  @Test
  void readmeSectionIsCheckedAndRewritten(@TempDir Path dir) throws Exception {
    Path readme = dir.resolve("README.md");
    String table = SettingsTable.markdown(KEYS);
    assertTrue(table.contains("| `T_LINGER_MS` | `15` | ≥ 0 ms | linger |"), table);
    assertTrue(table.contains("| `T_KEY` | (required) |  | a key |"), table);
    assertTrue(table.contains("| `T_FLAG` | `false` | true \\| false | a \\| flag |"), table);

    Files.writeString(
        readme, "# x\n<!-- settings:t -->\n" + table + "<!-- /settings:t -->\nafter\n");
    assertEquals(List.of(), SettingsTable.sync(readme, "t", KEYS, false));

    Files.writeString(
        readme,
        "# x\n<!-- settings:t -->\n"
            + table.replace("| `T_SOFT` | `20` |", "| `T_SOFT` | `21` |")
            + "| `T_GONE` | `1` |  | removed |\n<!-- /settings:t -->\nafter\n");
    assertEquals(
        List.of("README section t lists T_GONE, which is no setting"),
        SettingsTable.sync(readme, "t", KEYS, false));
    List<String> lacking =
        SettingsTable.sync(
            readme,
            "t",
            List.of(SOFT, HARD, FLAG, LINGER, KEY, Setting.bool("T_NEW", true, "new")),
            false);
    assertTrue(lacking.contains("README section t lacks T_NEW"), lacking.toString());

    Files.writeString(
        readme,
        "# x\n<!-- settings:t -->\n"
            + table.replace("| `T_SOFT` | `20` |", "| `T_SOFT` | `21` |")
            + "<!-- /settings:t -->\nafter\n");
    assertTrue(SettingsTable.sync(readme, "t", KEYS, false).get(0).contains("differs"));
    assertEquals(List.of(), SettingsTable.sync(readme, "t", KEYS, true));
    assertEquals(
        "# x\n<!-- settings:t -->\n" + table + "<!-- /settings:t -->\nafter\n",
        Files.readString(readme));
    assertTrue(SettingsTable.sync(readme, "missing", KEYS, false).get(0).contains("no section"));
  }
}
