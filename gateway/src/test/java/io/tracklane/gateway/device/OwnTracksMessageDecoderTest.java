package io.tracklane.gateway.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.fix.FixLimits;
import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.core.fix.ParsedFixes;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** OwnTracks JSON messages (our own fixtures, from the app's published message format). */
class OwnTracksMessageDecoderTest {
  static final long NOW = 1_772_366_400_000L;
  static final FixPayloadParser PARSER = new FixPayloadParser(FixLimits.DEFAULTS);

  static OwnTracksMessageDecoder.Message decode(String json) {
    return OwnTracksMessageDecoder.decode(Buffer.buffer(json));
  }

  @Test
  void aLocationBecomesAFixInOurUnits() {
    var m =
        decode(
            "{\"_type\":\"location\",\"tid\":\"ab\",\"lat\":31.2304,\"lon\":121.4737,"
                + "\"tst\":1772366390,\"vel\":18,\"cog\":270,\"alt\":12,\"acc\":9,\"batt\":80,"
                + "\"bs\":1,\"conn\":\"m\",\"t\":\"u\",\"topic\":\"owntracks/u/d\",\"created_at\":1772366391}");
    assertTrue(m.isLocation());
    assertFalse(m.failed());
    ParsedFixes p = m.fix().validate(PARSER, NOW);
    assertTrue(p.isValid(), () -> p.errors().toString());
    Fix f = p.fixes().get(0);
    assertEquals(1772366390_000L, f.ts());
    assertEquals(5.0, f.spd(), 1e-12, "18 km/h");
    assertEquals(0.8, f.bat(), 1e-12, "80 %");
    assertEquals(270.0, f.hdg());
    assertEquals(12.0, f.alt());
    assertEquals(9.0, f.acc());
  }

  @Test
  void otherTypesAreRecognisedAndNotFixes() {
    for (String type :
        new String[] {"transition", "waypoint", "waypoints", "lwt", "status", "card", "steps"}) {
      var m = decode("{\"_type\":\"" + type + "\",\"tst\":1}");
      assertFalse(m.isLocation(), type);
      assertFalse(m.failed(), type);
      assertEquals(type, m.type());
    }
  }

  @Test
  void badMessagesNameTheirField() {
    var m = decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1772366390.5}");
    assertTrue(m.failed());
    assertEquals("tst", m.fix().decodingErrors().get(0).field());

    m = decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2}");
    assertEquals("tst", m.fix().decodingErrors().get(0).field());

    m = decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1772366390,\"vel\":\"fast\"}");
    assertEquals("vel", m.fix().decodingErrors().get(0).field());

    m = decode("{\"_type\":\"location\",\"lat\":1,\"lon\":2,\"tst\":1772366390,\"batt\":150}");
    assertFalse(m.failed(), "decodes; the range is checked by validation");
    assertEquals("batt", m.fix().validate(PARSER, NOW).errors().get(0).field());

    assertTrue(decode("{\"lat\":1}").failed(), "no _type");
    assertTrue(decode("not json").failed());
    assertTrue(decode("[]").failed());
    assertTrue(decode("{\"_type\":\"encrypted\",\"data\":\"abc\"}").failed());
  }
}
