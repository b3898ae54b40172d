package io.tracklane.core.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FixErrorTest {

  @Test
  void toStringOfAFieldError() {
    assertEquals(
        "fix[3].lat: must be between -90 and 90, got 91.5",
        new FixError(3, "lat", "must be between -90 and 90, got 91.5").toString());
  }

  @Test
  void toStringOfAnElementError() {
    assertEquals(
        "fix[0]: must be a JSON object, got number",
        new FixError(0, null, "must be a JSON object, got number").toString());
  }

  @Test
  void toStringOfAPayloadError() {
    assertEquals(
        "payload: malformed JSON: x", new FixError(-1, null, "malformed JSON: x").toString());
    assertEquals(-1, FixError.PAYLOAD);
  }

  @Test
  void toJsonIncludesField() {
    assertEquals(
        new JsonObject().put("index", 2).put("field", "bat").put("message", "m"),
        new FixError(2, "bat", "m").toJson());
  }

  @Test
  void toJsonOmitsNullField() {
    JsonObject json = new FixError(-1, null, "payload is empty").toJson();
    assertFalse(json.containsKey("field"));
    assertEquals(new JsonObject().put("index", -1).put("message", "payload is empty"), json);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> new FixError(-2, null, "x"));
    assertThrows(NullPointerException.class, () -> new FixError(0, "ts", null));
  }
}
