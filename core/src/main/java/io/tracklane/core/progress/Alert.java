package io.tracklane.core.progress;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something a manager should be told about, raised by one fix.
 *
 * @param taskId the task
 * @param type what happened
 * @param ts epoch ms of the fix that raised it
 * @param lat the fix's latitude
 * @param lon the fix's longitude
 * @param message a short human-readable sentence
 * @param details type-specific values (numbers, strings, booleans), in a stable order
 */
public record Alert(
    String taskId,
    AlertType type,
    long ts,
    double lat,
    double lon,
    String message,
    Map<String, Object> details)
    implements ProgressEvent {

  public Alert {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
    details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * {@code {"event": "alert", "type": "off_route", taskId, ts, lat, lon, message, details: {...}}}.
   */
  @Override
  public JsonObject toJson() {
    JsonObject d = new JsonObject();
    details.forEach(d::put);
    return new JsonObject()
        .put("event", "alert")
        .put("type", type.wireName())
        .put("taskId", taskId)
        .put("ts", ts)
        .put("lat", lat)
        .put("lon", lon)
        .put("message", message)
        .put("details", d);
  }
}
