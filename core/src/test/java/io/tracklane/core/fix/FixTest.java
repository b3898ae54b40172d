package io.tracklane.core.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FixTest {

  @Test
  void ofLeavesOptionalFieldsNull() {
    Fix f = Fix.of(1_764_200_000_000L, 48.8566, 2.3522);
    assertEquals(1_764_200_000_000L, f.ts());
    assertEquals(48.8566, f.lat(), 0.0);
    assertEquals(2.3522, f.lon(), 0.0);
    assertNull(f.acc());
    assertNull(f.spd());
    assertNull(f.hdg());
    assertNull(f.alt());
    assertNull(f.bat());
  }

  @Test
  void toJsonWritesOnlyPresentFields() {
    JsonObject json = Fix.of(1000L, 1.5, -2.5).toJson();
    assertEquals(Set.of("ts", "lat", "lon"), json.fieldNames());
    assertEquals(1000L, json.getLong("ts"));
    assertEquals(1.5, json.getDouble("lat"), 0.0);
    assertEquals(-2.5, json.getDouble("lon"), 0.0);
    assertFalse(json.containsKey("acc"));
  }

  @Test
  void toJsonWritesAllFieldsWhenPresent() {
    JsonObject json = new Fix(5L, 10, 20, 3.0, 4.0, 90.0, 100.0, 0.25).toJson();
    assertEquals(
        new JsonObject()
            .put("ts", 5L)
            .put("lat", 10.0)
            .put("lon", 20.0)
            .put("acc", 3.0)
            .put("spd", 4.0)
            .put("hdg", 90.0)
            .put("alt", 100.0)
            .put("bat", 0.25),
        json);
    assertEquals(
        "{\"ts\":5,\"lat\":10.0,\"lon\":20.0,\"acc\":3.0,\"spd\":4.0,\"hdg\":90.0,\"alt\":100.0,\"bat\":0.25}",
        json.encode());
  }

  @Test
  void toJsonSkipsEachMissingOptionalIndependently() {
    JsonObject json = new Fix(5L, 10, 20, null, 4.0, null, -3.5, null).toJson();
    assertEquals(Set.of("ts", "lat", "lon", "spd", "alt"), json.fieldNames());
    assertEquals(-3.5, json.getDouble("alt"), 0.0);
  }

  @Test
  void valueEquality() {
    assertEquals(new Fix(1, 2, 3, null, null, null, null, null), Fix.of(1, 2, 3));
    assertEquals(
        Fix.of(1, 2, 3).hashCode(), new Fix(1, 2, 3, null, null, null, null, null).hashCode());
  }
}
