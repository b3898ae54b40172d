package io.tracklane.backoffice.common;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An opaque pagination cursor: a kind tag plus the sort key of the last item of a page, as
 * base64url JSON. Clients must neither build nor parse it; decoded parts are only ever bound as SQL
 * parameters or used as a DynamoDB key. Anything that is not a cursor of the expected kind is
 * refused with {@link IllegalArgumentException}. The kind tags of every unit's lists are declared
 * here, so no two operations can accept each other's cursors.
 */
public final class PageCursor {
  /** {@code GET /routes}: (name, id), by name. */
  public static final String ROUTES = "n";

  /** {@code GET /receipts}: (created_at, id), newest first. */
  public static final String RECEIPTS = "r";

  /** {@code GET /tasks}, {@code GET /riders/me/tasks}: (created_at, id), newest first. */
  public static final String TASKS = "t";

  /** Earnings entries: (created_at, ledger id), newest first. */
  public static final String LEDGER = "l";

  /** Track history: (taskId, ts), the DynamoDB key of the last fix returned. */
  public static final String TRACK = "f";

  private PageCursor() {}

  public static String encode(String kind, String... parts) {
    JsonArray a = new JsonArray().add(kind);
    for (String p : parts) a.add(p);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(a.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a cursor of {@code kind} with exactly {@code size} parts. */
  public static List<String> decode(String text, String kind, int size) {
    Object value;
    try {
      value =
          Json.decodeValue(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException e) {
      throw new IllegalArgumentException("not a cursor");
    }
    if (!(value instanceof JsonArray a) || a.size() != size + 1 || !kind.equals(a.getValue(0))) {
      throw new IllegalArgumentException("not a cursor of this operation");
    }
    List<String> parts = new ArrayList<>(size);
    for (int i = 1; i <= size; i++) {
      if (!(a.getValue(i) instanceof String s) || s.isEmpty())
        throw new IllegalArgumentException("not a cursor");
      parts.add(s);
    }
    return parts;
  }

  /** A (time, id) keyset position. */
  public record TimeKey(Instant at, String id) {
    public String encode(String kind) {
      return PageCursor.encode(kind, at.toString(), id);
    }

    public static TimeKey decode(String text, String kind) {
      List<String> p = PageCursor.decode(text, kind, 2);
      try {
        return new TimeKey(Instant.parse(p.get(0)), p.get(1));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a cursor");
      }
    }
  }
}
