package io.tracklane.core.fix;

import io.vertx.core.json.JsonObject;

/**
 * One GPS fix as reported by a rider's phone.
 *
 * <p>The record is a plain value: it does not validate its fields, because fixes are also rebuilt
 * from storage. Payloads received from devices are validated by {@link FixPayloadParser}.
 *
 * @param ts epoch milliseconds, device clock
 * @param lat WGS-84 latitude in degrees
 * @param lon WGS-84 longitude in degrees
 * @param acc horizontal accuracy in metres, or {@code null}
 * @param spd speed in m/s, or {@code null}
 * @param hdg heading in degrees (0..360), or {@code null}
 * @param alt altitude in metres, or {@code null}
 * @param bat battery level 0..1, or {@code null}
 */
public record Fix(
    long ts, double lat, double lon, Double acc, Double spd, Double hdg, Double alt, Double bat) {

  /** A fix with position and time only. */
  public static Fix of(long ts, double lat, double lon) {
    return new Fix(ts, lat, lon, null, null, null, null, null);
  }

  /**
   * The wire form: keys ts, lat, lon, then acc, spd, hdg, alt, bat for the fields that are present.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("ts", ts).put("lat", lat).put("lon", lon);
    putIfPresent(json, "acc", acc);
    putIfPresent(json, "spd", spd);
    putIfPresent(json, "hdg", hdg);
    putIfPresent(json, "alt", alt);
    putIfPresent(json, "bat", bat);
    return json;
  }

  private static void putIfPresent(JsonObject json, String key, Double value) {
    if (value != null) json.put(key, value);
  }
}
