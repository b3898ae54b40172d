package io.tracklane.backoffice.common;

import io.vertx.core.json.JsonObject;

/**
 * One invalid field of a request: its JSON path (e.g. {@code checkpoints[2].radiusM}) and what is
 * wrong.
 */
public record FieldError(String field, String message) {
  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("message", message);
  }
}
