package io.tracklane.gateway.live;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * One event on its way to the clients: encoded once, shared by every client's queue. {@code fix}
 * events and the engine's progress updates are <em>coalescable</em>: a slow client may be sent only
 * the latest one per task. Alerts, task status and snapshots never are.
 */
final class LiveEvent {
  final String type;
  final String taskId;
  final String riderId;
  final boolean coalescable;
  final String json;
  private Buffer sse;

  LiveEvent(String type, String taskId, String riderId, boolean coalescable, String json) {
    this.type = type;
    this.taskId = taskId;
    this.riderId = riderId;
    this.coalescable = coalescable;
    this.json = json;
  }

  static LiveEvent of(JsonObject event, boolean coalescable) {
    return new LiveEvent(
        event.getString("event"),
        event.getString("taskId"),
        event.getString("riderId"),
        coalescable,
        event.encode());
  }

  /**
   * The Server-Sent Events frame: {@code data: <json>} and a blank line (JSON has no raw newlines).
   */
  Buffer sseFrame() {
    if (sse == null)
      sse = Buffer.buffer(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
    return sse;
  }

  /** What coalescing keeps one of per task. */
  String coalesceKey() {
    return type + '\u0000' + taskId;
  }
}
