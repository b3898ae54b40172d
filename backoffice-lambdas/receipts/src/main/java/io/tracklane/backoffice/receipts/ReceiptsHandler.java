package io.tracklane.backoffice.receipts;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.ApiRequest;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.PageCursor;
import io.tracklane.backoffice.common.QueryParams;
import io.tracklane.backoffice.common.Responses;
import io.tracklane.backoffice.common.Validator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code receipts} function: a rider asks to upload a receipt for their task (a presigned S3
 * POST whose policy pins key, type and size), riders see their own receipts, managers see all, work
 * the review queue ({@code GET /receipts?status=needs_review}) and confirm or correct a reading.
 * Thin: parsing and shaping here, SQL in {@link ReceiptService}. Which role may call an operation
 * is {@code Permissions}' decision (the authorizer's policy, checked again by {@code ApiHandler});
 * ownership is checked here and in the service. The OCR itself is {@link ReceiptOcrHandler},
 * triggered by the upload.
 */
public class ReceiptsHandler extends ApiHandler {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  static final Set<String> UPLOAD_FIELDS = Set.of("contentType", "size");
  static final Set<String> REVIEW_FIELDS =
      Set.of("action", "amount", "currency", "date", "merchant", "note");
  static final List<String> ACTIONS = List.of("confirm", "correct");

  private final ReceiptService receipts;

  /** Lambda entry point: the init phase builds the shared context and the S3 clients. */
  public ReceiptsHandler() {
    this(BackofficeContext.fromEnv());
  }

  public ReceiptsHandler(BackofficeContext ctx) {
    this(ctx, ReceiptStorage.create(ctx.config(), ctx.clock()));
  }

  /** With given S3 clients (tests, local stack). */
  public ReceiptsHandler(BackofficeContext ctx, ReceiptStorage storage) {
    this.receipts = new ReceiptService(ctx, storage, ReceiptSettings.from(ctx.config()));
    on("POST", "/tasks/{taskId}/receipts", this::requestUpload);
    on("GET", "/tasks/{taskId}/receipts", this::forTask);
    on("GET", "/receipts", this::list);
    on(
        "GET",
        "/receipts/{receiptId}",
        r -> Responses.ok(receipts.get(r.caller(), receiptId(r)).toJson()));
    on("PATCH", "/receipts/{receiptId}", this::review);
    on("GET", "/receipts/{receiptId}/image", this::image);
  }

  public ReceiptService service() {
    return receipts;
  }

  // --- operations ----------------------------------------------------------------------------

  private APIGatewayProxyResponseEvent requestUpload(ApiRequest request) {
    Caller caller = request.caller();
    String taskId = request.pathParam("taskId");
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    unknownFields(v, body, UPLOAD_FIELDS);
    String contentType = v.oneOf("contentType", true, Receipt.CONTENT_TYPES);
    Long size =
        wholeNumber(
            v,
            body,
            "size",
            1,
            receipts.settings().maxBytes(),
            " bytes (" + mib(receipts.settings().maxBytes()) + ")");
    v.throwIfInvalid();
    ReceiptService.UploadGrant grant = receipts.requestUpload(caller, taskId, contentType, size);
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(201)
        .withHeaders(
            Map.of(
                "Content-Type",
                "application/json",
                "Location",
                "/receipts/" + grant.receipt().id()))
        .withBody(grant.toJson().encode());
  }

  private APIGatewayProxyResponseEvent forTask(ApiRequest request) {
    JsonArray items = new JsonArray();
    receipts
        .forTask(request.caller(), request.pathParam("taskId"))
        .forEach(r -> items.add(r.toJson()));
    return Responses.ok(new JsonObject().put("items", items));
  }

