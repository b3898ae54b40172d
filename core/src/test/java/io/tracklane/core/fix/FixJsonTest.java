package io.tracklane.core.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixJsonTest {

  @Test
  void emptyList() {
    assertTrue(FixJson.errorsToJson(List.of()).isEmpty());
  }

  @Test
  void errorsInOrder() {
    JsonArray json =
        FixJson.errorsToJson(List.of(new FixError(-1, null, "a"), new FixError(4, "hdg", "b")));
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("index", -1).put("message", "a"))
            .add(new JsonObject().put("index", 4).put("field", "hdg").put("message", "b")),
        json);
    assertEquals(
        "[{\"index\":-1,\"message\":\"a\"},{\"index\":4,\"field\":\"hdg\",\"message\":\"b\"}]",
        json.encode());
  }
}
