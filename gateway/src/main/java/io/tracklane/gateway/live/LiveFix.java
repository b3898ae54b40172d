package io.tracklane.gateway.live;

import io.tracklane.core.fix.Fix;
import io.vertx.core.json.JsonObject;

/**
 * One durably stored fix as instances pass it to each other's live state: an immutable value, so
 * local consumers share it instead of each getting a copy of a JSON object.
 */
public record LiveFix(String taskId, String riderId, Fix fix, long receivedAt) {

  /** The {@code fix} event a live client receives. */
  public JsonObject toEvent() {
    return LiveEvents.fixEvent(taskId, riderId, fix, receivedAt);
  }

  /** The fix carried by a JSON {@code fix} event (as tests and older publishers send them). */
  static LiveFix ofEvent(JsonObject event) {
    return new LiveFix(
        event.getString("taskId"),
        event.getString("riderId"),
        LiveEvents.fixOf(event),
        event.getLong("receivedAt", 0L));
  }
}
