package io.tracklane.backoffice.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of a request body (not just the first), each naming its field, then throws
 * one 400 with all of them. Text is never escaped or altered: SQL safety comes from bind
 * parameters, not from filtering input.
 */
public final class Validator {
  private final JsonObject body;
  private final List<FieldError> errors = new ArrayList<>();

  public Validator(JsonObject body) {
    this.body = body;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public Validator error(String field, String message) {
    errors.add(new FieldError(field, message));
    return this;
  }

  public Validator check(boolean ok, String field, String message) {
    if (!ok) error(field, message);
    return this;
  }

  public boolean has(String field) {
    return body.containsKey(field) && body.getValue(field) != null;
  }

  /** A string of 1..maxLength characters (trimmed length); null when absent and optional. */
  public String string(String field, boolean required, int maxLength) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) error(field, "is required");
      return null;
    }
    if (!(v instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    if (s.isBlank()) {
      error(field, "must not be blank");
      return null;
    }
    if (s.length() > maxLength) {
      error(field, "must be at most " + maxLength + " characters");
      return null;
    }
    if (s.indexOf('\u0000') >= 0) {
      error(field, "must not contain NUL characters");
      return null;
    }
    return s;
  }

  public Double number(String field, boolean required, double min, double max) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) error(field, "is required");
      return null;
    }
    if (!(v instanceof Number n)) {
      error(field, "must be a number");
      return null;
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d) || d < min || d > max) {
      error(field, "must be between " + min + " and " + max);
      return null;
    }
    return d;
  }

  /** A decimal amount with at most 2 fractional digits. */
  public BigDecimal money(String field, boolean required, BigDecimal max) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) error(field, "is required");
      return null;
    }
    BigDecimal d;
    try {
      d =
          v instanceof Number n
              ? new BigDecimal(n.toString())
              : v instanceof String s ? new BigDecimal(s) : null;
    } catch (NumberFormatException e) {
      d = null;
    }
    if (d == null) {
      error(field, "must be a decimal amount");
      return null;
    }
    if (d.signum() < 0 || d.compareTo(max) > 0) {
      error(field, "must be between 0 and " + max.toPlainString());
      return null;
    }
    if (d.stripTrailingZeros().scale() > 2) {
      error(field, "must have at most 2 decimal places");
      return null;
    }
    return d;
  }

  /** An ISO 4217 code: three upper-case letters. */
  public String currency(String field, boolean required) {
    String c = string(field, required, 3);
    if (c != null && !c.matches("[A-Z]{3}")) {
      error(field, "must be an ISO 4217 currency code such as CNY or USD");
      return null;
    }
    return c;
  }

  /** An ISO-8601 instant such as 2026-11-27T08:00:00Z. */
  public Instant instant(String field, boolean required) {
    String s = string(field, required, 64);
    if (s == null) return null;
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      error(field, "must be an ISO-8601 instant such as 2026-11-27T08:00:00Z");
      return null;
    }
  }

  public String oneOf(String field, boolean required, List<String> allowed) {
    String s = string(field, required, 64);
    if (s != null && !allowed.contains(s)) {
      error(field, "must be one of " + allowed);
      return null;
    }
    return s;
  }

  public JsonArray array(String field, boolean required) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) error(field, "is required");
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      error(field, "must be an array");
      return null;
    }
    return a;
  }

  public JsonObject object(String field, boolean required) {
    Object v = body.getValue(field);
    if (v == null) {
      if (required) error(field, "is required");
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      error(field, "must be an object");
      return null;
    }
    return o;
  }

  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      String first = errors.get(0).field() + ": " + errors.get(0).message();
      throw ApiException.badRequest(
          errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)", errors);
    }
  }
}
