package io.tracklane.gateway.device;

import io.tracklane.core.fix.FixError;
import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.core.fix.ParsedFixes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fix decoded from a phone app's protocol into our wire form ({@code ts, lat, lon, acc, spd,
 * hdg, alt, bat}, converted units), with the app's own name for each field so that an error names
 * the field the app sent ({@code speed}, not {@code spd}). Decoding errors (a field that is not a
 * number, a timestamp in no known format) are kept here; the ranges are checked by {@link
 * #validate} with the same {@link FixPayloadParser} as every other fix.
 */
public final class DecodedFix {
  private final Map<String, Object> wire = new LinkedHashMap<>();
  private final Map<String, String> sourceFields = new LinkedHashMap<>();
  private final List<FixError> errors = new ArrayList<>();

  /** Sets our field {@code field} to {@code value}, read from the app's field {@code source}. */
  void put(String field, Object value, String source) {
    wire.put(field, value);
    sourceFields.put(field, source);
  }

  /** The app's field {@code source} could not be read. */
  void error(String source, String message) {
    errors.add(new FixError(0, source, message));
  }

  /** The request as a whole is wrong (no fields at all, malformed JSON). */
  void payloadError(String message) {
    errors.add(new FixError(FixError.PAYLOAD, null, message));
  }

  public Map<String, Object> wire() {
    return wire;
  }

  public List<FixError> decodingErrors() {
    return List.copyOf(errors);
  }

  /**
   * The fix if it decoded and passes the gateway's validation (ranges, timestamp window), else the
   * errors, each naming the app's field.
   */
  public ParsedFixes validate(FixPayloadParser parser, long nowMs) {
    if (!errors.isEmpty()) return new ParsedFixes(List.of(), errors);
    ParsedFixes parsed = parser.parseDecoded(wire, nowMs);
    if (parsed.isValid()) return parsed;
    List<FixError> renamed = new ArrayList<>(parsed.errors().size());
    for (FixError e : parsed.errors()) {
      String source = e.field() == null ? null : sourceFields.getOrDefault(e.field(), e.field());
      renamed.add(new FixError(e.index(), source, e.message()));
    }
    return new ParsedFixes(List.of(), renamed);
  }

  static String quote(String raw) {
    String s = raw.length() > 40 ? raw.substring(0, 32) + "..." : raw;
    return "'" + s + "'";
  }
}
