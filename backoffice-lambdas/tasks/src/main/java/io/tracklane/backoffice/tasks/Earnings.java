package io.tracklane.backoffice.tasks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A rider's earnings: totals per currency over every entry, and one page of entries, newest first.
 */
public record Earnings(
    String riderId, List<Total> totals, List<LedgerEntry> entries, String nextCursor) {
  public record Total(String currency, BigDecimal amount) {}

  public record LedgerEntry(
      long id,
      String taskId,
      String kind,
      BigDecimal amount,
      String currency,
      String note,
      Instant createdAt) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("id", id)
          .put("taskId", taskId)
          .put("kind", kind)
          .put("amount", amount.toPlainString())
          .put("currency", currency)
          .put("note", note)
          .put("createdAt", createdAt.toString());
    }
  }

  public JsonObject toJson() {
    JsonArray t = new JsonArray();
    totals.forEach(
        x ->
            t.add(
                new JsonObject()
                    .put("currency", x.currency())
                    .put("amount", x.amount().toPlainString())));
    JsonArray e = new JsonArray();
    entries.forEach(x -> e.add(x.toJson()));
    JsonObject o = new JsonObject().put("riderId", riderId).put("totals", t).put("entries", e);
    if (nextCursor != null) o.put("nextCursor", nextCursor);
    return o;
  }
}
