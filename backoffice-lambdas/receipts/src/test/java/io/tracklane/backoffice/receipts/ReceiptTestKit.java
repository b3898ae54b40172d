package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.TestDatabase;
import io.tracklane.backoffice.common.TestS3;
import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One test class's world: a fresh migrated database with users, a route and tasks; an in-process S3
 * store; the receipts API handler and the OCR handler on them (the real reader, Tesseract); and
 * helpers to call the API like API Gateway does after the authorizer.
 */
final class ReceiptTestKit implements AutoCloseable {
  static final Caller ADMIN = new Caller("admin-1", "admin");
  static final Caller MANAGER = new Caller("manager-1", "manager");
  static final Caller RIDER = new Caller("rider-1", "rider");
  static final Caller RIDER2 = new Caller("rider-2", "rider");
  static final String ROUTE = "route-1";

  final TestS3 s3;
  final BackofficeContext ctx;
  final ReceiptStorage storage;
  final ReceiptsHandler handler;
  final ReceiptOcrHandler ocr;
  private static ReceiptReader sharedReader;

  record Res(int status, JsonObject body) {
    String message() {
      return body.getString("message");
    }

    JsonArray items() {
      return body.getJsonArray("items");
    }

    List<String> errorFields() {
      List<String> fields = new ArrayList<>();
      JsonArray errors = body.getJsonArray("errors", new JsonArray());
      for (int i = 0; i < errors.size(); i++)
        fields.add(errors.getJsonObject(i).getString("field"));
      return fields;
    }

    String errorMessage(String field) {
      JsonArray errors = body.getJsonArray("errors", new JsonArray());
      for (int i = 0; i < errors.size(); i++) {
        if (field.equals(errors.getJsonObject(i).getString("field")))
          return errors.getJsonObject(i).getString("message");
      }
      return null;
    }
  }

  ReceiptTestKit() throws Exception {
    this(Map.of());
  }

  ReceiptTestKit(Map<String, String> extraConfig) throws Exception {
    this(extraConfig, new TestS3("receipts", true));
  }

  ReceiptTestKit(Map<String, String> extraConfig, TestS3 s3) throws Exception {
    this.s3 = s3;
    Map<String, String> values = new HashMap<>(s3.config(ReceiptSettings.BUCKET.env()));
    values.putAll(extraConfig);
    ctx = TestDatabase.freshContext(values, Clock.systemUTC());
    storage = ReceiptStorage.create(ctx.config(), ctx.clock());
    handler = new ReceiptsHandler(ctx, storage);
    ocr = new ReceiptOcrHandler(ctx, storage, reader());
    for (Caller c : List.of(ADMIN, MANAGER, RIDER, RIDER2)) {
      sql(
          "INSERT INTO users (id, username, display_name, role, password_hash) VALUES ($1, $1, $1, $2, 'x')",
          c.userId(),
          c.role());
    }
    JsonObject geometry =
        new JsonObject()
            .put("type", "LineString")
            .put(
                "coordinates",
                new JsonArray()
                    .add(new JsonArray().add(121.47).add(31.23))
                    .add(new JsonArray().add(121.48).add(31.24)));
    sql(
        "INSERT INTO routes (id, lineage_id, name, geometry, checkpoints, length_m) VALUES ($1, $1, $1, $2, '[]', 1500)",
        ROUTE,
        geometry);
  }

  /**
   * The reader is built once per JVM, like a Lambda's init phase (loading Tesseract is the slow
   * part).
   */
  static synchronized ReceiptReader reader() {
    if (sharedReader == null)
      sharedReader =
          ReceiptReader.fromEnvironment(Map.of(ReceiptSettings.OCR_PROVIDER.env(), "tesseract"));
    return sharedReader;
  }

