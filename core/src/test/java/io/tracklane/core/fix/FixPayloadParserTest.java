package io.tracklane.core.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FixPayloadParserTest {

  static final long NOW = 1_764_200_000_000L;
  static final FixPayloadParser PARSER = new FixPayloadParser(FixLimits.DEFAULTS);

  static ParsedFixes parse(String json) {
    return PARSER.parse(Buffer.buffer(json), NOW);
  }

  /** A valid fix object at NOW + offsetMs with the given extra members (raw JSON, may be empty). */
  static String fix(long offsetMs, String extra) {
    return "{\"ts\":"
        + (NOW + offsetMs)
        + ",\"lat\":52.52,\"lon\":13.405"
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  static String fixWith(String member) {
    return fix(0, member);
  }

  static FixError onlyError(ParsedFixes parsed) {
    assertFalse(parsed.isValid(), "expected the payload to be refused");
    assertTrue(parsed.fixes().isEmpty(), "a refused payload must carry no fixes");
    assertEquals(
        1, parsed.errors().size(), () -> "expected exactly one error, got " + parsed.errors());
    return parsed.errors().get(0);
  }

  static FixError assertOnlyError(ParsedFixes parsed, int index, String field, String messagePart) {
    FixError e = onlyError(parsed);
    assertEquals(index, e.index(), () -> "index of " + e);
    assertEquals(field, e.field(), () -> "field of " + e);
    assertTrue(
        e.message().contains(messagePart),
        () -> "'" + e.message() + "' should contain '" + messagePart + "'");
    return e;
  }

  static FixError assertPayloadError(ParsedFixes parsed, String messagePart) {
    return assertOnlyError(parsed, -1, null, messagePart);
  }

  static Fix onlyFix(ParsedFixes parsed) {
    assertTrue(parsed.isValid(), () -> "unexpected errors " + parsed.errors());
    assertEquals(1, parsed.fixes().size());
    return parsed.fixes().get(0);
  }

  @Nested
  class Accepted {

    @Test
    void singleObjectWithRequiredFieldsOnly() {
      Fix f = onlyFix(parse("{\"ts\":" + NOW + ",\"lat\":52.52,\"lon\":13.405}"));
      assertEquals(Fix.of(NOW, 52.52, 13.405), f);
      assertNull(f.acc());
      assertNull(f.spd());
      assertNull(f.hdg());
      assertNull(f.alt());
      assertNull(f.bat());
    }

    @Test
    void singleObjectWithAllFields() {
      Fix f =
          onlyFix(
              parse(fixWith("\"acc\":4.5,\"spd\":3.2,\"hdg\":271.5,\"alt\":34.1,\"bat\":0.87")));
      assertEquals(new Fix(NOW, 52.52, 13.405, 4.5, 3.2, 271.5, 34.1, 0.87), f);
    }

    @Test
    void arrayKeepsPayloadOrder() {
      ParsedFixes parsed =
          parse("[" + fix(-1000, "") + "," + fix(-3000, "\"acc\":7") + "," + fix(-2000, "") + "]");
      assertTrue(parsed.isValid(), () -> parsed.errors().toString());
      assertEquals(
          List.of(NOW - 1000, NOW - 3000, NOW - 2000),
          parsed.fixes().stream().map(Fix::ts).toList());
      assertEquals(7.0, parsed.fixes().get(1).acc());
      assertNull(parsed.fixes().get(0).acc());
    }

    @Test
    void arrayWithOneElement() {
      ParsedFixes parsed = parse("[" + fix(0, "") + "]");
      assertEquals(List.of(Fix.of(NOW, 52.52, 13.405)), parsed.fixes());
    }

    @Test
    void integerCoordinatesAndOptionalsBecomeDoubles() {
      Fix f =
          onlyFix(
              parse(
                  "{\"ts\":"
                      + NOW
                      + ",\"lat\":52,\"lon\":-13,\"acc\":5,\"spd\":0,\"hdg\":90,\"alt\":-20,\"bat\":1}"));
      assertEquals(new Fix(NOW, 52.0, -13.0, 5.0, 0.0, 90.0, -20.0, 1.0), f);
    }

    @Test
    void jsonNullForOptionalFieldsMeansAbsent() {
      Fix f =
          onlyFix(
              parse(fixWith("\"acc\":null,\"spd\":null,\"hdg\":null,\"alt\":null,\"bat\":null")));
      assertEquals(Fix.of(NOW, 52.52, 13.405), f);
    }

    @Test
    void unknownKeysAreIgnored() {
      Fix f =
          onlyFix(
              parse(
                  fixWith(
                      "\"provider\":\"gps\",\"extras\":{\"sat\":9},\"list\":[1,2],\"flag\":true,\"n\":null,\"acc\":3")));
      assertEquals(new Fix(NOW, 52.52, 13.405, 3.0, null, null, null, null), f);
    }

    @Test
    void integralDoubleTimestampIsAccepted() {
      // 1.7642e12 == NOW, written as a floating-point literal
      Fix f = onlyFix(parse("{\"ts\":1.7642e12,\"lat\":1,\"lon\":2}"));
      assertEquals(NOW, f.ts());
      Fix g = onlyFix(parse("{\"ts\":1764200000000.0,\"lat\":1,\"lon\":2}"));
      assertEquals(NOW, g.ts());
    }

    @Test
    void surroundingWhitespaceIsFine() {
      Fix f = onlyFix(parse(" \n\t" + fix(0, "") + "\r\n "));
      assertEquals(NOW, f.ts());
    }

    @Test
    void negativeZeroPassesNonNegativeChecks() {
      Fix f = onlyFix(parse(fixWith("\"acc\":-0.0,\"spd\":-0.0,\"hdg\":-0.0,\"bat\":-0.0")));
      assertEquals(0.0, f.acc(), 0.0);
      assertEquals(0.0, f.bat(), 0.0);
    }

    @Test
    void byteArrayOverloadGivesTheSameResult() {
      String json = "[" + fix(-5, "\"hdg\":12") + "," + fix(-4, "") + "]";
      ParsedFixes fromBytes = PARSER.parse(json.getBytes(StandardCharsets.UTF_8), NOW);
      assertTrue(fromBytes.isValid());
      assertEquals(parse(json), fromBytes);
      assertEquals(2, fromBytes.fixes().size());
    }

    @Test
    void resultListsAreImmutable() {
      ParsedFixes parsed = parse(fix(0, ""));
      assertThrows(UnsupportedOperationException.class, () -> parsed.fixes().add(Fix.of(1, 1, 1)));
      assertThrows(
          UnsupportedOperationException.class,
          () -> parsed.errors().add(new FixError(0, "ts", "x")));
    }
  }

  @Nested
  class Boundaries {

    static Stream<Arguments> accepted() {
      return Stream.of(
          Arguments.of("lat", "90"),
          Arguments.of("lat", "-90"),
          Arguments.of("lat", "90.0"),
          Arguments.of("lat", "0"),
          Arguments.of("lon", "180"),
          Arguments.of("lon", "-180"),
          Arguments.of("lon", "179.9999"),
          Arguments.of("acc", "0"),
          Arguments.of("acc", "12000.5"),
          Arguments.of("spd", "0"),
          Arguments.of("spd", "83.3"),
          Arguments.of("hdg", "0"),
          Arguments.of("hdg", "360"),
          Arguments.of("hdg", "359.99"),
          Arguments.of("bat", "0"),
          Arguments.of("bat", "1"),
          Arguments.of("bat", "1.0"),
          Arguments.of("bat", "0.5"),
          Arguments.of("alt", "-430.5"),
          Arguments.of("alt", "8848.86"),
          Arguments.of("alt", "0"),
          Arguments.of("alt", "-1000"),
          Arguments.of("alt", "20000"),
          Arguments.of("acc", "100000"),
          Arguments.of("spd", "500"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("accepted")
    void acceptedValue(String field, String value) {
      Map<String, String> members =
          new LinkedHashMap<>(Map.of("ts", Long.toString(NOW), "lat", "10", "lon", "20"));
      members.put(field, value);
      StringBuilder json = new StringBuilder("{");
      members.forEach((k, v) -> json.append('"').append(k).append("\":").append(v).append(','));
      json.setLength(json.length() - 1);
      Fix f = onlyFix(parse(json.append('}').toString()));
      double expected = Double.parseDouble(value);
      double actual =
          switch (field) {
            case "lat" -> f.lat();
            case "lon" -> f.lon();
            case "acc" -> f.acc();
            case "spd" -> f.spd();
            case "hdg" -> f.hdg();
            case "bat" -> f.bat();
            case "alt" -> f.alt();
            default -> throw new IllegalArgumentException(field);
          };
      assertEquals(expected, actual, 0.0);
    }

    static Stream<Arguments> rejected() {
      return Stream.of(
          Arguments.of("lat", "90.0001", "must be between -90 and 90, got 90.0001"),
          Arguments.of("lat", "-90.0001", "must be between -90 and 90, got -90.0001"),
          Arguments.of("lat", "91.5", "must be between -90 and 90, got 91.5"),
          Arguments.of("lon", "180.0001", "must be between -180 and 180, got 180.0001"),
          Arguments.of("lon", "-181", "must be between -180 and 180, got -181"),
          Arguments.of("acc", "-0.5", "must be between 0 and 100000 (metres), got -0.5"),
          Arguments.of("acc", "100000.5", "must be between 0 and 100000 (metres), got 100000.5"),
          Arguments.of("spd", "-1", "must be between 0 and 500 (m/s), got -1"),
          Arguments.of("spd", "1e300", "must be between 0 and 500 (m/s), got 1.0E300"),
          Arguments.of("alt", "1e300", "must be between -1000 and 20000 (metres), got 1.0E300"),
          Arguments.of("alt", "-1000.5", "must be between -1000 and 20000 (metres), got -1000.5"),
          Arguments.of("alt", "20000.5", "must be between -1000 and 20000 (metres), got 20000.5"),
          Arguments.of("hdg", "360.01", "must be between 0 and 360, got 360.01"),
          Arguments.of("hdg", "-0.1", "must be between 0 and 360, got -0.1"),
          Arguments.of("bat", "1.01", "must be between 0 and 1, got 1.01"),
          Arguments.of("bat", "-0.01", "must be between 0 and 1, got -0.01"),
          Arguments.of("bat", "87", "must be between 0 and 1, got 87"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("rejected")
    void rejectedValue(String field, String value, String message) {
      String json =
          field.equals("lat") || field.equals("lon")
              ? "{\"ts\":"
                  + NOW
                  + ",\""
                  + (field.equals("lat") ? "lon" : "lat")
                  + "\":1,\""
                  + field
                  + "\":"
                  + value
                  + "}"
              : fixWith("\"" + field + "\":" + value);
      FixError e = assertOnlyError(parse(json), 0, field, message);
      assertEquals(message, e.message());
    }

    @Test
    void errorToStringMatchesTheDocumentedForm() {
      ParsedFixes parsed =
          parse(
              "["
                  + fix(-2, "")
                  + ","
                  + fix(-1, "")
                  + ","
                  + fix(0, "")
                  + ","
                  + "{\"ts\":"
                  + (NOW + 1)
                  + ",\"lat\":91.5,\"lon\":0}]");
      FixError e = assertOnlyError(parsed, 3, "lat", "91.5");
      assertEquals("fix[3].lat: must be between -90 and 90, got 91.5", e.toString());
    }
  }

  @Nested
  class Timestamps {

    final FixLimits limits = new FixLimits(10, 1_000, 5_000);
    final FixPayloadParser parser = new FixPayloadParser(limits);

    ParsedFixes at(long ts) {
      return parser.parse(Buffer.buffer("{\"ts\":" + ts + ",\"lat\":1,\"lon\":1}"), NOW);
    }

    @Test
    void exactlyMaxAheadIsAccepted() {
      assertEquals(NOW + 1_000, onlyFix(at(NOW + 1_000)).ts());
    }

    @Test
    void beyondMaxAheadIsRejected() {
      FixError e = assertOnlyError(at(NOW + 1_001), 0, "ts", "ahead");
      assertEquals("is 1001 ms ahead of server time; at most 1000 allowed", e.message());
    }

    @Test
    void exactlyMaxBehindIsAccepted() {
      assertEquals(NOW - 5_000, onlyFix(at(NOW - 5_000)).ts());
    }

    @Test
    void beyondMaxBehindIsRejected() {
      FixError e = assertOnlyError(at(NOW - 5_001), 0, "ts", "behind");
      assertEquals("is 5001 ms behind server time; at most 5000 allowed", e.message());
    }

    @Test
    void equalToServerTimeIsAccepted() {
      assertEquals(NOW, onlyFix(at(NOW)).ts());
    }

    @Test
    void defaultLimitsAllowSevenDaysBehindAndFiveMinutesAhead() {
      long week = 7 * 24 * 3600_000L;
      assertTrue(PARSER.parse(Buffer.buffer(fix(-week, "")), NOW).isValid());
      assertOnlyError(
          PARSER.parse(Buffer.buffer(fix(-week - 1, "")), NOW), 0, "ts", "behind server time");
      assertTrue(PARSER.parse(Buffer.buffer(fix(300_000, "")), NOW).isValid());
      assertOnlyError(
          PARSER.parse(Buffer.buffer(fix(300_001, "")), NOW), 0, "ts", "ahead of server time");
    }

    @Test
    void extremeLongValuesDoNotOverflow() {
      FixError low = assertOnlyError(at(Long.MIN_VALUE), 0, "ts", "behind");
      assertEquals(
          "is "
              + BigInteger.valueOf(NOW).subtract(BigInteger.valueOf(Long.MIN_VALUE))
              + " ms behind server time; at most 5000 allowed",
          low.message());
      FixError high = assertOnlyError(at(Long.MAX_VALUE), 0, "ts", "ahead");
      assertTrue(high.message().startsWith("is " + (Long.MAX_VALUE - NOW) + " ms"), high.message());
      FixError overflow =
          assertOnlyError(
              parser.parse(
                  Buffer.buffer("{\"ts\":" + Long.MAX_VALUE + ",\"lat\":1,\"lon\":1}"), -10),
              0,
              "ts",
              "ahead");
      assertTrue(
          overflow.message().startsWith("is 9223372036854775817 ms ahead"), overflow.message());
    }

    @Test
    void fractionalTimestampIsRejected() {
      FixError e =
          assertOnlyError(
              parse("{\"ts\":1764200000000.5,\"lat\":1,\"lon\":1}"), 0, "ts", "integer");
      assertEquals("must be an integer (epoch milliseconds), got 1764200000000.5", e.message());
    }

    @Test
    void stringTimestampIsRejected() {
      FixError e =
          assertOnlyError(
              parse("{\"ts\":\"1764200000000\",\"lat\":1,\"lon\":1}"), 0, "ts", "must be a number");
      assertTrue(e.message().endsWith("got string"), e.message());
    }

    @Test
    void timestampBeyondLongRangeIsRejected() {
      FixError e =
          assertOnlyError(
              parse("{\"ts\":99999999999999999999,\"lat\":1,\"lon\":1}"), 0, "ts", "out of range");
      assertTrue(e.message().contains("99999999999999999999"), e.message());
      assertOnlyError(parse("{\"ts\":1e19,\"lat\":1,\"lon\":1}"), 0, "ts", "out of range");
    }

    @Test
    void infiniteTimestampIsReportedAsNotFinite() {
      assertOnlyError(
          parse("{\"ts\":1e400,\"lat\":1,\"lon\":1}"),
          0,
          "ts",
          "must be a finite number, got Infinity");
    }

    @Test
    void missingAndNullTimestamp() {
      assertEquals(
          "is required",
          assertOnlyError(parse("{\"lat\":1,\"lon\":1}"), 0, "ts", "required").message());
      assertEquals(
          "is required, got null",
          assertOnlyError(parse("{\"ts\":null,\"lat\":1,\"lon\":1}"), 0, "ts", "required")
              .message());
    }
  }

  @Nested
  class InvalidFields {

    static Stream<Arguments> wrongTypes() {
      List<Arguments> out = new ArrayList<>();
      for (String field : List.of("lat", "lon", "acc", "spd", "hdg", "alt", "bat")) {
        out.add(Arguments.of(field, "\"12\"", "string"));
        out.add(Arguments.of(field, "true", "boolean"));
        out.add(Arguments.of(field, "{\"v\":1}", "object"));
        out.add(Arguments.of(field, "[1]", "array"));
      }
      out.add(Arguments.of("ts", "false", "boolean"));
      out.add(Arguments.of("ts", "{}", "object"));
      out.add(Arguments.of("ts", "[" + NOW + "]", "array"));
      return out.stream();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypes")
    void wrongTypeIsReportedWithTheTypeReceived(String field, String value, String type) {
      Map<String, String> members = new LinkedHashMap<>();
      members.put("ts", Long.toString(NOW));
      members.put("lat", "1");
      members.put("lon", "2");
      members.put(field, value);
      StringBuilder json = new StringBuilder("{");
      members.forEach((k, v) -> json.append('"').append(k).append("\":").append(v).append(','));
      json.setLength(json.length() - 1);
      FixError e =
          assertOnlyError(parse(json.append('}').toString()), 0, field, "must be a number");
      assertTrue(e.message().endsWith(", got " + type), e.message());
    }

    @Test
    void missingCoordinates() {
      FixError lat =
          assertOnlyError(parse("{\"ts\":" + NOW + ",\"lon\":1}"), 0, "lat", "is required");
      assertEquals("is required", lat.message());
      assertOnlyError(parse("{\"ts\":" + NOW + ",\"lat\":1}"), 0, "lon", "is required");
      assertOnlyError(
          parse("{\"ts\":" + NOW + ",\"lat\":null,\"lon\":1}"), 0, "lat", "is required, got null");
    }

    @Test
    void emptyObjectReportsEveryRequiredField() {
      ParsedFixes parsed = parse("{}");
      assertTrue(parsed.fixes().isEmpty());
      assertEquals(
          List.of(
              new FixError(0, "ts", "is required"),
              new FixError(0, "lat", "is required"),
              new FixError(0, "lon", "is required")),
          parsed.errors());
    }

    @Test
    void allErrorsOfOneFixAreCollected() {
      ParsedFixes parsed =
          parse(
              "{\"ts\":\"x\",\"lat\":91.5,\"lon\":\"e\",\"acc\":-1,\"spd\":-2,\"hdg\":361,"
                  + "\"alt\":\"high\",\"bat\":2}");
      assertTrue(parsed.fixes().isEmpty());
      assertEquals(
          List.of("ts", "lat", "lon", "acc", "spd", "hdg", "alt", "bat"),
          parsed.errors().stream().map(FixError::field).toList());
      assertTrue(parsed.errors().stream().allMatch(e -> e.index() == 0));
    }

    @Test
    void errorsAcrossFixesAreOrderedByIndexAndRefuseEverything() {
      ParsedFixes parsed =
          parse(
              "["
                  + fix(-3, "")
                  + ",{\"ts\":"
                  + (NOW - 2)
                  + ",\"lat\":100,\"lon\":1},"
                  + fix(-1, "")
                  + ",{\"ts\":"
                  + NOW
                  + ",\"lat\":1,\"lon\":1,\"hdg\":-5,\"bat\":\"full\"}]");
      assertFalse(parsed.isValid());
      assertTrue(parsed.fixes().isEmpty(), "nothing may be partially accepted");
      assertEquals(
          List.of(
              new FixError(1, "lat", "must be between -90 and 90, got 100"),
              new FixError(3, "hdg", "must be between 0 and 360, got -5"),
              new FixError(3, "bat", "must be a number, got string")),
          parsed.errors());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lat", "lon", "acc", "spd", "hdg", "alt", "bat"})
    void hugeNumberIsReportedAsNotFinite(String field) {
      String member = "\"" + field + "\":1e400";
      String payload =
          switch (field) {
            case "lat" -> "{\"ts\":" + NOW + ",\"lon\":1," + member + "}";
            case "lon" -> "{\"ts\":" + NOW + ",\"lat\":1," + member + "}";
            default -> fixWith(member);
          };
      FixError e = assertOnlyError(parse(payload), 0, field, "finite");
      assertEquals("must be a finite number, got Infinity", e.message());
    }

    @Test
    void negativeHugeNumberIsReportedAsNotFinite() {
      FixError e = assertOnlyError(parse(fixWith("\"alt\":-1e400")), 0, "alt", "finite");
      assertEquals("must be a finite number, got -Infinity", e.message());
    }

    @Test
    void hugeIntegerLiteralIsReportedAsNotFiniteWithBoundedText() {
      String digits = "1" + "0".repeat(400);
      FixError e =
          assertOnlyError(
              parse("{\"ts\":" + NOW + ",\"lat\":" + digits + ",\"lon\":1}"), 0, "lat", "finite");
      assertTrue(e.message().length() < 120, e.message());
      assertTrue(e.message().contains("401 chars"), e.message());
    }

    @Test
    void tinyNumberUnderflowsToZeroAndIsAccepted() {
      Fix f = onlyFix(parse(fixWith("\"acc\":1e-400")));
      assertEquals(0.0, f.acc(), 0.0);
    }
  }

  @Nested
  class Payload {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n", " \t\r\n "})
    void blankPayloadIsEmpty(String payload) {
      FixError e = assertPayloadError(parse(payload), "payload is empty");
      assertEquals("payload is empty", e.message());
      assertEquals("payload: payload is empty", e.toString());
    }

    @Test
    void nullAndEmptyBytesAreEmpty() {
      assertPayloadError(PARSER.parse((Buffer) null, NOW), "payload is empty");
      assertPayloadError(PARSER.parse((byte[]) null, NOW), "payload is empty");
      assertPayloadError(PARSER.parse(new byte[0], NOW), "payload is empty");
      assertPayloadError(PARSER.parse(Buffer.buffer(), NOW), "payload is empty");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{",
          "[",
          "}",
          "[1,2",
          "{\"ts\":1,}",
          "{\"ts\" 1}",
          "nul",
          "{'ts':1}",
          "{} {}",
          "[] x",
          "{\"lat\":NaN}",
          "{\"lat\":Infinity}",
          "{\"lat\":-Infinity}",
          "{\"ts\":01}",
          "{\"ts\":1764200000000",
          "\"unterminated",
          "[{\"ts\":1},]",
          "{\"a\":\"\\x\"}",
          "/* only a comment */",
          "{ts:1}"
        })
    void malformedJsonIsOnePayloadError(String payload) {
      FixError e = assertPayloadError(parse(payload), "malformed JSON: ");
      assertTrue(e.message().startsWith("malformed JSON: "), e.message());
      assertTrue(e.message().length() > "malformed JSON: ".length() + 3, e.message());
      assertTrue(e.message().length() < 300, e.message());
      assertFalse(e.message().contains("\n"), e.message());
      assertFalse(e.message().contains("Source: "), e.message());
    }

    @Test
    void malformedJsonReasonNamesTheLocation() {
      FixError e = assertPayloadError(parse("{\"ts\":1,}"), "malformed JSON");
      assertTrue(e.message().contains("line 1, column 9"), e.message());
    }

    @Test
    void deeplyNestedArraysAreMalformedNotACrash() {
      assertPayloadError(parse("[".repeat(100_000)), "malformed JSON: ");
      assertPayloadError(parse("[".repeat(5_000) + "]".repeat(5_000)), "malformed JSON: ");
    }

    @Test
    void overlongNumberIsMalformedNotACrash() {
      assertPayloadError(
          parse("{\"ts\":" + "9".repeat(5_000) + ",\"lat\":1,\"lon\":1}"), "malformed JSON: ");
    }

    @Test
    void invalidUtf8IsMalformed() {
      byte[] bytes = {'{', '"', 'a', '"', ':', (byte) 0xC3, (byte) 0x28, '}'};
      assertPayloadError(PARSER.parse(bytes, NOW), "malformed JSON: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "1.5", "\"fix\"", "true", "null"})
    void scalarPayloadIsRefused(String payload) {
      FixError e =
          assertPayloadError(parse(payload), "must be a JSON object or an array of JSON objects");
      String type =
          switch (payload) {
            case "42", "1.5" -> "number";
            case "\"fix\"" -> "string";
            case "true" -> "boolean";
            default -> "null";
          };
      assertTrue(e.message().endsWith("got " + type), e.message());
    }

    @Test
    void emptyArrayHasNoFixes() {
      FixError e = assertPayloadError(parse("[ ]"), "no fixes in payload");
      assertEquals("no fixes in payload", e.message());
    }

    @Test
    void nonObjectElementsAreReportedAtTheirIndex() {
      ParsedFixes parsed = parse("[" + fix(-1, "") + ",1,\"x\",null,[],true," + fix(0, "") + "]");
      assertTrue(parsed.fixes().isEmpty());
      assertEquals(
          List.of(
              new FixError(1, null, "must be a JSON object, got number"),
              new FixError(2, null, "must be a JSON object, got string"),
              new FixError(3, null, "must be a JSON object, got null"),
              new FixError(4, null, "must be a JSON object, got array"),
              new FixError(5, null, "must be a JSON object, got boolean")),
          parsed.errors());
      assertEquals("fix[1]: must be a JSON object, got number", parsed.errors().get(0).toString());
    }

    @Test
    void moreFixesThanTheLimitIsOnePayloadErrorWithoutElementChecks() {
      FixPayloadParser parser = new FixPayloadParser(new FixLimits(3, 1000, 1000));
      // the elements are invalid too: they must not be looked at
      FixError e = assertPayloadError(parser.parse(Buffer.buffer("[{},{},1,{}]"), NOW), "4");
      assertEquals("payload has 4 fixes; at most 3 allowed", e.message());
    }

    @Test
    void exactlyTheLimitIsAccepted() {
      FixPayloadParser parser = new FixPayloadParser(new FixLimits(3, 1000, 1000));
      ParsedFixes parsed =
          parser.parse(
              Buffer.buffer("[" + fix(-2, "") + "," + fix(-1, "") + "," + fix(0, "") + "]"), NOW);
      assertTrue(parsed.isValid(), () -> parsed.errors().toString());
      assertEquals(3, parsed.fixes().size());
    }

    @Test
    void defaultLimitAllowsAThousandFixes() {
      ParsedFixes ok = parse(arrayOf(1000, 0));
      assertTrue(ok.isValid(), () -> ok.errors().toString());
      assertEquals(1000, ok.fixes().size());
      assertEquals(NOW - 999, ok.fixes().get(999).ts());
      assertPayloadError(parse(arrayOf(1001, 0)), "payload has 1001 fixes; at most 1000 allowed");
    }
  }

  /** n valid fixes with ts NOW, NOW-1, ...; the fix at dupAt (if > 0) repeats the ts of fix 0. */
  static String arrayOf(int n, int dupAt) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(',');
      sb.append(fix(i == dupAt && i > 0 ? 0 : -i, ""));
    }
    return sb.append(']').toString();
  }

  @Nested
  class Duplicates {

    @Test
    void duplicateTimestampIsReportedAtTheLaterIndex() {
      ParsedFixes parsed =
          parse("[" + fix(-5, "") + "," + fix(-9, "") + "," + fix(-5, "\"acc\":3") + "]");
      FixError e = assertOnlyError(parsed, 2, "ts", "fix[0]");
      assertEquals("duplicate ts " + (NOW - 5) + ", already used by fix[0]", e.message());
    }

    @Test
    void everyRepeatNamesTheFirstOccurrence() {
      ParsedFixes parsed =
          parse(
              "[" + fix(-1, "") + "," + fix(-1, "") + "," + fix(-2, "") + "," + fix(-1, "") + "]");
      assertEquals(2, parsed.errors().size(), parsed.errors().toString());
      assertEquals(1, parsed.errors().get(0).index());
      assertEquals(3, parsed.errors().get(1).index());
      assertTrue(
          parsed.errors().stream()
              .allMatch(e -> "ts".equals(e.field()) && e.message().contains("fix[0]")));
      assertTrue(parsed.fixes().isEmpty());
    }

    @Test
    void duplicateInALargePayload() {
      ParsedFixes parsed = parse(arrayOf(500, 321));
      FixError e = assertOnlyError(parsed, 321, "ts", "fix[0]");
      assertTrue(e.message().contains(Long.toString(NOW)), e.message());
    }

    @Test
    void largePayloadWithoutDuplicatesIsAccepted() {
      ParsedFixes parsed = parse(arrayOf(17, 0));
      assertTrue(parsed.isValid(), () -> parsed.errors().toString());
      assertEquals(17, parsed.fixes().size());
    }

    @Test
    void duplicateErrorFollowsTheFieldErrorsOfItsFix() {
      ParsedFixes parsed =
          parse(
              "["
                  + fix(0, "")
                  + ",{\"ts\":"
                  + NOW
                  + ",\"lat\":1,\"lon\":500},"
                  + fix(-1, "")
                  + "]");
      assertEquals(
          List.of(
              new FixError(1, "lon", "must be between -180 and 180, got 500"),
              new FixError(1, "ts", "duplicate ts " + NOW + ", already used by fix[0]")),
          parsed.errors());
    }

    @Test
    void integralDoubleAndIntegerTimestampsAreTheSameTimestamp() {
      ParsedFixes parsed =
          parse(
              "[{\"ts\":1764200000000,\"lat\":1,\"lon\":1},{\"ts\":1.7642e12,\"lat\":2,\"lon\":2}]");
      assertOnlyError(parsed, 1, "ts", "already used by fix[0]");
    }

    @Test
    void invalidTimestampsAreNotComparedForDuplicates() {
      ParsedFixes parsed =
          parse("[{\"ts\":\"a\",\"lat\":1,\"lon\":1},{\"ts\":\"a\",\"lat\":1,\"lon\":1}]");
      assertEquals(List.of(0, 1), parsed.errors().stream().map(FixError::index).toList());
      assertTrue(parsed.errors().stream().noneMatch(e -> e.message().contains("duplicate")));
    }

    @Test
    void sameTimestampInSeparatePayloadsIsFine() {
      assertTrue(parse(fix(0, "")).isValid());
      assertTrue(parse("[" + fix(0, "") + "]").isValid());
    }
  }

  @Nested
  class DecodedValues {

    @Test
    void bigDecimalAndOtherNumberTypesAreHandled() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ts", new BigDecimal("1764200000000.000"));
      m.put("lat", new BigDecimal("45.25"));
      m.put("lon", BigInteger.valueOf(7));
      m.put("acc", 3.5f);
      m.put("spd", (short) 2);
      m.put("hdg", (byte) 10);
      m.put("alt", 12L);
      m.put("bat", new BigDecimal("0.5"));
      ParsedFixes parsed = PARSER.parseDecoded(new JsonObject(m), NOW);
      assertEquals(new Fix(NOW, 45.25, 7.0, 3.5, 2.0, 10.0, 12.0, 0.5), onlyFix(parsed));
    }

    @Test
    void bigDecimalTimestampThatIsFractionalOrHugeIsRejected() {
      JsonObject frac =
          new JsonObject()
              .put("ts", new BigDecimal("1764200000000.25"))
              .put("lat", 1)
              .put("lon", 1);
      assertOnlyError(
          PARSER.parseDecoded(frac, NOW),
          0,
          "ts",
          "must be an integer (epoch milliseconds), got 1764200000000.25");
      JsonObject huge =
          new JsonObject().put("ts", new BigDecimal("1E+1000000")).put("lat", 1).put("lon", 1);
      assertOnlyError(PARSER.parseDecoded(huge, NOW), 0, "ts", "out of range");
      JsonObject bigInt =
          new JsonObject().put("ts", BigInteger.valueOf(NOW)).put("lat", 1).put("lon", 1);
      assertEquals(NOW, onlyFix(PARSER.parseDecoded(bigInt, NOW)).ts());
    }

    @Test
    void hugeBigDecimalCoordinateIsNotFinite() {
      JsonObject o =
          new JsonObject().put("ts", NOW).put("lat", new BigDecimal("1E+400")).put("lon", 1);
      assertOnlyError(PARSER.parseDecoded(o, NOW), 0, "lat", "must be a finite number, got 1E+400");
    }

    @Test
    void decodedArrayOfJsonObjects() {
      JsonArray arr =
          new JsonArray().add(Fix.of(NOW - 1, 1, 2).toJson()).add(Fix.of(NOW, 3, 4).toJson());
      ParsedFixes parsed = PARSER.parseDecoded(arr, NOW);
      assertEquals(List.of(Fix.of(NOW - 1, 1, 2), Fix.of(NOW, 3, 4)), parsed.fixes());
    }

    @Test
    void doubleValuesAreNotCopied() {
      Double acc = 12.75;
      JsonObject o =
          new JsonObject().put("ts", NOW).put("lat", 1.0).put("lon", 1.0).put("acc", acc);
      assertSame(acc, onlyFix(PARSER.parseDecoded(o, NOW)).acc());
    }
  }

  @Nested
  class RoundTrip {

    @Test
    void fullFixSurvivesToJsonAndBack() {
      Fix original = new Fix(NOW - 60_000, -33.8688, 151.2093, 3.9, 12.4, 359.5, -12.25, 0.42);
      assertEquals(original, onlyFix(PARSER.parse(original.toJson().toBuffer(), NOW)));
    }

    @Test
    void minimalFixSurvivesToJsonAndBack() {
      Fix original = Fix.of(NOW, 0.5, -0.25);
      assertEquals(original, onlyFix(PARSER.parse(original.toJson().toBuffer(), NOW)));
    }

    @Test
    void negativeZeroReadsAsZero() {
      Fix back = onlyFix(PARSER.parse(Fix.of(NOW, 0.0, -0.0).toJson().toBuffer(), NOW));
      assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(back.lon()));
    }

    @Test
    void magnitudesBelowDynamoDbsRangeReadAsZero() {
      Fix back =
          onlyFix(
              parse(
                  "{\"ts\":"
                      + NOW
                      + ",\"lat\":1e-200,\"lon\":-1e-131,\"acc\":4.9e-324,"
                      + "\"spd\":1e-130,\"hdg\":2.5e-150,\"alt\":-1e-300,\"bat\":1e-129}"));
      assertEquals(new Fix(NOW, 0, 0, 0.0, 1e-130, 0.0, 0.0, 1e-129), back);
    }

    @Test
    void arrayOfFixesSurvivesToJsonAndBack() {
      List<Fix> fixes =
          List.of(
              new Fix(NOW - 2, 90, 180, 0.0, null, 360.0, null, 1.0),
              new Fix(NOW - 1, -90, -180, null, 0.0, 0.0, 1e4, 0.0),
              Fix.of(NOW, 1e-7, -1e-7));
      JsonArray arr = new JsonArray();
      fixes.forEach(f -> arr.add(f.toJson()));
      ParsedFixes parsed = PARSER.parse(arr.toBuffer().getBytes(), NOW);
      assertEquals(fixes, parsed.fixes());
    }

    @Test
    void errorsRenderAsJson() {
      ParsedFixes parsed = parse("[" + fix(0, "") + ",{\"ts\":" + NOW + ",\"lat\":95,\"lon\":1}]");
      JsonArray json = FixJson.errorsToJson(parsed.errors());
      assertEquals(
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("index", 1)
                      .put("field", "lat")
                      .put("message", "must be between -90 and 90, got 95"))
              .add(
                  new JsonObject()
                      .put("index", 1)
                      .put("field", "ts")
                      .put("message", "duplicate ts " + NOW + ", already used by fix[0]")),
          json);
    }
  }

  @Test
  void parserIsSafeToShareBetweenThreads() throws Exception {
    int threads = 8;
    String good = arrayOf(50, 0);
    String bad = arrayOf(50, 25);
    ParsedFixes expectedGood = parse(good);
    ParsedFixes expectedBad = parse(bad);
    assertTrue(expectedGood.isValid());
    assertFalse(expectedBad.isValid());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Boolean> task =
            () -> {
              start.await();
              for (int i = 0; i < 200; i++) {
                if (!PARSER.parse(Buffer.buffer(good), NOW).equals(expectedGood)) return false;
                if (!PARSER.parse(Buffer.buffer(bad), NOW).equals(expectedBad)) return false;
              }
              return true;
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Boolean> r : results) assertTrue(r.get(60, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void constructorRejectsNullLimits() {
    assertThrows(NullPointerException.class, () -> new FixPayloadParser(null));
    assertSame(FixLimits.DEFAULTS, PARSER.limits());
  }
}
