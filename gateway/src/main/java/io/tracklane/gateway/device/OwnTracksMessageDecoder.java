package io.tracklane.gateway.device;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Decodes one OwnTracks JSON message (MQTT payload or HTTP body). Pure. A {@code _type: location}
 * becomes a fix: {@code tst} epoch seconds → ms, {@code vel} km/h → m/s, {@code batt} % → 0..1,
 * {@code cog} → heading, {@code alt}, {@code acc}. Every other {@code _type} (transition,
 * waypoint(s), lwt, status, card, steps, ...) is recognised and ignored; {@code encrypted} is
 * refused, since the gateway holds no shared secret to decrypt it.
 */
public final class OwnTracksMessageDecoder {
  /** km/h per m/s: {@code vel} is divided by it. */
  public static final double KMH_PER_MPS = 3.6;

  /** What one message is. */
  public record Message(String type, DecodedFix fix) {
    /** A location: a fix to store. */
    public boolean isLocation() {
      return "location".equals(type);
    }

    /** The message could not be read, or its location fields are wrong (see {@link #fix}). */
    public boolean failed() {
      return !fix.decodingErrors().isEmpty();
    }
  }

  private OwnTracksMessageDecoder() {}

  public static Message decode(Buffer payload) {
    DecodedFix fix = new DecodedFix();
    Object root;
    try {
      root = payload == null || payload.length() == 0 ? null : Json.decodeValue(payload);
    } catch (DecodeException e) {
      fix.payloadError("malformed JSON");
      return new Message(null, fix);
    }
    if (!(root instanceof JsonObject msg)) {
      fix.payloadError("must be one JSON object with a _type");
      return new Message(null, fix);
    }
    if (!(msg.getValue("_type") instanceof String type)) {
      fix.error("_type", "is required (a string such as \"location\")");
      return new Message(null, fix);
    }
    if ("encrypted".equals(type)) {
      fix.error("_type", "encrypted payloads are not supported: turn off encryption in the app");
      return new Message(type, fix);
    }
    if (!"location".equals(type)) return new Message(type, fix);
    number(fix, "lat", "lat", msg.getValue("lat"), true, 1);
    number(fix, "lon", "lon", msg.getValue("lon"), true, 1);
    tst(fix, msg.getValue("tst"));
    number(fix, "spd", "vel", msg.getValue("vel"), false, KMH_PER_MPS);
    number(fix, "hdg", "cog", msg.getValue("cog"), false, 1);
    number(fix, "alt", "alt", msg.getValue("alt"), false, 1);
    number(fix, "acc", "acc", msg.getValue("acc"), false, 1);
    number(fix, "bat", "batt", msg.getValue("batt"), false, 100);
    return new Message(type, fix);
  }

  private static void tst(DecodedFix fix, Object raw) {
    if (raw == null) {
      fix.error("tst", "is required (epoch seconds)");
      return;
    }
    BigDecimal seconds;
    if (raw instanceof Long || raw instanceof Integer)
      seconds = BigDecimal.valueOf(((Number) raw).longValue());
    else if (raw instanceof BigInteger b) seconds = new BigDecimal(b);
    else if (raw instanceof BigDecimal d) seconds = d;
    else if (raw instanceof Double d && Double.isFinite(d)) seconds = BigDecimal.valueOf(d);
    else {
      fix.error("tst", "must be an integer (epoch seconds)");
      return;
    }
    if (seconds.stripTrailingZeros().scale() > 0) {
      fix.error("tst", "must be an integer (epoch seconds), got " + seconds.toPlainString());
      return;
    }
    if (seconds.abs().compareTo(BigDecimal.valueOf(9_000_000_000_000L)) > 0) {
      fix.error("tst", "is out of range, got " + seconds.toPlainString());
      return;
    }
    fix.put("ts", seconds.longValueExact() * 1000, "tst");
  }

  private static void number(
      DecodedFix fix, String field, String source, Object raw, boolean required, double divisor) {
    if (raw == null) {
      if (required) fix.error(source, "is required");
      return;
    }
    if (!(raw instanceof Number n)) {
      fix.error(source, "must be a number");
      return;
    }
    fix.put(field, n.doubleValue() / divisor, source);
  }
}