  /** A task in {@code status}, claimed by {@code rider} (null: open). */
  String task(String status, Caller rider) {
    String id = "task-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    sql(
        "INSERT INTO tasks (id, route_id, title, bonus_amount, bonus_currency, window_start, window_end, status, claimed_by, "
            + "claimed_at) VALUES ($1, $2, $1, 10, 'CNY', now() - interval '1 hour', now() + interval '2 hours', $3, $4, "
            + "CASE WHEN $4::text IS NULL THEN NULL ELSE now() END)",
        id,
        ROUTE,
        status,
        rider == null ? null : rider.userId());
    return id;
  }

  /**
   * A receipt already read, for review tests: inserted as the OCR function leaves it (status,
   * amount, currency), without an upload.
   */
  String readReceipt(String taskId, Caller rider, String status, String amount, String currency) {
    String id = "rcpt-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    sql(
        "INSERT INTO receipts (id, task_id, rider_id, s3_bucket, s3_key, content_type, status, amount, currency, confidence, "
            + "provider, review_reasons, failure_reason, object_etag, processed_at) VALUES ($1, $2, $3, $4, $5, 'image/png', $6, "
            + "$7, $8, 0.42, 'tesseract', $9, $10, 'etag-' || $1, now())",
        id,
        taskId,
        rider.userId(),
        s3.bucket,
        "receipts/" + taskId + "/" + id + ".png",
        status,
        amount == null ? null : new java.math.BigDecimal(amount),
        currency,
        "needs_review".equals(status) ? new JsonArray().add("low confidence") : new JsonArray(),
        "failed".equals(status) ? "not an image" : null);
    return id;
  }

  List<DbRow> sql(String sql, Object... params) {
    return ctx.db().query(sql, params).list();
  }

  long count(String sql, Object... params) {
    return sql(sql, params).get(0).getLong(0);
  }

  // --- calling the API -----------------------------------------------------------------------

  Res call(
      String method,
      String resource,
      Map<String, String> path,
      Map<String, String> query,
      Object body,
      Caller caller) {
    String text = body == null ? null : body instanceof JsonObject o ? o.encode() : body.toString();
    APIGatewayProxyRequestEvent e = ApiEvents.event(method, resource, path, text, caller);
    if (query != null && !query.isEmpty()) e.setQueryStringParameters(query);
    APIGatewayProxyResponseEvent r = handler.handleRequest(e, null);
    String b = r.getBody();
    return new Res(
        r.getStatusCode(), b == null || b.isEmpty() ? new JsonObject() : new JsonObject(b));
  }

  Res requestUpload(String taskId, Caller caller, JsonObject body) {
    return call("POST", "/tasks/{taskId}/receipts", Map.of("taskId", taskId), null, body, caller);
  }

  /** A granted upload (201 asserted): {receipt, upload}. */
  JsonObject grant(String taskId, Caller rider, String contentType) {
    Res r = requestUpload(taskId, rider, new JsonObject().put("contentType", contentType));
    assertEquals(201, r.status(), () -> r.body().encode());
    return r.body();
  }

  /** A new receipt still uploading (via the API). */
  String grantId(String taskId) {
    return grant(taskId, RIDER, "image/png").getJsonObject("receipt").getString("id");
  }

  ReceiptService service() {
    return handler.service();
  }

  Res get(String receiptId, Caller caller) {
    return call("GET", "/receipts/{receiptId}", Map.of("receiptId", receiptId), null, null, caller);
  }

  Res forTask(String taskId, Caller caller) {
    return call("GET", "/tasks/{taskId}/receipts", Map.of("taskId", taskId), null, null, caller);
  }

  Res list(Caller caller, Map<String, String> query) {
    return call("GET", "/receipts", Map.of(), query, null, caller);
  }

  Res review(String receiptId, Caller caller, JsonObject body) {
    return call(
        "PATCH", "/receipts/{receiptId}", Map.of("receiptId", receiptId), null, body, caller);
  }

  Res image(String receiptId, Caller caller) {
    return call(
        "GET", "/receipts/{receiptId}/image", Map.of("receiptId", receiptId), null, null, caller);
  }

  /** Posts {@code content} with the grant's form, as the rider's phone does. */
  S3Uploads.PostResult upload(JsonObject grant, String contentType, byte[] content)
      throws Exception {
    JsonObject upload = grant.getJsonObject("upload");
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    upload.getJsonObject("fields").forEach(e -> fields.put(e.getKey(), (String) e.getValue()));
    return S3Uploads.post(upload.getString("url"), fields, "receipt", contentType, content);
  }

  /** The S3 key of a receipt (not part of the API). */
  String keyOf(String receiptId) {
    return sql("SELECT s3_key FROM receipts WHERE id = $1", receiptId).get(0).getString(0);
  }

  @Override
  public void close() {
    storage.close();
    ctx.close();
    s3.close();
  }
}
