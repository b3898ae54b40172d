package io.tracklane.backoffice.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Query-string parameters of one request, validated like {@code Validator} validates bodies: every
 * problem is collected, each naming its parameter, then one 400 is thrown. Shared by every unit's
 * list operations, so a bad {@code limit} or {@code cursor} reads the same everywhere.
 */
public final class QueryParams {
  private final ApiRequest request;
  private final List<FieldError> errors = new ArrayList<>();

  public QueryParams(ApiRequest request) {
    this.request = request;
  }

  public void error(String name, String message) {
    errors.add(new FieldError(name, message));
  }

  public boolean has(String name) {
    return request.query(name).isPresent();
  }

  public int integer(String name, int defaultValue, int min, int max) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return defaultValue;
    try {
      int v = Integer.parseInt(raw.trim());
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    error(name, "must be an integer between " + min + " and " + max);
    return defaultValue;
  }

  /** Epoch milliseconds (a non-negative integer); null when absent or invalid. */
  public Long epochMillis(String name) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return null;
    try {
      long v = Long.parseLong(raw.trim());
      if (v >= 0) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    error(name, "must be epoch milliseconds (a non-negative integer)");
    return null;
  }

  /** A finite number in (minExclusive, max]; null when absent or invalid. */
  public Double number(String name, double minExclusive, double max) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return null;
    try {
      double v = Double.parseDouble(raw.trim());
      if (Double.isFinite(v) && v > minExclusive && v <= max) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    error(name, "must be a number greater than " + fmt(minExclusive) + " and at most " + fmt(max));
    return null;
  }

  public String oneOf(String name, Collection<String> allowed) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return null;
    if (allowed.contains(raw)) return raw;
    error(name, "must be one of " + allowed);
    return null;
  }

  /** {@code lat,lon} in degrees; null when absent or invalid. */
  public double[] latLon(String name) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return null;
    String[] parts = raw.split(",", -1);
    if (parts.length == 2) {
      try {
        double lat = Double.parseDouble(parts[0].trim());
        double lon = Double.parseDouble(parts[1].trim());
        if (lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) return new double[] {lat, lon};
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    error(
        name,
        "must be lat,lon in degrees (latitude -90..90, longitude -180..180), e.g. 31.2304,121.4737");
    return null;
  }

  /**
   * A free-form identifier of at most {@code maxLength} characters; null when absent or invalid.
   */
  public String id(String name, int maxLength) {
    String raw = request.query(name).orElse(null);
    if (raw == null || (raw.length() <= maxLength && !raw.isBlank() && raw.indexOf('\u0000') < 0))
      return raw;
    error(name, "must be an id of 1.." + maxLength + " characters");
    return null;
  }

  /** The decoded cursor; null when absent or not one of ours. */
  public <T> T cursor(String name, Function<String, T> decoder, String what) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return null;
    try {
      return decoder.apply(raw);
    } catch (IllegalArgumentException e) {
      error(name, "is not a cursor returned by " + what);
      return null;
    }
  }

  public void throwIfInvalid() {
    if (errors.isEmpty()) return;
    String first = errors.get(0).field() + ": " + errors.get(0).message();
    throw ApiException.badRequest(
        errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)", errors);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
