package io.tracklane.gateway.live;

import io.tracklane.core.fix.Fix;
import io.vertx.core.json.JsonObject;

/**
 * The live stream's event bus contract. Every event is a JSON object on {@link #ADDRESS} with an
 * {@code "event"} field naming its kind and the {@code taskId} it is about:
 *
 * <ul>
 *   <li>{@code fix}: a stored fix: taskId, riderId, ts, lat, lon, acc/spd/hdg/alt/bat when present,
 *       receivedAt. Instances pass stored fixes to each other as {@link LiveFixBatch} messages on
 *       {@link #FIXES_ADDRESS} (binary, one per write batch); a client receives each as a {@code
 *       fix} event. A JSON {@code fix} event on {@link #ADDRESS} is still understood.
 *   <li>the progress engine's events ({@code progress}, {@code alert}) with riderId added, and
 *       {@code task_status} ({@code taskId, status, riderId, at}): published on each instance to
 *       its local consumers only, since every instance computes them itself (see {@link
 *       LiveTracking}).
 * </ul>
 */
public final class LiveEvents {
  /** Where every live event is published. */
  public static final String ADDRESS = "tracklane.live";

  /** Where instances publish the fixes they stored, as {@link LiveFixBatch} (cluster-wide). */
  public static final String FIXES_ADDRESS = "tracklane.live.fixes";

  public static final String FIX = "fix";
  public static final String TASK_STATUS = "task_status";
  public static final String TASK_SNAPSHOT = "task_snapshot";
  public static final String SNAPSHOT_COMPLETE = "snapshot_complete";

  private LiveEvents() {}

  /** The {@code fix} event of one stored fix. */
  public static JsonObject fixEvent(String taskId, String riderId, Fix fix, long receivedAt) {
    JsonObject e = new JsonObject().put("event", FIX).put("taskId", taskId).put("riderId", riderId);
    e.getMap().putAll(fix.toJson().getMap());
    return e.put("receivedAt", receivedAt);
  }

  /** The fix carried by a {@code fix} event. */
  public static Fix fixOf(JsonObject event) {
    return new Fix(
        event.getLong("ts"),
        event.getDouble("lat"),
        event.getDouble("lon"),
        event.getDouble("acc"),
        event.getDouble("spd"),
        event.getDouble("hdg"),
        event.getDouble("alt"),
        event.getDouble("bat"));
  }
}