  private APIGatewayProxyResponseEvent list(ApiRequest request) {
    Caller caller = request.caller();
    QueryParams q = new QueryParams(request);
    String status = q.oneOf("status", Receipt.STATUSES);
    String taskId = q.id("taskId", 64);
    String riderId = q.id("riderId", 64);
    int limit = q.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    PageCursor.TimeKey after =
        q.cursor("cursor", c -> PageCursor.TimeKey.decode(c, PageCursor.RECEIPTS), "GET /receipts");
    q.throwIfInvalid();
    ReceiptService.Page page =
        receipts.list(
            caller, new ReceiptService.ReceiptFilter(status, taskId, riderId, limit, after));
    JsonArray items = new JsonArray();
    page.items().forEach(r -> items.add(r.toJson()));
    JsonObject body = new JsonObject().put("items", items);
    if (page.nextCursor() != null) body.put("nextCursor", page.nextCursor());
    return Responses.ok(body);
  }

  /**
   * {@code {"action":"confirm","note"?}} or {@code
   * {"action":"correct","amount","currency","date"?,"merchant"?,"note"}}.
   */
  private APIGatewayProxyResponseEvent review(ApiRequest request) {
    Caller caller = request.caller();
    String id = receiptId(request);
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    unknownFields(v, body, REVIEW_FIELDS);
    String action = v.oneOf("action", true, ACTIONS);
    if ("confirm".equals(action)) {
      for (String f : List.of("amount", "currency", "date", "merchant")) {
        if (body.containsKey(f)) v.error(f, "is only allowed with action correct");
      }
      String note = v.string("note", false, ReceiptService.MAX_NOTE);
      v.throwIfInvalid();
      return Responses.ok(receipts.confirm(caller, id, note).toJson());
    }
    var amount = v.money("amount", "correct".equals(action), ReceiptService.MAX_AMOUNT);
    String currency = v.currency("currency", "correct".equals(action));
    LocalDate date = date(v, body, "date");
    String merchant = v.string("merchant", false, ReceiptService.MAX_MERCHANT);
    String note = v.string("note", "correct".equals(action), ReceiptService.MAX_NOTE);
    v.throwIfInvalid();
    return Responses.ok(
        receipts
            .correct(
                caller, id, new ReceiptService.Correction(amount, currency, date, merchant, note))
            .toJson());
  }

  private APIGatewayProxyResponseEvent image(ApiRequest request) {
    String id = receiptId(request);
    ReceiptStorage.Link link = receipts.imageLink(request.caller(), id);
    return Responses.ok(
        new JsonObject()
            .put("receiptId", id)
            .put("url", link.url())
            .put("expiresAt", link.expiresAt().toString()));
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String receiptId(ApiRequest request) {
    return request.pathParam("receiptId");
  }

  private static void unknownFields(Validator v, JsonObject body, Set<String> known) {
    for (String name : body.fieldNames()) {
      if (!known.contains(name)) v.error(name, "is not a known field");
    }
  }

  /** An optional whole number in [min, max]; null when absent or invalid (and then reported). */
  static Long wholeNumber(
      Validator v, JsonObject body, String field, long min, long max, String unit) {
    Object raw = body.getValue(field);
    if (raw == null) return null;
    if (!(raw instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || Double.isInfinite(n.doubleValue())) {
      v.error(field, "must be a whole number");
      return null;
    }
    long value = n.longValue();
    if (value < min || value > max) {
      v.error(field, "must be between " + min + " and " + max + unit);
      return null;
    }
    return value;
  }

  /**
   * An optional ISO date (YYYY-MM-DD) from 2000-01-01 to tomorrow (receipts are never from the
   * future).
   */
  static LocalDate date(Validator v, JsonObject body, String field) {
    String s = v.string(field, false, 10);
    if (s == null) return null;
    try {
      LocalDate d = LocalDate.parse(s);
      if (d.isBefore(LocalDate.of(2000, 1, 1))
          || d.isAfter(LocalDate.now(ZoneOffset.UTC).plusDays(1))) {
        v.error(field, "must be a date between 2000-01-01 and today");
        return null;
      }
      return d;
    } catch (DateTimeParseException e) {
      v.error(field, "must be a date such as 2026-11-27");
      return null;
    }
  }

  private static String mib(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
  }
}
