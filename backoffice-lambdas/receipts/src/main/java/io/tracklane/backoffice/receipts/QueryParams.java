package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.ApiRequest;
import io.tracklane.backoffice.common.FieldError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Query-string parameters of one request, validated like {@code Validator} validates bodies:
 * every problem is collected, each naming its parameter, then one 400 is thrown.
 */
final class QueryParams {
  private final ApiRequest request;
  private final List<FieldError> errors = new ArrayList<>();

  QueryParams(ApiRequest request) {
    this.request = request;
  }

  int integer(String name, int defaultValue, int min, int max) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return defaultValue;
    try {
      int v = Integer.parseInt(raw.trim());
      if (v >= min && v <= max) return v;
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError(name, "must be an integer between " + min + " and " + max));
    return defaultValue;
  }

  String oneOf(String name, Collection<String> allowed) {
    String raw = request.query(name).orElse(null);
    if (raw == null || allowed.contains(raw)) return raw;
    errors.add(new FieldError(name, "must be one of " + allowed));
    return null;
  }

  /** A free-form identifier of at most {@code maxLength} characters. */
  String id(String name, int maxLength) {
    String raw = request.query(name).orElse(null);
    if (raw == null || (raw.length() <= maxLength && !raw.isBlank() && raw.indexOf('\u0000') < 0)) return raw;
    errors.add(new FieldError(name, "must be an id of 1.." + maxLength + " characters"));
    return null;
  }

  <T> T cursor(String name, Function<String, T> decoder, String what) {
    String raw = request.query(name).orElse(null);
    if (raw == null) return null;
    try {
      return decoder.apply(raw);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(name, "is not a cursor returned by " + what));
      return null;
    }
  }

  void throwIfInvalid() {
    if (errors.isEmpty()) return;
    String first = errors.get(0).field() + ": " + errors.get(0).message();
    throw ApiException.badRequest(errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)", errors);
  }
}
