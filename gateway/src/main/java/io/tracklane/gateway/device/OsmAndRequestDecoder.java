package io.tracklane.gateway.device;

import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decodes what Traccar Client (and other OsmAnd-protocol senders) send to {@code /v1/osmand}: the
 * parameters of the query string or of a form body, or the JSON body of Traccar Client 9.x. Pure:
 * no I/O, no clock but the {@code nowMs} it is given.
 *
 * <p>Parameters: {@code id} or {@code deviceid} (the device key), {@code lat} + {@code lon} or
 * {@code location=lat,lon}, {@code timestamp} (epoch seconds, epoch ms, ISO-8601 or {@code
 * yyyy-MM-dd HH:mm:ss} in UTC; the time of receipt when absent), {@code speed} in knots, {@code
 * bearing} or {@code heading}, {@code altitude}, {@code accuracy}, {@code batt} in percent. Other
 * parameters ({@code hdop}, {@code charge}, {@code valid}, ...) are ignored.
 *
 * <p>JSON: {@code device_id}, {@code location.timestamp} (ISO-8601), {@code
 * location.coords.latitude/longitude/accuracy/speed (m/s)/heading/altitude}, {@code
 * location.battery.level} (0..1; a top-level {@code battery.level} too). A negative speed or
 * heading means "unknown" there and is left out.
 */
public final class OsmAndRequestDecoder {
  /** Knots per m/s (a knot is 1852 m per hour): {@code speed} is divided by it. */
  public static final double KNOTS_PER_MPS = 3600.0 / 1852.0;

  /** Below this a numeric timestamp is epoch seconds (10^10 s is the year 2286), above it ms. */
  static final double SECONDS_BELOW = 1e10;

  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
  private static final DateTimeFormatter SPACED =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .toFormatter();

  /** The device key the request carries (null if none) and its fix. */
  public record Report(String key, DecodedFix fix) {}

  private OsmAndRequestDecoder() {}

  /** From query-string or form parameters (first value of each name). */
  public static Report fromParams(Map<String, String> params, long nowMs) {
    String key = nonBlank(params.get("id"));
    if (key == null) key = nonBlank(params.get("deviceid"));
    DecodedFix fix = new DecodedFix();
    String location = nonBlank(params.get("location"));
    if (location != null && params.get("lat") == null && params.get("lon") == null) {
      String[] parts = location.split(",", -1);
      if (parts.length != 2) {
        fix.error("location", "must be 'lat,lon', got " + DecodedFix.quote(location));
      } else {
        number(fix, "lat", "location", parts[0], 1.0);
        number(fix, "lon", "location", parts[1], 1.0);
      }
    } else {
      required(fix, "lat", "lat", params.get("lat"));
      required(fix, "lon", "lon", params.get("lon"));
    }
    String ts = nonBlank(params.get("timestamp"));
    if (ts == null) fix.put("ts", nowMs, "timestamp");
    else timestamp(fix, "timestamp", ts);
    optional(fix, "spd", "speed", params.get("speed"), KNOTS_PER_MPS);
    if (params.get("bearing") != null) optional(fix, "hdg", "bearing", params.get("bearing"), 1);
    else optional(fix, "hdg", "heading", params.get("heading"), 1);
    optional(fix, "alt", "altitude", params.get("altitude"), 1);
    optional(fix, "acc", "accuracy", params.get("accuracy"), 1);
    optional(fix, "bat", "batt", params.get("batt"), 100);
    return new Report(key, fix);
  }

