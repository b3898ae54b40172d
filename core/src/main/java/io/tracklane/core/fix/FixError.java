package io.tracklane.core.fix;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One reason a payload was refused.
 *
 * @param index position of the fix in the payload (0-based), or {@link #PAYLOAD} for an error that
 *     concerns the payload as a whole (malformed JSON, too many fixes, ...)
 * @param field the offending field of that fix, or {@code null} when the error is not about one
 *     field (payload-level errors, array elements that are not objects)
 * @param message what is wrong, including the value received where there is one
 */
public record FixError(int index, String field, String message) {

  /** The index of payload-level errors. */
  public static final int PAYLOAD = -1;

  public FixError {
    if (index < PAYLOAD) throw new IllegalArgumentException("index must be >= -1, got " + index);
    Objects.requireNonNull(message, "message");
  }

  /** {@code {"index":..,"field":..,"message":..}}; {@code field} is omitted when null. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("index", index);
    if (field != null) json.put("field", field);
    return json.put("message", message);
  }

  /** For example {@code fix[3].lat: must be between -90 and 90, got 91.5}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(message.length() + 24);
    if (index == PAYLOAD) {
      sb.append("payload");
    } else {
      sb.append("fix[").append(index).append(']');
    }
    if (field != null) sb.append('.').append(field);
    return sb.append(": ").append(message).toString();
  }
}
