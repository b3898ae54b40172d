package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.DbRow;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A task as the API shows it. {@code distanceKm} is only set in lists filtered with {@code near}:
 * the distance from that point to the first position of the task's route.
 */
public record Task(
    String id,
    String routeId,
    String title,
    String description,
    BigDecimal bonusAmount,
    String bonusCurrency,
    Instant windowStart,
    Instant windowEnd,
    String status,
    String claimedBy,
    Instant claimedAt,
    Instant startedAt,
    Instant completedAt,
    Instant cancelledAt,
    String cancelReason,
    Instant createdAt,
    Instant updatedAt,
    Double distanceKm) {

  public static final String OPEN = "open";
  public static final String CLAIMED = "claimed";
  public static final String IN_PROGRESS = "in_progress";

  /**
   * Completion asked, but the ride looks uploaded after the fact: no bonus until an admin approves.
   */
  public static final String NEEDS_REVIEW = "needs_review";

  public static final String COMPLETED = "completed";
  public static final String CANCELLED = "cancelled";
  public static final String EXPIRED = "expired";
  public static final List<String> STATUSES =
      List.of(OPEN, CLAIMED, IN_PROGRESS, NEEDS_REVIEW, COMPLETED, CANCELLED, EXPIRED);

  /** The columns {@link #from(DbRow)} reads, for a {@code tasks} table aliased {@code t}. */
  static final String COLUMNS =
      "t.id, t.route_id, t.title, t.description, t.bonus_amount, t.bonus_currency, "
          + "t.window_start, t.window_end, t.status, t.claimed_by, t.claimed_at, t.started_at, t.completed_at, "
          + "t.cancelled_at, t.cancel_reason, t.created_at, t.updated_at";

  static Task from(DbRow r) {
    Double distance = r.getColumnIndex("distance_km") >= 0 ? r.getDouble("distance_km") : null;
    return new Task(
        r.getString("id"),
        r.getString("route_id"),
        r.getString("title"),
        r.getString("description"),
        money(r.getBigDecimal("bonus_amount")),
        r.getString("bonus_currency"),
        instant(r, "window_start"),
        instant(r, "window_end"),
        r.getString("status"),
        r.getString("claimed_by"),
        instant(r, "claimed_at"),
        instant(r, "started_at"),
        instant(r, "completed_at"),
        instant(r, "cancelled_at"),
        r.getString("cancel_reason"),
        instant(r, "created_at"),
        instant(r, "updated_at"),
        distance);
  }

  /** Every field, nulls included (so clients see the whole shape); money as "12.50". */
  public JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("id", id)
            .put("routeId", routeId)
            .put("title", title)
            .put("description", description)
            .put("bonusAmount", bonusAmount.toPlainString())
            .put("bonusCurrency", bonusCurrency)
            .put("windowStart", text(windowStart))
            .put("windowEnd", text(windowEnd))
            .put("status", status)
            .put("claimedBy", claimedBy)
            .put("claimedAt", text(claimedAt))
            .put("startedAt", text(startedAt))
            .put("completedAt", text(completedAt))
            .put("cancelledAt", text(cancelledAt))
            .put("cancelReason", cancelReason)
            .put("createdAt", text(createdAt))
            .put("updatedAt", text(updatedAt));
    if (distanceKm != null) o.put("distanceKm", Math.round(distanceKm * 1000.0) / 1000.0);
    return o;
  }

  static BigDecimal money(BigDecimal amount) {
    return amount == null ? null : amount.setScale(2, RoundingMode.HALF_EVEN);
  }

  static Instant instant(DbRow r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