  /** From Traccar Client 9.x's JSON body. */
  public static Report fromJson(JsonObject body, long nowMs) {
    String key = body.getValue("device_id") instanceof String s ? nonBlank(s) : null;
    if (key == null && body.getValue("device_id") instanceof Number n) key = n.toString();
    DecodedFix fix = new DecodedFix();
    if (!(body.getValue("location") instanceof JsonObject location)) {
      fix.error("location", "is required and must be an object");
      return new Report(key, fix);
    }
    JsonObject coords = location.getValue("coords") instanceof JsonObject c ? c : null;
    if (coords == null) {
      fix.error("location.coords", "is required and must be an object");
      return new Report(key, fix);
    }
    jsonNumber(fix, "lat", "location.coords.latitude", coords.getValue("latitude"), true, 1);
    jsonNumber(fix, "lon", "location.coords.longitude", coords.getValue("longitude"), true, 1);
    jsonNumber(fix, "acc", "location.coords.accuracy", coords.getValue("accuracy"), false, 1);
    jsonUnknownIfNegative(fix, "spd", "location.coords.speed", coords.getValue("speed"));
    jsonUnknownIfNegative(fix, "hdg", "location.coords.heading", coords.getValue("heading"));
    jsonNumber(fix, "alt", "location.coords.altitude", coords.getValue("altitude"), false, 1);
    Object ts = location.getValue("timestamp");
    if (ts == null) fix.put("ts", nowMs, "location.timestamp");
    else if (ts instanceof String s) timestamp(fix, "location.timestamp", s);
    else if (ts instanceof Number n) timestamp(fix, "location.timestamp", n.toString());
    else fix.error("location.timestamp", "must be an ISO-8601 string");
    Object battery =
        location.getValue("battery") instanceof JsonObject b
            ? b.getValue("level")
            : body.getValue("battery") instanceof JsonObject b2 ? b2.getValue("level") : null;
    String batteryField =
        location.getValue("battery") instanceof JsonObject
            ? "location.battery.level"
            : "battery.level";
    // -1: level unknown (emulators, some tablets)
    if (battery instanceof Number n && n.doubleValue() < 0) battery = null;
    jsonNumber(fix, "bat", batteryField, battery, false, 1);
    return new Report(key, fix);
  }

  /**
   * Epoch seconds, epoch ms, ISO-8601 (with or without offset; UTC without) or {@code yyyy-MM-dd
   * HH:mm:ss} (UTC).
   */
  static void timestamp(DecodedFix fix, String source, String raw) {
    String s = raw.trim();
    if (DECIMAL.matcher(s).matches()) {
      double v = Double.parseDouble(s);
      double ms = Math.abs(v) < SECONDS_BELOW ? v * 1000 : v;
      if (!Double.isFinite(ms) || Math.abs(ms) >= 0x1p62) {
        fix.error(source, "is out of range, got " + DecodedFix.quote(s));
        return;
      }
      fix.put("ts", Math.round(ms), source);
      return;
    }
    try {
      fix.put("ts", parseDate(s).toEpochMilli(), source);
    } catch (DateTimeException e) {
      fix.error(
          source,
          "must be epoch seconds, epoch milliseconds, ISO-8601 or 'yyyy-MM-dd HH:mm:ss', got "
              + DecodedFix.quote(s));
    }
  }

  private static Instant parseDate(String s) {
    if (s.indexOf('T') > 0 || s.indexOf('t') > 0) {
      String t = s.toUpperCase(Locale.ROOT);
      if (t.endsWith("Z")) return Instant.parse(t);
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeException noOffset) {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      }
    }
    return LocalDateTime.parse(s, SPACED).toInstant(ZoneOffset.UTC);
  }

  private static void required(DecodedFix fix, String field, String source, String raw) {
    if (nonBlank(raw) == null) {
      fix.error(source, "is required");
      return;
    }
    number(fix, field, source, raw, 1);
  }

  private static void optional(
      DecodedFix fix, String field, String source, String raw, double divisor) {
    if (nonBlank(raw) == null) return;
    number(fix, field, source, raw, divisor);
  }

  private static void number(
      DecodedFix fix, String field, String source, String raw, double divisor) {
    String s = raw.trim();
    if (!DECIMAL.matcher(s).matches()) {
      fix.error(source, "must be a decimal number, got " + DecodedFix.quote(s));
      return;
    }
    fix.put(field, Double.parseDouble(s) / divisor, source);
  }

  private static void jsonNumber(
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

  private static void jsonUnknownIfNegative(
      DecodedFix fix, String field, String source, Object raw) {
    if (raw instanceof Number n && n.doubleValue() < 0) return;
    jsonNumber(fix, field, source, raw, false, 1);
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
