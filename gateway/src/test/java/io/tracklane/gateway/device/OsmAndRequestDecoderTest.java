package io.tracklane.gateway.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.fix.FixError;
import io.tracklane.core.fix.FixLimits;
import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.core.fix.ParsedFixes;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OsmAnd protocol as Traccar Client sends it (our own fixtures, written from the protocol's
 * public description): query/form parameters and the 9.x JSON body.
 */
class OsmAndRequestDecoderTest {
  static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  static final FixPayloadParser PARSER = new FixPayloadParser(FixLimits.DEFAULTS);
  static final String KEY = "k".repeat(43);

  static Map<String, String> params(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  static Fix valid(DecodedFix d) {
    ParsedFixes p = d.validate(PARSER, NOW);
    assertTrue(p.isValid(), () -> p.errors().toString());
    return p.fixes().get(0);
  }

  static FixError onlyError(DecodedFix d) {
    ParsedFixes p = d.validate(PARSER, NOW);
    assertEquals(1, p.errors().size(), () -> p.errors().toString());
    return p.errors().get(0);
  }

  @Test
  void queryParametersAreConvertedToOurUnits() {
    var r =
        OsmAndRequestDecoder.fromParams(
            params(
                "id",
                KEY,
                "lat",
                "31.2304",
                "lon",
                "121.4737",
                "timestamp",
                "1772366390",
                "speed",
                "10",
                "bearing",
                "271.5",
                "altitude",
                "12.5",
                "accuracy",
                "8",
                "batt",
                "80",
                "hdop",
                "1.2",
                "charge",
                "false"),
            NOW);
    assertEquals(KEY, r.key());
    Fix f = valid(r.fix());
    assertEquals(1772366390_000L, f.ts());
    assertEquals(31.2304, f.lat());
    assertEquals(121.4737, f.lon());
    assertEquals(5.144, f.spd(), 0.001, "10 knots");
    assertEquals(271.5, f.hdg());
    assertEquals(12.5, f.alt());
    assertEquals(8.0, f.acc());
    assertEquals(0.8, f.bat(), 1e-12, "80 %");
  }

  @Test
  void deviceidLocationAndHeadingAreAlternatives() {
    var r =
        OsmAndRequestDecoder.fromParams(
            params("deviceid", KEY, "location", "31.5,121.25", "heading", "90"), NOW);
    assertEquals(KEY, r.key());
    Fix f = valid(r.fix());
    assertEquals(31.5, f.lat());
    assertEquals(121.25, f.lon());
    assertEquals(90.0, f.hdg());
    assertEquals(NOW, f.ts(), "no timestamp: the time of receipt");
  }

  @Test
  void everyTimestampFormat() {
    long expected = Instant.parse("2026-03-01T11:59:50Z").toEpochMilli();
    for (String ts :
        new String[] {
          "1772366390",
          "1772366390000",
          "2026-03-01T11:59:50Z",
          "2026-03-01T19:59:50+08:00",
          "2026-03-01T11:59:50.000Z",
          "2026-03-01 11:59:50",
          "2026-03-01T11:59:50"
        }) {
      var r = OsmAndRequestDecoder.fromParams(params("lat", "1", "lon", "2", "timestamp", ts), NOW);
      assertEquals(expected, valid(r.fix()).ts(), ts);
    }
  }

  @Test
  void badFieldsAreNamedAsTheAppSentThem() {
    FixError e =
        onlyError(
            OsmAndRequestDecoder.fromParams(params("id", KEY, "lat", "abc", "lon", "2"), NOW)
                .fix());
    assertEquals("lat", e.field());
    assertTrue(e.message().contains("'abc'"), e.message());

    e =
        onlyError(
            OsmAndRequestDecoder.fromParams(params("lat", "1", "lon", "2", "speed", "2000"), NOW)
                .fix());
    assertEquals("speed", e.field(), "range checked after conversion, named as sent");

    e =
        onlyError(
            OsmAndRequestDecoder.fromParams(params("lat", "1", "lon", "2", "batt", "180"), NOW)
                .fix());
    assertEquals("batt", e.field());

    e =
        onlyError(
            OsmAndRequestDecoder.fromParams(
                    params("lat", "1", "lon", "2", "timestamp", "yesterday"), NOW)
                .fix());
    assertEquals("timestamp", e.field());

    e =
        onlyError(
            OsmAndRequestDecoder.fromParams(
                    params("lat", "1", "lon", "2", "timestamp", "1000000000"), NOW)
                .fix());
    assertEquals("timestamp", e.field(), "2001 is outside the accepted window");

    e = onlyError(OsmAndRequestDecoder.fromParams(params("lat", "1"), NOW).fix());
    assertEquals("lon", e.field());
    assertEquals("is required", e.message());

    e = onlyError(OsmAndRequestDecoder.fromParams(params("location", "1;2"), NOW).fix());
    assertEquals("location", e.field());

    e = onlyError(OsmAndRequestDecoder.fromParams(params("lat", "0x1p3", "lon", "2"), NOW).fix());
    assertEquals("lat", e.field(), "hexadecimal floats are not decimal numbers");
  }

  @Test
  void traccarClient9Json() {
    JsonObject body =
        new JsonObject(
            """
            {"location": {"timestamp": "2026-03-01T11:59:50.000Z",
              "coords": {"latitude": 31.2304, "longitude": 121.4737, "accuracy": 6.5,
                         "speed": 5.0, "heading": 42.0, "altitude": 20.0},
              "is_moving": true, "odometer": 1234.5, "event": "motionchange",
              "battery": {"level": 0.8, "is_charging": false},
              "activity": {"type": "on_bicycle"}, "extras": {}},
             "device_id": "%s"}
            """
                .formatted(KEY));
    var r = OsmAndRequestDecoder.fromJson(body, NOW);
    assertEquals(KEY, r.key());
    Fix f = valid(r.fix());
    assertEquals(Instant.parse("2026-03-01T11:59:50Z").toEpochMilli(), f.ts());
    assertEquals(5.0, f.spd(), "m/s in the JSON form");
    assertEquals(0.8, f.bat());
    assertEquals(6.5, f.acc());
    assertEquals(42.0, f.hdg());
    assertEquals(20.0, f.alt());
  }

  @Test
  void jsonUnknownSpeedAndHeadingAreLeftOut() {
    JsonObject body =
        new JsonObject()
            .put(
                "location",
                new JsonObject()
                    .put("timestamp", "2026-03-01T11:59:50Z")
                    .put(
                        "coords",
                        new JsonObject()
                            .put("latitude", 1.0)
                            .put("longitude", 2.0)
                            .put("speed", -1)
                            .put("heading", -1)));
    var r = OsmAndRequestDecoder.fromJson(body, NOW);
    assertNull(r.key());
    Fix f = valid(r.fix());
    assertNull(f.spd());
    assertNull(f.hdg());
  }

  @Test
  void jsonBadFieldsAreNamedByTheirPath() {
    JsonObject body =
        new JsonObject(
            "{\"device_id\":\"x\",\"location\":{\"timestamp\":\"2026-03-01T11:59:50Z\","
                + "\"coords\":{\"latitude\":\"north\",\"longitude\":2}}}");
    FixError e = onlyError(OsmAndRequestDecoder.fromJson(body, NOW).fix());
    assertEquals("location.coords.latitude", e.field());
    assertFalse(
        OsmAndRequestDecoder.fromJson(new JsonObject().put("device_id", "x"), NOW)
            .fix()
            .decodingErrors()
            .isEmpty());
  }
}
