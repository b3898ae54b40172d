package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.DbRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** A receipt as the API shows it: the upload, what OCR read, and its review. Money as "12.34". */
public record Receipt(
    String id,
    String taskId,
    String riderId,
    String status,
    String contentType,
    Long declaredSize,
    Long objectSize,
    String detectedContentType,
    BigDecimal amount,
    String currency,
    LocalDate date,
    String merchant,
    Double confidence,
    String provider,
    String rawText,
    List<String> reviewReasons,
    String failureReason,
    String reviewedBy,
    Instant reviewedAt,
    String reviewNote,
    Instant processedAt,
    Instant createdAt,
    Instant updatedAt,
    String s3Key,
    List<CompetingTotal> competingTotals) {

  /**
   * A figure an independent reading (or the receipt's own arithmetic) gave for the total, and which
   * readings gave it: a reviewer's one-click choices when the reader was unsure.
   */
  public record CompetingTotal(BigDecimal amount, List<String> readBy) {
    public CompetingTotal {
      readBy = List.copyOf(readBy);
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("amount", amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString())
          .put("readBy", new JsonArray(new ArrayList<>(readBy)));
    }

    /** Null for an entry that is not one (the column also holds the review reasons' text). */
    static CompetingTotal fromJson(JsonObject o) {
      try {
        BigDecimal amount = new BigDecimal(o.getString("amount"));
        List<String> readBy = new ArrayList<>();
        JsonArray by = o.getJsonArray("readBy");
        if (by != null) by.forEach(x -> readBy.add(String.valueOf(x)));
        return new CompetingTotal(amount, readBy);
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  public static final String UPLOADING = "uploading";
  public static final String PROCESSING = "processing";
  public static final String EXTRACTED = "extracted";
  public static final String NEEDS_REVIEW = "needs_review";
  public static final String FAILED = "failed";
  public static final String CONFIRMED = "confirmed";
  public static final List<String> STATUSES =
      List.of(UPLOADING, PROCESSING, EXTRACTED, NEEDS_REVIEW, FAILED, CONFIRMED);

  /** Types a rider may upload: what the OCR reader can read. */
  public static final List<String> CONTENT_TYPES =
      List.of("image/jpeg", "image/png", "application/pdf");

  /** The columns {@link #from(DbRow)} reads, for a {@code receipts} table aliased {@code r}. */
  static final String COLUMNS =
      "r.id, r.task_id, r.rider_id, r.status, r.content_type, r.declared_size, r.object_size, "
          + "r.detected_content_type, r.amount, r.currency, r.receipt_date, r.merchant, r.confidence, r.provider, "
          + "r.raw_text, r.review_reasons, r.failure_reason, r.reviewed_by, r.reviewed_at, r.review_note, "
          + "r.processed_at, r.created_at, r.updated_at, r.s3_key";

  static Receipt from(DbRow r) {
    // review_reasons holds the reasons (text) and, since the reader keeps competing readings, the
    // figures it could not choose between (objects): one JSON column, no migration.
    List<String> reasons = new ArrayList<>();
    List<CompetingTotal> competing = new ArrayList<>();
    Object rr = r.getValue("review_reasons");
    if (rr instanceof JsonArray a) {
      a.forEach(
          x -> {
            if (x instanceof JsonObject o) {
              CompetingTotal c = CompetingTotal.fromJson(o);
              if (c != null) competing.add(c);
            } else {
              reasons.add(String.valueOf(x));
            }
          });
    }
    BigDecimal amount = r.getBigDecimal("amount");
    String currency = r.getString("currency");
    return new Receipt(
        r.getString("id"),
        r.getString("task_id"),
        r.getString("rider_id"),
        r.getString("status"),
        r.getString("content_type"),
        r.getLong("declared_size"),
        r.getLong("object_size"),
        r.getString("detected_content_type"),
        amount == null ? null : amount.setScale(2, RoundingMode.HALF_EVEN),
        currency == null ? null : currency.trim(),
        r.getLocalDate("receipt_date"),
        r.getString("merchant"),
        r.getDouble("confidence"),
        r.getString("provider"),
        r.getString("raw_text"),
        List.copyOf(reasons),
        r.getString("failure_reason"),
        r.getString("reviewed_by"),
        instant(r, "reviewed_at"),
        r.getString("review_note"),
        instant(r, "processed_at"),
        instant(r, "created_at"),
        instant(r, "updated_at"),
        r.getString("s3_key"),
        List.copyOf(competing));
  }

  /** Every field, nulls included, so clients see the whole shape. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("taskId", taskId)
        .put("riderId", riderId)
        .put("status", status)
        .put("contentType", contentType)
        .put("declaredSize", declaredSize)
        .put("objectSize", objectSize)
        .put("detectedContentType", detectedContentType)
        .put("amount", amount == null ? null : amount.toPlainString())
        .put("currency", currency)
        .put("date", date == null ? null : date.toString())
        .put("merchant", merchant)
        .put("confidence", confidence)
        .put("provider", provider)
        .put("rawText", rawText)
        .put("reviewReasons", new JsonArray(new ArrayList<>(reviewReasons)))
        .put(
            "competingTotals",
            new JsonArray(
                new ArrayList<>(competingTotals.stream().map(CompetingTotal::toJson).toList())))
        .put("failureReason", failureReason)
        .put("reviewedBy", reviewedBy)
        .put("reviewedAt", text(reviewedAt))
        .put("reviewNote", reviewNote)
        .put("processedAt", text(processedAt))
        .put("createdAt", text(createdAt))
        .put("updatedAt", text(updatedAt));
  }

  static Instant instant(DbRow r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
