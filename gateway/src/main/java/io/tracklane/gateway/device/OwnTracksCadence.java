package io.tracklane.gateway.device;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reporting rate a task sets on a rider's OwnTracks apps: while a task is in progress, move
 * mode with a fix every {@value #MOVE_INTERVAL_S} s (and a fix right now: {@code reportLocation});
 * otherwise significant-change mode, the battery-friendly fallback. Told with OwnTracks {@code cmd}
 * messages: on {@code owntracks/{user}/{device}/cmd} over MQTT, in the JSON array of the next HTTP
 * reply over HTTP. The app applies them only with "remote configuration" and "remote commands"
 * enabled (the setup data does so).
 *
 * <p>Level-triggered per device: each session (MQTT) or device (HTTP) remembers the mode it was
 * last told and is told again only when the rider's wanted mode differs; a device not told yet (new
 * session, gateway restart) is told the current mode once.
 */
public final class OwnTracksCadence {
  public static final int MOVE_INTERVAL_S = 10;

  /** Significant-change mode: Android's interval between location requests (s). */
  public static final int FALLBACK_INTERVAL_S = 300;

  /** Significant-change mode: least movement (m) for a new fix. */
  public static final int FALLBACK_DISPLACEMENT_M = 500;

  static final int MAX_HTTP_DEVICES = 100_000;

  /** OwnTracks monitoring modes used here (1 significant changes, 2 move). */
  public enum Mode {
    MOVE(2),
    SIGNIFICANT(1);

    public final int monitoring;

    Mode(int monitoring) {
      this.monitoring = monitoring;
    }

    /** Move while a task is in progress, else significant changes. */
    public static Mode forTask(String taskInProgress) {
      return taskInProgress == null ? SIGNIFICANT : MOVE;
    }
  }

  /** HTTP devices: the mode each was last told (LRU; guarded by itself). */
  private final Map<String, Mode> toldHttp =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Mode> eldest) {
          return size() > MAX_HTTP_DEVICES;
        }
      };

  /**
   * {@code setConfiguration}: monitoring plus the intervals of both platforms (iOS reads {@code
   * locatorInterval} in move mode, Android {@code moveModeLocatorInterval}).
   */
  public static JsonObject setConfiguration(Mode mode) {
    JsonObject config =
        new JsonObject().put("_type", "configuration").put("monitoring", mode.monitoring);
    if (mode == Mode.MOVE) {
      config
          .put("locatorInterval", MOVE_INTERVAL_S)
          .put("moveModeLocatorInterval", MOVE_INTERVAL_S)
          .put("locatorDisplacement", 0);
    } else {
      config
          .put("locatorInterval", FALLBACK_INTERVAL_S)
          .put("locatorDisplacement", FALLBACK_DISPLACEMENT_M);
    }
    return new JsonObject()
        .put("_type", "cmd")
        .put("action", "setConfiguration")
        .put("configuration", config);
  }

  public static JsonObject reportLocation() {
    return new JsonObject().put("_type", "cmd").put("action", "reportLocation");
  }

  /**
   * What to send a device told {@code previous} (null: nothing yet) that should be in {@code now}.
   */
  public static List<JsonObject> commands(Mode previous, Mode now) {
    List<JsonObject> out = new ArrayList<>(2);
    if (previous == now) return out;
    out.add(setConfiguration(now));
    if (now == Mode.MOVE) out.add(reportLocation());
    return out;
  }

  /** The body of an OwnTracks HTTP reply to {@code deviceId}: {@code []} or pending commands. */
  public JsonArray httpReply(String deviceId, Mode now) {
    Mode previous;
    synchronized (toldHttp) {
      previous = toldHttp.put(deviceId, now);
    }
    return new JsonArray(new ArrayList<>(commands(previous, now)));
  }

  /** A revoked device's state goes. */
  public void forget(String deviceId) {
    synchronized (toldHttp) {
      toldHttp.remove(deviceId);
    }
  }
}
