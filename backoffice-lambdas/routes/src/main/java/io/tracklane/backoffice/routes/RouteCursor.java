package io.tracklane.backoffice.routes;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.FieldError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The opaque pagination cursor of {@code GET /routes}: the sort key (name, id) of the last route
 * of a page, as base64url JSON. Clients must not build or parse it; it is only ever bound as SQL
 * parameters.
 */
record RouteCursor(String name, String id) {

  String encode() {
    byte[] json = new JsonArray().add(name).add(id).encode().getBytes(StandardCharsets.UTF_8);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
  }

  /** The cursor; 400 naming the {@code cursor} parameter when it is not one of ours. */
  static RouteCursor decode(String text) {
    try {
      String json = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      Object value = io.vertx.core.json.Json.decodeValue(json);
      if (value instanceof JsonArray a && a.size() == 2 && a.getValue(0) instanceof String name
          && a.getValue(1) instanceof String id) {
        return new RouteCursor(name, id);
      }
    } catch (IllegalArgumentException | DecodeException e) {
      // not base64url or not JSON: same answer as any other foreign cursor
    }
    String message = "is not a cursor returned by GET /routes";
    throw ApiException.badRequest("cursor: " + message, List.of(new FieldError("cursor", message)));
  }
}
