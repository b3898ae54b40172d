package io.tracklane.backoffice.tasks;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One row of the audit trail. */
public record TaskEvent(
    long id,
    String taskId,
    String type,
    String fromStatus,
    String toStatus,
    String actorId,
    JsonObject details,
    Instant at) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("taskId", taskId)
        .put("type", type)
        .put("fromStatus", fromStatus)
        .put("toStatus", toStatus)
        .put("actorId", actorId)
        .put("details", details)
        .put("at", at.toString());
  }
}
