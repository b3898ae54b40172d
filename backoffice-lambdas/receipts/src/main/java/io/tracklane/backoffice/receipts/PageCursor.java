package io.tracklane.backoffice.receipts;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * An opaque pagination cursor: a kind tag plus the (created_at, id) of the last item of a page, as
 * base64url JSON (the tasks unit's format). Decoded parts are only ever bound as SQL parameters;
 * anything that is not a cursor of the expected kind is refused with {@link IllegalArgumentException}.
 */
final class PageCursor {
  /** {@code GET /receipts}: (created_at, id), newest first. */
  static final String RECEIPTS = "r";

  private PageCursor() {}

  record TimeKey(Instant at, String id) {
    String encode(String kind) {
      String json = new JsonArray().add(kind).add(at.toString()).add(id).encode();
      return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static TimeKey decode(String text, String kind) {
      Object value;
      try {
        value = io.vertx.core.json.Json.decodeValue(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException | DecodeException e) {
        throw new IllegalArgumentException("not a cursor");
      }
      if (!(value instanceof JsonArray a) || a.size() != 3 || !kind.equals(a.getValue(0))
          || !(a.getValue(1) instanceof String at) || !(a.getValue(2) instanceof String id) || id.isEmpty()) {
        throw new IllegalArgumentException("not a cursor of this operation");
      }
      try {
        return new TimeKey(Instant.parse(at), id);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a cursor");
      }
    }
  }
}
