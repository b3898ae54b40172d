package io.tracklane.core.fix;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes and validates a fix payload: one JSON object (one fix) or a JSON array of such objects (a
 * buffer uploaded by a phone that was offline).
 *
 * <p>Every problem is reported as a {@link FixError} naming the fix index and the field; all
 * problems of a payload are collected, not just the first. A payload with any error yields no fixes
 * at all. The parser never throws on bad input.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class FixPayloadParser {

  static final String EMPTY = "payload is empty";
  static final String NO_FIXES = "no fixes in payload";
  static final String MALFORMED = "malformed JSON: ";

  /** Up to this many timestamps, duplicates are looked for pairwise; above, by sorting. */
  private static final int PAIRWISE_DUPLICATE_SCAN = 16;

  private static final int MAX_REASON_CHARS = 200;
  private static final int MAX_VALUE_CHARS = 40;
  private static final double TWO_POW_63 = 0x1p63;

  // Physical ranges, documented in docs/gateway.md ("Fix fields"). Every accepted value is one
  // DynamoDB can store: bounded magnitudes, and magnitudes below DynamoDB's 1E-130 read as 0.
  private static final NumberField LAT = new NumberField("lat", -90, 90, "between -90 and 90");
  private static final NumberField LON = new NumberField("lon", -180, 180, "between -180 and 180");

  /**
   * Horizontal accuracy: coarse network fixes are kilometres wide; past 100 km a fix locates
   * nothing.
   */
  static final double MAX_ACC_M = 100_000;

  /** Speed: above any airliner's ground speed. */
  static final double MAX_SPD_MPS = 500;

  /**
   * Altitude: below the deepest dry land (Dead Sea, -430 m) with GPS error, up to high-flying
   * aircraft.
   */
  static final double MIN_ALT_M = -1_000;

  static final double MAX_ALT_M = 20_000;
  private static final NumberField ACC =
      new NumberField("acc", 0, MAX_ACC_M, "between 0 and 100000 (metres)");
  private static final NumberField SPD =
      new NumberField("spd", 0, MAX_SPD_MPS, "between 0 and 500 (m/s)");
  private static final NumberField HDG = new NumberField("hdg", 0, 360, "between 0 and 360");
  private static final NumberField ALT =
      new NumberField("alt", MIN_ALT_M, MAX_ALT_M, "between -1000 and 20000 (metres)");
  private static final NumberField BAT = new NumberField("bat", 0, 1, "between 0 and 1");

  /**
   * DynamoDB's smallest non-zero magnitude; anything smaller is stored as 0 (it is 0 at any GPS
   * precision).
   */
  static final double MIN_STORABLE_MAGNITUDE = 1e-130;

  private final FixLimits limits;

  public FixPayloadParser(FixLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public FixLimits limits() {
    return limits;
  }

  /** Same as {@link #parse(Buffer, long)} for a byte array. */
  public ParsedFixes parse(byte[] payload, long nowMs) {
    if (payload == null || isBlank(payload)) return refused(EMPTY);
    return parse(Buffer.buffer(payload), nowMs);
  }

  /**
   * @param payload the raw message body
   * @param nowMs server time, epoch milliseconds, against which fix timestamps are checked
   */
  public ParsedFixes parse(Buffer payload, long nowMs) {
    if (payload == null || isBlank(payload)) return refused(EMPTY);
    Object root;
    try {
      root = Json.decodeValue(payload);
    } catch (DecodeException e) {
      return refused(MALFORMED + shortReason(e.getMessage()));
    } catch (RuntimeException e) {
      // The decoder is not expected to throw anything else; a bad payload still must not escape.
      return refused(MALFORMED + e.getClass().getSimpleName());
    }
    return parseDecoded(root, nowMs);
  }

  /**
   * Validates an already decoded payload: a JsonObject / Map, or a JsonArray / List (used by the
   * gateway's phone-app decoders, which build our wire form from another protocol's fields).
   */
  public ParsedFixes parseDecoded(Object root, long nowMs) {
    Map<?, ?> single = asObject(root);
    if (single != null) {
      Run run = new Run(nowMs, 1);
      Fix fix = readFix(0, single, run);
      return run.errors == null
          ? ParsedFixes.accepted(List.of(fix))
          : ParsedFixes.refused(run.errors);
    }
    List<?> list =
        root instanceof JsonArray
            ? ((JsonArray) root).getList()
            : root instanceof List ? (List<?>) root : null;
    if (list == null) {
      return refused(
          "payload must be a JSON object or an array of JSON objects, got " + typeName(root));
    }
    int n = list.size();
    if (n == 0) return refused(NO_FIXES);
    if (n > limits.maxFixesPerPayload()) {
      return refused(
          "payload has " + n + " fixes; at most " + limits.maxFixesPerPayload() + " allowed");
    }
    Run run = new Run(nowMs, n);
    List<Fix> fixes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object element = list.get(i);
      Map<?, ?> object = asObject(element);
      if (object == null) {
        run.error(i, null, "must be a JSON object, got " + typeName(element));
        continue;
      }
      Fix fix = readFix(i, object, run);
      if (fix != null && run.errors == null) fixes.add(fix);
    }
    if (run.tsCount > 1) findDuplicateTimestamps(run);
    if (run.errors == null) return ParsedFixes.accepted(fixes);
    run.errors.sort(
        Comparator.comparingInt(FixError::index)); // stable: field order kept within a fix
    return ParsedFixes.refused(run.errors);
  }

  /** Reads one fix, recording its errors; returns null if it has any. */
  private Fix readFix(int index, Map<?, ?> object, Run run) {
    int errorsBefore = run.errorCount();
    long ts = readTs(index, object, run);
    if (run.errorCount() == errorsBefore) run.recordTs(index, ts);
    double lat = readRequired(index, LAT, object, run);
    double lon = readRequired(index, LON, object, run);
    Double acc = readOptional(index, ACC, object.get(ACC.name), run);
    Double spd = readOptional(index, SPD, object.get(SPD.name), run);
    Double hdg = readOptional(index, HDG, object.get(HDG.name), run);
    Double alt = readOptional(index, ALT, object.get(ALT.name), run);
    Double bat = readOptional(index, BAT, object.get(BAT.name), run);
    if (run.errorCount() != errorsBefore) return null;
    return new Fix(ts, lat, lon, acc, spd, hdg, alt, bat);
  }

  private long readTs(int index, Map<?, ?> object, Run run) {
    Object raw = object.get("ts");
    if (raw == null) {
      run.error(index, "ts", object.containsKey("ts") ? "is required, got null" : "is required");
      return 0;
    }
    if (!(raw instanceof Number)) {
      run.error(index, "ts", "must be a number (integer epoch milliseconds), got " + typeName(raw));
      return 0;
    }
    long ts;
    if (raw instanceof Long) {
      ts = (Long) raw;
    } else if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
      ts = ((Number) raw).longValue();
    } else if (raw instanceof BigInteger) {
      BigInteger big = (BigInteger) raw;
      if (big.bitLength() > 63) {
        run.error(index, "ts", "is out of range for epoch milliseconds, got " + describe(big));
        return 0;
      }
      ts = big.longValue();
    } else if (raw instanceof BigDecimal) {
      BigDecimal dec = (BigDecimal) raw;
      if (dec.signum() != 0 && dec.stripTrailingZeros().scale() > 0) {
        run.error(index, "ts", "must be an integer (epoch milliseconds), got " + describe(dec));
        return 0;
      }
      if (dec.precision() - dec.scale() > 19 || dec.toBigInteger().bitLength() > 63) {
        run.error(index, "ts", "is out of range for epoch milliseconds, got " + describe(dec));
        return 0;
      }
      ts = dec.longValue();
    } else {
      double d = ((Number) raw).doubleValue();
      if (!Double.isFinite(d)) {
        run.error(index, "ts", "must be a finite number, got " + describe(raw));
        return 0;
      }
      if (d != Math.rint(d)) {
        run.error(index, "ts", "must be an integer (epoch milliseconds), got " + describe(raw));
        return 0;
      }
      if (d < -TWO_POW_63 || d >= TWO_POW_63) {
        run.error(index, "ts", "is out of range for epoch milliseconds, got " + describe(raw));
        return 0;
      }
      ts = (long) d;
    }
    checkWindow(index, ts, run);
    return ts;
  }

  private void checkWindow(int index, long ts, Run run) {
    long now = run.nowMs;
    if (ts > now) {
      long ahead = ts - now; // negative only on overflow, i.e. even further ahead
      if (ahead < 0 || ahead > limits.maxAheadMs()) {
        run.error(
            index,
            "ts",
            "is "
                + difference(ts, now)
                + " ms ahead of server time; at most "
                + limits.maxAheadMs()
                + " allowed");
      }
    } else if (ts < now) {
      long behind = now - ts;
      if (behind < 0 || behind > limits.maxBehindMs()) {
        run.error(
            index,
            "ts",
            "is "
                + difference(now, ts)
                + " ms behind server time; at most "
                + limits.maxBehindMs()
                + " allowed");
      }
    }
  }

  /** a - b without overflow, as text (error path only). */
  private static String difference(long a, long b) {
    long d = a - b;
    if (((a ^ b) & (a ^ d)) < 0)
      return BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)).toString();
    return Long.toString(d);
  }

  /** Returns the value, or NaN after recording an error. */
  private static double readRequired(int index, NumberField field, Map<?, ?> object, Run run) {
    Object raw = object.get(field.name);
    if (raw == null) {
      run.error(
          index,
          field.name,
          object.containsKey(field.name) ? "is required, got null" : "is required");
      return Double.NaN;
    }
    return check(index, field, raw, run);
  }

  /** Returns null if absent (missing or JSON null) or invalid; an error is recorded if invalid. */
  private static Double readOptional(int index, NumberField field, Object raw, Run run) {
    if (raw == null) return null;
    double v = check(index, field, raw, run);
    if (Double.isNaN(v)) return null;
    // Reuse the decoder's box unless the value was changed (rounded to 0).
    return raw instanceof Double d && Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(v)
        ? d
        : v;
  }

  /** Type, finiteness and range of one numeric value; NaN after recording an error. */
  private static double check(int index, NumberField field, Object raw, Run run) {
    if (!(raw instanceof Number)) {
      run.error(index, field.name, "must be a number, got " + typeName(raw));
      return Double.NaN;
    }
    double v = ((Number) raw).doubleValue();
    if (!Double.isFinite(v)) {
      run.error(index, field.name, "must be a finite number, got " + describe(raw));
      return Double.NaN;
    }
    // Below DynamoDB's range (and -0.0): 0, so that every accepted fix is storable. Before the
    // range check: -1e-300 is a battery level of 0 at any precision.
    if (Math.abs(v) < MIN_STORABLE_MAGNITUDE) v = 0.0;
    if (v < field.min || v > field.max) {
      run.error(index, field.name, "must be " + field.range + ", got " + describe(raw));
      return Double.NaN;
    }
    return v;
  }

  private static void findDuplicateTimestamps(Run run) {
    int m = run.tsCount;
    long[] values = run.tsValues;
    int[] indexes = run.tsIndexes;
    if (m <= PAIRWISE_DUPLICATE_SCAN) {
      for (int j = 1; j < m; j++) {
        for (int i = 0; i < j; i++) {
          if (values[i] == values[j]) {
            run.error(indexes[j], "ts", duplicateMessage(values[j], indexes[i]));
            break;
          }
        }
      }
      return;
    }
    long[] sorted = Arrays.copyOf(values, m);
    Arrays.sort(sorted);
    boolean any = false;
    for (int k = 1; k < m && !any; k++) any = sorted[k] == sorted[k - 1];
    if (!any) return;
    Map<Long, Integer> firstIndex = new HashMap<>(m * 2);
    for (int j = 0; j < m; j++) {
      Integer earlier = firstIndex.putIfAbsent(values[j], indexes[j]);
      if (earlier != null) run.error(indexes[j], "ts", duplicateMessage(values[j], earlier));
    }
  }

  private static String duplicateMessage(long ts, int earlierIndex) {
    return "duplicate ts " + ts + ", already used by fix[" + earlierIndex + "]";
  }

  private static Map<?, ?> asObject(Object value) {
    if (value instanceof JsonObject) return ((JsonObject) value).getMap();
    if (value instanceof Map) return (Map<?, ?>) value;
    return null;
  }

  static String typeName(Object value) {
    if (value == null) return "null";
    if (value instanceof String) return "string";
    if (value instanceof Boolean) return "boolean";
    if (value instanceof Number) return "number";
    if (value instanceof Map || value instanceof JsonObject) return "object";
    if (value instanceof List || value instanceof JsonArray) return "array";
    return value.getClass().getSimpleName();
  }

  /** A received number as text, compact and bounded in length (error path only). */
  static String describe(Object number) {
    String s;
    if (number instanceof Double || number instanceof Float) {
      double d = ((Number) number).doubleValue();
      double abs = Math.abs(d);
      s =
          Double.isFinite(d) && (abs == 0 || (abs >= 1e-3 && abs < 1e16))
              ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
              : Double.toString(d);
    } else if (number instanceof BigDecimal) {
      BigDecimal dec = (BigDecimal) number;
      s =
          dec.scale() <= 0 && dec.precision() - dec.scale() <= MAX_VALUE_CHARS
              ? dec.toPlainString()
              : dec.toString();
    } else {
      s = String.valueOf(number);
    }
    if (s.length() <= MAX_VALUE_CHARS) return s;
    return s.substring(0, MAX_VALUE_CHARS - 8) + "... (" + s.length() + " chars)";
  }

  /** The first line of a decoder message plus the line/column it reports, bounded in length. */
  static String shortReason(String message) {
    if (message == null || message.isBlank()) return "unreadable input";
    int newline = message.indexOf('\n');
    String head = newline >= 0 ? message.substring(0, newline) : message;
    int source =
        head.indexOf("[Source:"); // Jackson's location blocks: the location is reported separately
    if (source >= 0) {
      int paren = head.lastIndexOf(" (", source);
      head = head.substring(0, paren >= 0 ? paren : source);
    }
    head = head.strip();
    if (head.isEmpty()) head = "unreadable input";
    String where = newline >= 0 ? location(message, newline) : null;
    if (head.length() > MAX_REASON_CHARS) head = head.substring(0, MAX_REASON_CHARS - 3) + "...";
    return where == null ? head : head + " (" + where + ")";
  }

  private static String location(String message, int from) {
    int line = message.lastIndexOf("line: ");
    int column = message.lastIndexOf("column: ");
    if (line < from || column < line) return null;
    String l = digitsAt(message, line + 6);
    String c = digitsAt(message, column + 8);
    return l == null || c == null ? null : "line " + l + ", column " + c;
  }

  private static String digitsAt(String s, int start) {
    int end = start;
    while (end < s.length() && end - start < 10 && Character.isDigit(s.charAt(end))) end++;
    return end == start ? null : s.substring(start, end);
  }

  private static boolean isBlank(Buffer payload) {
    int n = payload.length();
    for (int i = 0; i < n; i++) {
      if (!isJsonWhitespace(payload.getByte(i))) return false;
    }
    return true;
  }

  private static boolean isBlank(byte[] payload) {
    for (byte b : payload) {
      if (!isJsonWhitespace(b)) return false;
    }
    return true;
  }

  private static boolean isJsonWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private static ParsedFixes refused(String payloadMessage) {
    return ParsedFixes.refused(new FixError(FixError.PAYLOAD, null, payloadMessage));
  }

  /** A numeric field with its accepted range. */
  private static final class NumberField {
    final String name;
    final double min;
    final double max;
    final String range;

    NumberField(String name, double min, double max, String range) {
      this.name = name;
      this.min = min;
      this.max = max;
      this.range = range;
    }
  }

  /** Mutable state of one parse call; never shared between calls. */
  private static final class Run {
    final long nowMs;
    final int capacity;
    List<FixError> errors;
    long[] tsValues;
    int[] tsIndexes;
    int tsCount;

    Run(long nowMs, int capacity) {
      this.nowMs = nowMs;
      this.capacity = capacity;
    }

    void error(int index, String field, String message) {
      if (errors == null) errors = new ArrayList<>(4);
      errors.add(new FixError(index, field, message));
    }

    int errorCount() {
      return errors == null ? 0 : errors.size();
    }

    void recordTs(int index, long ts) {
      if (capacity < 2) return;
      if (tsValues == null) {
        tsValues = new long[capacity];
        tsIndexes = new int[capacity];
      }
      tsValues[tsCount] = ts;
      tsIndexes[tsCount] = index;
      tsCount++;
    }
  }
}
