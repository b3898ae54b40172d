package io.tracklane.gateway.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Test payloads: realistic fixes around a Shanghai delivery route, with distinct timestamps. */
public final class Fixes {
  private Fixes() {}

  public static long baseTs() {
    return System.currentTimeMillis() - 60_000;
  }

  public static JsonObject fix(long ts, int i) {
    return new JsonObject()
        .put("ts", ts)
        .put("lat", 31.2304 + i * 0.0001)
        .put("lon", 121.4737 + i * 0.0001)
        .put("acc", 5.0)
        .put("spd", 3.1)
        .put("hdg", 270)
        .put("alt", 12.0)
        .put("bat", 0.81);
  }

  /** {@code n} fixes 10 s apart starting at {@code ts0}. */
  public static JsonArray batch(long ts0, int n) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) a.add(fix(ts0 + i * 10_000L, i));
    return a;
  }
}
