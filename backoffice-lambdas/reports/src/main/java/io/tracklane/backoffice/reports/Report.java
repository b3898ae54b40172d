package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.DbRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** A row of {@code reports}: one period's current generation. */
public record Report(
    String id,
    String periodType,
    LocalDate periodStart,
    LocalDate periodEnd,
    String timezone,
    String label,
    String status,
    int generation,
    String origin,
    String generatedBy,
    Instant generatedAt,
    Long durationMs,
    String bucket,
    String csvKey,
    String xlsxKey,
    String htmlKey,
    Integer tasksClaimed,
    Integer tasksCompleted,
    Integer tasksCancelled,
    Double onTimeRate,
    Double distanceM,
    Integer activeRiders,
    JsonObject summary,
    String error) {
  public static final String READY = "ready";
  public static final String FAILED = "failed";
  public static final String GENERATING = "generating";
  public static final List<String> FORMATS = List.of("csv", "xlsx", "html");

  public static final String COLUMNS =
      "id, period_type, period_start, period_end, timezone, label, status, generation, "
          + "origin, generated_by, generated_at, duration_ms, s3_bucket, csv_key, xlsx_key, html_key, tasks_claimed, "
          + "tasks_completed, tasks_cancelled, on_time_rate, distance_m, active_riders, summary, error";

  public static Report from(DbRow r) {
    OffsetDateTime at = r.getOffsetDateTime("generated_at");
    Object summary = r.getValue("summary");
    return new Report(
        r.getString("id"),
        r.getString("period_type"),
        r.getLocalDate("period_start"),
        r.getLocalDate("period_end"),
        r.getString("timezone"),
        r.getString("label"),
        r.getString("status"),
        r.getInteger("generation"),
        r.getString("origin"),
        r.getString("generated_by"),
        at.toInstant(),
        r.getLong("duration_ms"),
        r.getString("s3_bucket"),
        r.getString("csv_key"),
        r.getString("xlsx_key"),
        r.getString("html_key"),
        r.getInteger("tasks_claimed"),
        r.getInteger("tasks_completed"),
        r.getInteger("tasks_cancelled"),
        r.getDouble("on_time_rate"),
        r.getDouble("distance_m"),
        r.getInteger("active_riders"),
        summary instanceof JsonObject o ? o : new JsonObject(),
        r.getString("error"));
  }

  public boolean ready() {
    return READY.equals(status);
  }

  /** The S3 key of {@code format} (csv, xlsx or html). */
  public String key(String format) {
    return switch (format) {
      case "csv" -> csvKey;
      case "xlsx" -> xlsxKey;
      case "html" -> htmlKey;
      default -> throw new IllegalArgumentException("no format " + format);
    };
  }

  /** What a browser saves the file as: tracklane-week-2026-W47.csv. */
  public String fileName(String format) {
    return "tracklane-" + periodType + "-" + label + "." + format;
  }

  public JsonObject toJson() {
    JsonObject o =
        new JsonObject()
            .put("id", id)
            .put("periodType", periodType)
            .put("periodStart", periodStart.toString())
            .put("periodEnd", periodEnd.toString())
            .put("lastDay", periodEnd.minusDays(1).toString())
            .put("timezone", timezone)
            .put("label", label)
            .put("status", status)
            .put("generation", generation)
            .put("origin", origin)
            .put("generatedBy", generatedBy)
            .put("generatedAt", generatedAt.toString())
            .put("durationMs", durationMs);
    if (ready()) {
      o.put("formats", new JsonArray(FORMATS))
          .put("tasksClaimed", tasksClaimed)
          .put("tasksCompleted", tasksCompleted)
          .put("tasksCancelled", tasksCancelled)
          .put("onTimeRate", onTimeRate)
          .put("distanceKm", distanceM == null ? null : Math.round(distanceM) / 1000.0)
          .put("activeRiders", activeRiders)
          .put("money", summary.getJsonArray("money", new JsonArray()))
          .put("previous", summary.getJsonObject("previous"));
      // a regeneration that failed left these (previous) files and says why
      if (error != null) o.put("error", error);
    } else {
      o.put("formats", new JsonArray()).put("error", error);
    }
    return o;
  }
}
