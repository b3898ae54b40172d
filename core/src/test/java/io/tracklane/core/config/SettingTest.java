package io.tracklane.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Parsing and range checks of the typed keys. */
class SettingTest {
  static final Setting<Integer> PORT = Setting.port("T_PORT", 1883, "a port");
  static final Setting<Integer> SIZE = Setting.integer("T_SIZE", 4, 1, 100, "a size");
  static final Setting<Long> BYTES =
      Setting.longValue("T_BYTES", 10L << 20, 1, 100L << 20, "bytes");
  static final Setting<Duration> LINGER =
      Setting.millis("T_LINGER_MS", 15, 0, Long.MAX_VALUE, "linger");
  static final Setting<Duration> TTL = Setting.seconds("T_TTL_SECONDS", 300, 1, 604_800, "ttl");
  static final Setting<Boolean> FLAG = Setting.bool("T_FLAG", true, "a flag");
  static final Setting<String> NAME = Setting.string("T_NAME", "tracklane", "a name");
  static final Setting<String> URL = Setting.string("T_URL", "", "a url");
  static final Setting<String> KEY = Setting.required("T_KEY", "a key");
  static final Setting<String> PROVIDER =
      Setting.oneOf("T_PROVIDER", "tesseract", "ocr", "tesseract", "textract");
  static final Setting<ZoneId> ZONE = Setting.zone("T_ZONE", "Asia/Shanghai", "zone");

  @Test
  void unsetOrBlankTakesTheDefault() {
    assertEquals(1883, PORT.parse(null));
    assertEquals(1883, PORT.parse("  "));
    assertEquals(Duration.ofMillis(15), LINGER.parse(null));
    assertEquals(Duration.ofSeconds(300), TTL.parse(""));
    assertEquals(true, FLAG.parse(null));
    assertEquals("tracklane", NAME.parse(""));
    assertEquals("", URL.parse(null));
    assertEquals(ZoneId.of("Asia/Shanghai"), ZONE.parse(null));
    assertEquals(10L << 20, BYTES.parse(null));
  }

  @Test
  void valuesParseToTheirType() {
    assertEquals(0, PORT.parse("0"));
    assertEquals(65_535, PORT.parse(" 65535 "));
    assertEquals(Duration.ofMillis(0), LINGER.parse("0"));
    assertEquals(Duration.ofSeconds(604_800), TTL.parse("604800"));
    assertEquals(false, FLAG.parse("FALSE"));
    assertEquals(false, FLAG.parse("no"));
    assertEquals(true, FLAG.parse("1"));
    assertEquals("textract", PROVIDER.parse("Textract"));
    assertEquals(ZoneId.of("Europe/Berlin"), ZONE.parse("Europe/Berlin"));
    assertEquals("k", KEY.parse("k"));
  }

  @Test
  void rangesAreEnforcedAtBothEnds() {
    assertBad(PORT, "-1", "T_PORT must be 0..65535, got '-1'");
    assertBad(PORT, "65536", "T_PORT must be 0..65535, got '65536'");
    assertBad(SIZE, "0", "T_SIZE must be 1..100, got '0'");
    assertBad(SIZE, "101", "T_SIZE must be 1..100");
    assertBad(TTL, "604801", "T_TTL_SECONDS must be 1..604800");
    assertBad(LINGER, "-5", "T_LINGER_MS must be ≥ 0");
    assertBad(BYTES, "104857601", "T_BYTES must be 1..104857600");
  }

  @Test
  void wrongTypesNameTheVariableAndTheValue() {
    assertBad(PORT, "eighty", "T_PORT must be an integer 0..65535, got 'eighty'");
    assertBad(SIZE, "99999999999", "T_SIZE must be 1..100");
    assertBad(LINGER, "15ms", "T_LINGER_MS must be an integer ≥ 0, got '15ms'");
    assertBad(FLAG, "maybe", "T_FLAG must be true or false, got 'maybe'");
    assertBad(PROVIDER, "google", "T_PROVIDER must be one of tesseract, textract, got 'google'");
    assertBad(ZONE, "Mars/Olympus", "T_ZONE must be an IANA time zone");
    assertBad(KEY, " ", "T_KEY is required");
    assertBad(KEY, null, "T_KEY is required");
  }

  @Test
  void describesItselfForTheDocs() {
    assertEquals("0..65535", PORT.allowed());
    assertEquals("≥ 0 ms", LINGER.allowed());
    assertEquals("1..604800 s", TTL.allowed());
    assertEquals("tesseract | textract", PROVIDER.allowed());
    assertEquals("15", LINGER.defaultValue());
    assertTrue(KEY.isRequired());
    assertFalse(URL.isRequired());
  }

  private static void assertBad(Setting<?> key, String raw, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> key.parse(raw));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }
}
