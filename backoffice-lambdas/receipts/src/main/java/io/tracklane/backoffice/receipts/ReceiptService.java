package io.tracklane.backoffice.receipts;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.Database;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.backoffice.common.SqlSession;
import io.tracklane.backoffice.receipts.ocr.ReceiptReading;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receipts: presigned uploads, visibility, the review queue and a manager's review (the API side),
 * and claiming and recording OCR runs (the S3-event side). All SQL of the unit. Methods block the
 * calling (Lambda or worker) thread; refusals are {@link ApiException}s.
 *
 * <p>Life cycle: uploading (row created with the presigned upload) → processing (an OCR run claimed
 * it for one object ETag) → extracted | needs_review | failed → confirmed (a manager confirmed the
 * reading or corrected it). Every change writes a {@code receipt_events} row.
 *
 * <p>Idempotency under S3's at-least-once delivery: a run claims the row only when it is uploading,
 * when the object's ETag differs from the one already read (the rider uploaded again before
 * review), or when an earlier run's claim is older than {@link #STALE_PROCESSING} (that run died).
 * Redelivery of an event for the object already read is a no-op. Runs of one object are counted
 * ({@code ocr_attempts}); {@link #reclaimStale} (the sweep) restarts a run that died, and after
 * {@link #MAX_OCR_ATTEMPTS} the receipt is failed with the reason instead.
 */
public final class ReceiptService {
  private static final Logger log = LoggerFactory.getLogger(ReceiptService.class);

  /** Receipts one task may collect (bounds what a rider can make us store and read). */
  public static final int MAX_RECEIPTS_PER_TASK = 50;

  /** Longer than the OCR function's timeout: a claim this old belongs to a run that died. */
  public static final Duration STALE_PROCESSING = Duration.ofMinutes(15);

  /**
   * OCR runs claimed for one object before the receipt is given up as failed (a file that kills
   * every run).
   */
  public static final int MAX_OCR_ATTEMPTS = 3;

  public static final int MAX_NOTE = 500;
  public static final int MAX_MERCHANT = 200;
  static final int MAX_RAW_TEXT = 20_000;
  static final int MAX_FAILURE_REASON = 1_000;

  /** numeric(12, 2) */
  static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

  /** Competing readings kept per receipt (and readers named per figure). */
  static final int MAX_COMPETING_TOTALS = 8;

  /** Task states in which its rider may add receipts (expenses may be filed after completion). */
  static final List<String> TASK_STATES_FOR_RECEIPTS =
      List.of("claimed", "in_progress", "completed");

  private final BackofficeContext ctx;
  private final ReceiptStorage storage;
  private final ReceiptSettings settings;

  public ReceiptService(BackofficeContext ctx, ReceiptStorage storage, ReceiptSettings settings) {
    this.ctx = ctx;
    this.storage = storage;
    this.settings = settings;
  }

  public ReceiptSettings settings() {
    return settings;
  }

  // --- records -------------------------------------------------------------------------------

  /** A new receipt row and the form its rider posts the file with. */
  public record UploadGrant(Receipt receipt, PresignedPostPolicy.Upload upload) {
    public JsonObject toJson() {
      return new JsonObject().put("receipt", receipt.toJson()).put("upload", upload.toJson());
    }
  }

  /** A page of a list; {@code nextCursor} is null on the last page. */
  public record Page(List<Receipt> items, String nextCursor) {}

  /** Filters of the staff list; {@code after} is the decoded cursor. */
  public record ReceiptFilter(
      String status, String taskId, String riderId, int limit, PageCursor.TimeKey after) {}

  /**
   * A manager's correction: amount and currency always; date and merchant replace the read ones
   * when given.
   */
  public record Correction(
      BigDecimal amount, String currency, LocalDate date, String merchant, String note) {}

  /** One row of the audit trail. */
  public record ReceiptEvent(
      long id,
      String receiptId,
      String type,
      String fromStatus,
      String toStatus,
      String actorId,
      JsonObject details,
      Instant at) {}

  /** The outcome of trying to claim a receipt for an OCR run. */
  public sealed interface Claim {}

  /** No receipt has this bucket and key (not uploaded through the API). */
  public record Unknown() implements Claim {}

  /** Nothing to do: {@code why} says (already read, another run is on it, already reviewed). */
  public record Skip(String receiptId, String why) implements Claim {}

  /** This run owns the receipt for object {@code etag}. */
  public record Claimed(Receipt receipt, String etag) implements Claim {}

  /** Runs kept dying: the receipt is now failed with {@code reason} (no run is started). */
  public record GaveUp(String receiptId, String reason) implements Claim {}

  // --- uploads -------------------------------------------------------------------------------

  /**
   * Creates a receipt (uploading) for the caller's task and presigns its upload. 404 unknown task,
   * 403 someone else's, 409 a task in a state that takes no receipts or that has too many.
   */
  public UploadGrant requestUpload(
      Caller caller, String taskId, String contentType, Long declaredSize) {
    if (!caller.isRider())
      throw ApiException.forbidden("only the task's rider uploads its receipts");
    String id = UUID.randomUUID().toString();
    String key = "receipts/" + taskId + "/" + id + extension(contentType);
    PresignedPostPolicy.Upload upload =
        storage.presignUpload(key, contentType, settings.maxBytes(), settings.uploadTtl());
    Receipt receipt =
        inTransaction(
            sql -> {
              // FOR SHARE: a concurrent release/cancel of the task waits until this receipt exists
              DbRow task =
                  sql.one("SELECT status, claimed_by FROM tasks WHERE id = $1 FOR SHARE", taskId);
              if (task == null) throw ApiException.notFound("no task " + taskId);
              if (!caller.userId().equals(task.getString("claimed_by"))) {
                throw ApiException.forbidden(
                    "task " + taskId + " is not yours; only its rider uploads receipts for it");
              }
              String status = task.getString("status");
              if (!TASK_STATES_FOR_RECEIPTS.contains(status)) {
                throw ApiException.conflict(
                    "task is "
                        + status
                        + "; receipts are taken for tasks that are "
                        + String.join(", ", TASK_STATES_FOR_RECEIPTS));
              }
              long existing =
                  sql.one("SELECT count(*) FROM receipts WHERE task_id = $1", taskId).getLong(0);
              if (existing >= MAX_RECEIPTS_PER_TASK) {
                throw ApiException.conflict(
                    "task already has "
                        + existing
                        + " receipts (the limit is "
                        + MAX_RECEIPTS_PER_TASK
                        + ")");
              }
              DbRow row =
                  sql.one(
                      "INSERT INTO receipts AS r (id, task_id, rider_id, s3_bucket, s3_key, "
                          + "content_type, declared_size) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "
                          + Receipt.COLUMNS,
                      id,
                      taskId,
                      caller.userId(),
                      storage.bucket(),
                      key,
                      contentType,
                      declaredSize);
              event(
                  sql,
                  id,
                  "requested",
                  null,
                  Receipt.UPLOADING,
                  caller.userId(),
                  new JsonObject()
                      .put("contentType", contentType)
                      .put("declaredSize", declaredSize)
                      .put("expiresAt", upload.expiresAt().toString()));
              return Receipt.from(row);
            });
    log.info(
        "receipt {} for task {} requested by {} ({})", id, taskId, caller.userId(), contentType);
    return new UploadGrant(receipt, upload);
  }

  static String extension(String contentType) {
    return switch (contentType) {
      case "image/jpeg" -> ".jpg";
      case "image/png" -> ".png";
      case "application/pdf" -> ".pdf";
      default -> throw new IllegalArgumentException("not a receipt content type: " + contentType);
    };
  }

  // --- reading -------------------------------------------------------------------------------

  /** One receipt; a rider sees only their own (any other is 404 to them, not 403: don't reveal). */
  public Receipt get(Caller caller, String receiptId) {
    DbRow row =
        ctx.db().one("SELECT " + Receipt.COLUMNS + " FROM receipts r WHERE r.id = $1", receiptId);
    if (row == null) throw ApiException.notFound("no receipt " + receiptId);
    Receipt r = Receipt.from(row);
    if (!caller.isStaff() && !caller.userId().equals(r.riderId()))
      throw ApiException.notFound("no receipt " + receiptId);
    return r;
  }

  /**
   * A task's receipts, newest first. Staff see all; a rider sees their own, and only for a task
   * that is theirs or that they filed receipts for (403 otherwise); 404 for an unknown task.
   */
  public List<Receipt> forTask(Caller caller, String taskId) {
    DbRow task = ctx.db().one("SELECT claimed_by FROM tasks WHERE id = $1", taskId);
    if (task == null) throw ApiException.notFound("no task " + taskId);
    String sql = "SELECT " + Receipt.COLUMNS + " FROM receipts r WHERE r.task_id = $1";
    List<Object> params = new ArrayList<>(List.of(taskId));
    if (!caller.isStaff()) sql += " AND r.rider_id = " + param(params, caller.userId());
    List<Receipt> out = new ArrayList<>();
    ctx.db()
        .query(sql + " ORDER BY r.created_at DESC, r.id DESC", params.toArray())
        .forEach(row -> out.add(Receipt.from(row)));
    if (!caller.isStaff()
        && out.isEmpty()
        && !caller.userId().equals(task.getString("claimed_by"))) {
      throw ApiException.forbidden(
          "task " + taskId + " is not yours; riders see only their own receipts");
    }
    return out;
  }

  /**
   * Staff: receipts newest first (keyset on created_at, id), optionally by status, task and rider.
   */
  public Page list(Caller caller, ReceiptFilter f) {
    requireStaff(caller);
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (f.status() != null) where.add("r.status = " + param(params, f.status()));
    if (f.taskId() != null) where.add("r.task_id = " + param(params, f.taskId()));
    if (f.riderId() != null) where.add("r.rider_id = " + param(params, f.riderId()));
    if (f.after() != null) {
      where.add(
          "(r.created_at, r.id) < ("
              + param(params, f.after().at().atOffset(ZoneOffset.UTC))
              + ", "
              + param(params, f.after().id())
              + ")");
    }
    String sql =
        "SELECT "
            + Receipt.COLUMNS
            + " FROM receipts r"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY r.created_at DESC, r.id DESC LIMIT "
            + param(params, f.limit() + 1);
    List<Receipt> items = new ArrayList<>();
    ctx.db().query(sql, params.toArray()).forEach(r -> items.add(Receipt.from(r)));
    String next = null;
    if (items.size() > f.limit()) {
      items.remove(items.size() - 1);
      Receipt last = items.get(items.size() - 1);
      next = new PageCursor.TimeKey(last.createdAt(), last.id()).encode(PageCursor.RECEIPTS);
    }
    return new Page(items, next);
  }

  /** A short-lived link to the uploaded file, for the reviewer's page (or its rider). */
  public ReceiptStorage.Link imageLink(Caller caller, String receiptId) {
    Receipt r = get(caller, receiptId);
    if (Receipt.UPLOADING.equals(r.status()))
      throw ApiException.conflict("receipt " + receiptId + " has not been uploaded yet");
    return storage.presignGet(r.s3Key(), settings.imageUrlTtl());
  }

  /** The audit trail of one receipt, oldest first. */
  public List<ReceiptEvent> events(String receiptId) {
    List<ReceiptEvent> out = new ArrayList<>();
    ctx.db()
        .query(
            "SELECT id, receipt_id, type, from_status, to_status, actor_id, details, at "
                + "FROM receipt_events WHERE receipt_id = $1 ORDER BY at, id",
            receiptId)
        .forEach(
            r ->
                out.add(
                    new ReceiptEvent(
                        r.getLong("id"),
                        r.getString("receipt_id"),
                        r.getString("type"),
                        r.getString("from_status"),
                        r.getString("to_status"),
                        r.getString("actor_id"),
                        (JsonObject) r.getValue("details"),
                        Receipt.instant(r, "at"))));
    return out;
  }

  // --- review --------------------------------------------------------------------------------

  /** Staff accept what OCR read: extracted or needs_review receipts with an amount → confirmed. */
  public Receipt confirm(Caller caller, String receiptId, String note) {
    requireStaff(caller);
    return inTransaction(
        sql -> {
          Receipt cur = lockForReview(sql, receiptId);
          if (!List.of(Receipt.EXTRACTED, Receipt.NEEDS_REVIEW).contains(cur.status())) {
            throw ApiException.conflict(
                "receipt is "
                    + cur.status()
                    + "; only extracted or needs_review receipts can be "
                    + "confirmed"
                    + (Receipt.FAILED.equals(cur.status())
                        ? " (correct it with the amount instead)"
                        : ""));
          }
          if (cur.amount() == null || cur.currency() == null) {
            throw ApiException.conflict(
                "receipt has no amount and currency to confirm; correct it instead");
          }
          DbRow row =
              sql.one(
                  "UPDATE receipts AS r SET status = 'confirmed', reviewed_by = $2, "
                      + "reviewed_at = now(), review_note = $3, updated_at = now() WHERE r.id = $1 RETURNING "
                      + Receipt.COLUMNS,
                  receiptId,
                  caller.userId(),
                  note);
          event(
              sql,
              receiptId,
              "confirmed",
              cur.status(),
              Receipt.CONFIRMED,
              caller.userId(),
              new JsonObject().put("values", values(cur)).put("note", note));
          log.info(
              "receipt {} confirmed by {}: {} {}",
              receiptId,
              caller.userId(),
              cur.amount(),
              cur.currency());
          return Receipt.from(row);
        });
  }

  /**
   * Staff set the amount (and currency, optionally date and merchant) by hand → confirmed. Any read
   * state qualifies, including failed and an earlier confirmation; the event keeps old and new
   * values and the note.
   */
  public Receipt correct(Caller caller, String receiptId, Correction c) {
    requireStaff(caller);
    return inTransaction(
        sql -> {
          Receipt cur = lockForReview(sql, receiptId);
          if (Receipt.UPLOADING.equals(cur.status()) || Receipt.PROCESSING.equals(cur.status())) {
            throw ApiException.conflict(
                "receipt is " + cur.status() + "; wait until it has been read");
          }
          LocalDate date = c.date() != null ? c.date() : cur.date();
          String merchant = c.merchant() != null ? c.merchant() : cur.merchant();
          DbRow row =
              sql.one(
                  "UPDATE receipts AS r SET status = 'confirmed', amount = $2, "
                      + "currency = $3, receipt_date = $4, merchant = $5, reviewed_by = $6, reviewed_at = now(), review_note = $7, "
                      + "updated_at = now() WHERE r.id = $1 RETURNING "
                      + Receipt.COLUMNS,
                  receiptId,
                  c.amount(),
                  c.currency(),
                  date,
                  merchant,
                  caller.userId(),
                  c.note());
          Receipt after = Receipt.from(row);
          event(
              sql,
              receiptId,
              "corrected",
              cur.status(),
              Receipt.CONFIRMED,
              caller.userId(),
              new JsonObject()
                  .put("old", values(cur))
                  .put("new", values(after))
                  .put("note", c.note()));
          log.info(
              "receipt {} corrected by {}: {} {} → {} {}",
              receiptId,
              caller.userId(),
              cur.amount(),
              cur.currency(),
              after.amount(),
              after.currency());
          return after;
        });
  }

  private static Receipt lockForReview(SqlSession sql, String receiptId) {
    DbRow row =
        sql.one(
            "SELECT " + Receipt.COLUMNS + " FROM receipts r WHERE r.id = $1 FOR UPDATE", receiptId);
    if (row == null) throw ApiException.notFound("no receipt " + receiptId);
    return Receipt.from(row);
  }

  private static JsonObject values(Receipt r) {
    return new JsonObject()
        .put("status", r.status())
        .put("amount", r.amount() == null ? null : r.amount().toPlainString())
        .put("currency", r.currency())
        .put("date", r.date() == null ? null : r.date().toString())
        .put("merchant", r.merchant());
  }

  private static void requireStaff(Caller caller) {
    if (!caller.isStaff()) throw ApiException.forbidden("only managers and admins review receipts");
  }

  // --- OCR runs ------------------------------------------------------------------------------

  /**
   * Claims the receipt stored at bucket/key for reading the object with {@code etag} (see the class
   * comment).
   */
  public Claim claimForProcessing(String bucket, String key, String etag) {
    return inTransaction(
        sql -> {
          DbRow row =
              sql.one(
                  "SELECT "
                      + Receipt.COLUMNS
                      + ", r.object_etag, r.processing_etag, "
                      + "r.ocr_attempts, r.processing_started_at < now() - make_interval(secs => $3) AS stale FROM receipts r "
                      + "WHERE r.s3_bucket = $1 AND r.s3_key = $2 FOR UPDATE",
                  bucket,
                  key,
                  (double) STALE_PROCESSING.toSeconds());
          if (row == null) return new Unknown();
          Receipt cur = Receipt.from(row);
          String readEtag = row.getString("object_etag");
          // runs of the same object count towards the limit; a new object starts again at one
          boolean sameObject =
              Receipt.PROCESSING.equals(cur.status())
                  && etag != null
                  && etag.equals(row.getString("processing_etag"));
          int attempts = sameObject ? row.getInteger("ocr_attempts") : 0;
          if (sameObject
              && Boolean.TRUE.equals(row.getBoolean("stale"))
              && attempts >= MAX_OCR_ATTEMPTS) {
            return giveUp(sql, cur.id(), attempts);
          }
          String why =
              switch (cur.status()) {
                case Receipt.UPLOADING -> null;
                case Receipt.PROCESSING ->
                    Boolean.TRUE.equals(row.getBoolean("stale"))
                        ? null
                        : "another run is reading it (object "
                            + row.getString("processing_etag")
                            + ")";
                case Receipt.CONFIRMED -> "it was already reviewed";
                default ->
                    etag != null && etag.equals(readEtag)
                        ? "object " + etag + " was already read"
                        : null;
              };
          if (why != null) return new Skip(cur.id(), why);
          sql.update(
              "UPDATE receipts SET status = 'processing', processing_etag = $2, "
                  + "processing_started_at = now(), ocr_attempts = $3, updated_at = now() WHERE id = $1",
              cur.id(),
              etag,
              attempts + 1);
          event(
              sql,
              cur.id(),
              "processing",
              cur.status(),
              Receipt.PROCESSING,
              null,
              new JsonObject()
                  .put("etag", etag)
                  .put("attempt", attempts + 1)
                  .put(
                      "reason",
                      Receipt.UPLOADING.equals(cur.status())
                          ? "uploaded"
                          : Receipt.PROCESSING.equals(cur.status())
                              ? "earlier run presumed dead"
                              : "object replaced"));
          return new Claimed(cur, etag);
        });
  }

  /**
   * Receipts whose OCR run passed its deadline ({@link #STALE_PROCESSING}), longest waiting first.
   */
  public List<String> staleProcessing(int limit) {
    List<String> ids = new ArrayList<>();
    ctx.db()
        .query(
            "SELECT id FROM receipts WHERE status = 'processing' "
                + "AND processing_started_at < now() - make_interval(secs => $1) ORDER BY processing_started_at LIMIT $2",
            (double) STALE_PROCESSING.toSeconds(),
            limit)
        .forEach(r -> ids.add(r.getString("id")));
    return ids;
  }

  /**
   * For the sweep: claims a receipt whose run died for another run of the same object, or, once
   * {@link #MAX_OCR_ATTEMPTS} runs were claimed, gives it up as failed with the reason. A receipt
   * another run holds (row locked) or that is no longer stale is skipped.
   */
  public Claim reclaimStale(String receiptId) {
    return inTransaction(
        sql -> {
          DbRow row =
              sql.one(
                  "SELECT "
                      + Receipt.COLUMNS
                      + ", r.processing_etag, r.ocr_attempts "
                      + "FROM receipts r WHERE r.id = $1 AND r.status = 'processing' "
                      + "AND r.processing_started_at < now() - make_interval(secs => $2) FOR UPDATE SKIP LOCKED",
                  receiptId,
                  (double) STALE_PROCESSING.toSeconds());
          if (row == null) return new Skip(receiptId, "no longer waiting for a run");
          Receipt cur = Receipt.from(row);
          int attempts = row.getInteger("ocr_attempts");
          if (attempts >= MAX_OCR_ATTEMPTS) return giveUp(sql, receiptId, attempts);
          String etag = row.getString("processing_etag");
          sql.update(
              "UPDATE receipts SET processing_started_at = now(), ocr_attempts = $2, "
                  + "updated_at = now() WHERE id = $1",
              receiptId,
              attempts + 1);
          event(
              sql,
              receiptId,
              "processing",
              Receipt.PROCESSING,
              Receipt.PROCESSING,
              null,
              new JsonObject()
                  .put("etag", etag)
                  .put("attempt", attempts + 1)
                  .put("reason", "sweep: the earlier run passed its deadline"));
          return new Claimed(cur, etag);
        });
  }

  private static GaveUp giveUp(SqlSession sql, String receiptId, int attempts) {
    String reason =
        "OCR did not finish in "
            + attempts
            + " attempts (each run timed out or stopped); "
            + "enter the amount by hand";
    sql.update(
        "UPDATE receipts SET status = 'failed', failure_reason = $2, processed_at = now(), "
            + "processing_etag = NULL, processing_started_at = NULL, updated_at = now() WHERE id = $1",
        receiptId,
        reason);
    event(
        sql,
        receiptId,
        Receipt.FAILED,
        Receipt.PROCESSING,
        Receipt.FAILED,
        null,
        new JsonObject().put("failureReason", reason).put("attempts", attempts));
    log.warn("receipt {}: {}", receiptId, reason);
    return new GaveUp(receiptId, reason);
  }

  /** Records what the reader made of the object; false if this run lost its claim meanwhile. */
  public boolean recordReading(
      Claimed claim, ReceiptReading reading, ReceiptStorage.StoredObject object) {
    String status =
        switch (reading.status()) {
          case EXTRACTED -> Receipt.EXTRACTED;
          case NEEDS_REVIEW -> Receipt.NEEDS_REVIEW;
          case FAILED -> Receipt.FAILED;
        };
    List<String> reasons =
        new ArrayList<>(reading.reviewReasons() == null ? List.of() : reading.reviewReasons());
    BigDecimal amount = reading.amount();
    if (amount != null) {
      amount = amount.setScale(2, RoundingMode.HALF_EVEN);
      if (amount.signum() < 0 || amount.compareTo(MAX_AMOUNT) > 0) {
        reasons.add("amount " + reading.amount().toPlainString() + " is out of range");
        amount = null;
      }
    }
    String currency =
        reading.currency() != null && reading.currency().matches("[A-Z]{3}")
            ? reading.currency()
            : null;
    if (amount != null && currency == null) {
      // Most till receipts never name their currency; the task's (the business's) is the sound
      // assumption, said out loud so a reviewer sees it, and a confirm then has a currency.
      DbRow task =
          ctx.db().one("SELECT bonus_currency FROM tasks WHERE id = $1", claim.receipt().taskId());
      if (task != null) {
        currency = task.getString("bonus_currency");
        reasons.add("no currency on the receipt: assumed " + currency + ", the task's currency");
      }
    }
    if (amount == null && Receipt.EXTRACTED.equals(status)) {
      status = Receipt.NEEDS_REVIEW; // never let "extracted" stand without an amount
      reasons.add("no amount");
    }
    String failure = null;
    if (Receipt.FAILED.equals(status)) {
      failure =
          clip(
              reading.failureReason() == null || reading.failureReason().isBlank()
                  ? "the receipt could not be read"
                  : reading.failureReason(),
              MAX_FAILURE_REASON);
    }
    Double confidence =
        Double.isFinite(reading.confidence())
            ? Math.max(0, Math.min(1, reading.confidence()))
            : null;
    JsonArray reasonsJson = new JsonArray();
    reasons.forEach(x -> reasonsJson.add(clean(x)));
    // competing readings share the reasons' JSON column as objects (see Receipt.from)
    JsonArray competingJson = new JsonArray();
    if (reading.competingTotals() != null) {
      reading.competingTotals().stream()
          .filter(t -> t.amount() != null && t.amount().signum() >= 0)
          .filter(t -> t.amount().compareTo(MAX_AMOUNT) <= 0)
          .limit(MAX_COMPETING_TOTALS)
          .forEach(
              t ->
                  competingJson.add(
                      new Receipt.CompetingTotal(
                              t.amount(),
                              t.readBy().stream()
                                  .limit(MAX_COMPETING_TOTALS)
                                  .map(b -> clip(b, MAX_MERCHANT))
                                  .toList())
                          .toJson()));
    }
    JsonArray storedReasons = reasonsJson.copy();
    competingJson.forEach(storedReasons::add);
    return finish(
        claim,
        status,
        args(
            claim.receipt().id(),
            claim.etag(),
            status,
            object.etag(),
            object.size(),
            clean(reading.contentType()),
            amount,
            currency,
            reading.date(),
            clip(reading.merchant(), MAX_MERCHANT),
            confidence,
            clean(reading.provider()),
            clip(reading.rawText(), MAX_RAW_TEXT),
            storedReasons,
            failure),
        new JsonObject()
            .put("etag", object.etag())
            .put("size", object.size())
            .put("amount", amount == null ? null : amount.toPlainString())
            .put("currency", currency)
            .put("confidence", confidence)
            .put("provider", reading.provider())
            .put("reviewReasons", reasonsJson)
            .put("competingTotals", competingJson)
            .put("failureReason", failure));
  }

  /**
   * Records a refusal before reading (object missing or too large); false if this run lost its
   * claim.
   */
  public boolean recordFailure(Claimed claim, String reason, String objectEtag, Long objectSize) {
    String failure = clip(reason, MAX_FAILURE_REASON);
    return finish(
        claim,
        Receipt.FAILED,
        args(
            claim.receipt().id(),
            claim.etag(),
            Receipt.FAILED,
            objectEtag,
            objectSize,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new JsonArray(),
            failure),
        new JsonObject()
            .put("etag", objectEtag)
            .put("size", objectSize)
            .put("failureReason", failure));
  }

  private boolean finish(Claimed claim, String status, Object[] params, JsonObject details) {
    return inTransaction(
        sql -> {
          // guarded by the claim: a run presumed dead that wakes up must not overwrite its
          // successor
          DbRow row =
              sql.one(
                  "UPDATE receipts SET status = $3, object_etag = $4, object_size = $5, "
                      + "detected_content_type = $6, amount = $7, currency = $8, receipt_date = $9, merchant = $10, confidence = $11, "
                      + "provider = $12, raw_text = $13, review_reasons = $14, failure_reason = $15, processed_at = now(), "
                      + "processing_etag = NULL, processing_started_at = NULL, updated_at = now() "
                      + "WHERE id = $1 AND status = 'processing' AND processing_etag IS NOT DISTINCT FROM $2 RETURNING id",
                  params);
          if (row == null) {
            log.warn(
                "receipt {}: the claim for object {} was taken over; result dropped",
                claim.receipt().id(),
                claim.etag());
            return false;
          }
          event(sql, claim.receipt().id(), status, Receipt.PROCESSING, status, null, details);
          return true;
        });
  }

  /**
   * Gives a claim back after a transient failure, so the retried event finds the receipt uploading
   * again.
   */
  public void releaseClaim(Claimed claim, String why) {
    inTransaction(
        sql -> {
          DbRow row =
              sql.one(
                  "UPDATE receipts SET status = CASE WHEN object_etag IS NULL "
                      + "THEN 'uploading' ELSE status END, processing_etag = NULL, processing_started_at = NULL, updated_at = now() "
                      + "WHERE id = $1 AND status = 'processing' AND processing_etag IS NOT DISTINCT FROM $2 RETURNING status",
                  claim.receipt().id(),
                  claim.etag());
          if (row != null) {
            event(
                sql,
                claim.receipt().id(),
                "reset",
                Receipt.PROCESSING,
                row.getString("status"),
                null,
                new JsonObject()
                    .put("etag", claim.etag())
                    .put("reason", clip(why, MAX_FAILURE_REASON)));
          }
          return null;
        });
  }

  // --- helpers -------------------------------------------------------------------------------

  private static void event(
      SqlSession sql,
      String receiptId,
      String type,
      String from,
      String to,
      String actorId,
      JsonObject details) {
    sql.update(
        "INSERT INTO receipt_events (receipt_id, type, from_status, to_status, actor_id, details) "
            + "VALUES ($1, $2, $3, $4, $5, $6)",
        receiptId,
        type,
        from,
        to,
        actorId,
        details);
  }

  /** Runs {@code work} in one transaction (see {@link Database#inTransaction}). */
  private <T> T inTransaction(Database.Work<T> work) {
    return ctx.db().inTransaction(work);
  }

  /** Text Postgres accepts: NUL characters removed (OCR output may hold them). */
  static String clean(String s) {
    return s == null ? null : s.replace("\u0000", "");
  }

  static String clip(String s, int max) {
    String c = clean(s);
    return c == null || c.length() <= max ? c : c.substring(0, max);
  }

  private static String param(List<Object> params, Object value) {
    params.add(value);
    return "$" + params.size();
  }

  /** Statement arguments (any may be null). */
  private static Object[] args(Object... values) {
    return values;
  }
}
