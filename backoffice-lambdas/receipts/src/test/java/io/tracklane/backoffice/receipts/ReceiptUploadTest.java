package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Asking for an upload (validation naming each field, ownership), then the whole path with real
 * parts: the rider posts a rendered receipt through the presigned form to the S3 API, the OCR
 * function gets S3's ObjectCreated event and the receipt holds the total; S3 redelivering the event
 * changes nothing.
 */
class ReceiptUploadTest {
  static ReceiptTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    kit = new ReceiptTestKit();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
  }

  @Test
  void validationErrorsNameTheField() {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    var missing = kit.requestUpload(task, ReceiptTestKit.RIDER, new JsonObject());
    assertEquals(400, missing.status());
    assertEquals(List.of("contentType"), missing.errorFields());
    assertEquals("is required", missing.errorMessage("contentType"));

    var wrong =
        kit.requestUpload(
            task,
            ReceiptTestKit.RIDER,
            new JsonObject().put("contentType", "image/gif").put("size", 0).put("colour", "red"));
    assertEquals(400, wrong.status());
    assertEquals(
        List.of("colour", "contentType", "size"), wrong.errorFields().stream().sorted().toList());
    assertTrue(wrong.errorMessage("contentType").contains("image/jpeg"), wrong.body().encode());

    var big =
        kit.requestUpload(
            task,
            ReceiptTestKit.RIDER,
            new JsonObject()
                .put("contentType", "image/png")
                .put("size", ReceiptSettings.DEFAULT_MAX_BYTES + 1));
    assertEquals(List.of("size"), big.errorFields());
    assertEquals("must be between 1 and 10485760 bytes (10 MiB)", big.errorMessage("size"));

    var fraction =
        kit.requestUpload(
            task,
            ReceiptTestKit.RIDER,
            new JsonObject().put("contentType", "image/png").put("size", 12.5));
    assertEquals("must be a whole number", fraction.errorMessage("size"));

    var notJson =
        kit.call(
            "POST",
            "/tasks/{taskId}/receipts",
            Map.of("taskId", task),
            null,
            "{",
            ReceiptTestKit.RIDER);
    assertEquals(400, notJson.status());
    assertEquals(
        0, kit.count("SELECT count(*) FROM receipts WHERE task_id = $1", task), "nothing created");
  }

  @Test
  void onlyTheTasksRiderMayUpload() {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    JsonObject body = new JsonObject().put("contentType", "image/jpeg");
    var other = kit.requestUpload(task, ReceiptTestKit.RIDER2, body);
    assertEquals(403, other.status(), other.body().encode());
    assertTrue(other.message().contains("not yours"), other.message());
    assertEquals(404, kit.requestUpload("no-such-task", ReceiptTestKit.RIDER, body).status());
    assertEquals(
        403,
        kit.requestUpload(kit.task("open", null), ReceiptTestKit.RIDER, body).status(),
        "an open task is nobody's");
    assertEquals(
        403,
        kit.requestUpload(task, ReceiptTestKit.MANAGER, body).status(),
        "managers review, riders upload");
    var cancelled =
        kit.requestUpload(kit.task("cancelled", ReceiptTestKit.RIDER), ReceiptTestKit.RIDER, body);
    assertEquals(409, cancelled.status());
    assertTrue(cancelled.message().contains("cancelled"), cancelled.message());
    assertEquals(0, kit.count("SELECT count(*) FROM receipts WHERE task_id = $1", task));
  }

  @Test
  void aGrantIsAPresignedPostForOneKey() {
    String task = kit.task("claimed", ReceiptTestKit.RIDER);
    JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "application/pdf");
    JsonObject receipt = grant.getJsonObject("receipt");
    assertEquals("uploading", receipt.getString("status"));
    assertEquals(task, receipt.getString("taskId"));
    assertEquals(ReceiptTestKit.RIDER.userId(), receipt.getString("riderId"));
    JsonObject upload = grant.getJsonObject("upload");
    assertEquals("POST", upload.getString("method"));
    assertEquals(
        kit.s3.endpoint + "/" + kit.s3.bucket + "/", upload.getString("url"), "path-style locally");
    assertEquals(ReceiptSettings.DEFAULT_MAX_BYTES, upload.getLong("maxBytes"));
    JsonObject fields = upload.getJsonObject("fields");
    assertEquals(
        "receipts/" + task + "/" + receipt.getString("id") + ".pdf", fields.getString("key"));
    assertEquals("application/pdf", fields.getString("Content-Type"));
    assertEquals(
        List.of("requested"),
        kit
            .sql("SELECT type FROM receipt_events WHERE receipt_id = $1", receipt.getString("id"))
            .stream()
            .map(r -> r.getString(0))
            .toList());
    assertEquals(
        409,
        kit.image(receipt.getString("id"), ReceiptTestKit.MANAGER).status(),
        "nothing uploaded yet");
  }

  @Test
  void uploadThenOcrThenTheRowHoldsTheTotalAndARedeliveryIsANoOp() throws Exception {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
    String id = grant.getJsonObject("receipt").getString("id");
    byte[] png = ReceiptImages.tillReceiptPng();
    S3Uploads.PostResult posted = kit.upload(grant, "image/png", png);
    assertEquals(204, posted.status(), posted.body());

    // S3 → Lambda: the notification of the new object
    var event =
        S3Uploads.objectCreated(
            "ObjectCreated:Post", kit.s3.bucket, kit.keyOf(id), png.length, posted.etag());
    Map<String, Object> first = kit.ocr.handleRequest(event, null);
    assertEquals(1, first.get("processed"), first.toString());

    JsonObject receipt = kit.get(id, ReceiptTestKit.RIDER).body();
    assertEquals("12.34", receipt.getString("amount"), receipt.encode());
    assertTrue(
        List.of("extracted", "needs_review").contains(receipt.getString("status")),
        receipt.encode());
    assertEquals((long) png.length, receipt.getLong("objectSize"));
    assertEquals("image/png", receipt.getString("detectedContentType"));
    assertNotNull(receipt.getString("provider"));
    assertNull(receipt.getString("failureReason"));
    assertTrue(receipt.getString("rawText").contains("TOTAL"), receipt.getString("rawText"));

    // S3 delivers at least once: the same event again, and once more concurrently with nothing
    Map<String, Object> again = kit.ocr.handleRequest(event, null);
    assertEquals(1, again.get("skipped"), again.toString());
    assertEquals(0, again.get("processed"), again.toString());
    assertEquals(
        1,
        kit.count(
            "SELECT count(*) FROM receipt_events WHERE receipt_id = $1 AND type = 'processing'",
            id));
    assertEquals(
        1,
        kit.count(
            "SELECT count(*) FROM receipt_events WHERE receipt_id = $1 AND type IN "
                + "('extracted', 'needs_review', 'failed')",
            id),
        "processed once");
    assertEquals(
        receipt.getString("updatedAt"),
        kit.get(id, ReceiptTestKit.RIDER).body().getString("updatedAt"));

    // the reviewer's link serves the very bytes
    JsonObject link = kit.image(id, ReceiptTestKit.MANAGER).body();
    HttpResponse<byte[]> img =
        S3Uploads.HTTP.send(
            HttpRequest.newBuilder(URI.create(link.getString("url"))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, img.statusCode());
    assertTrue(java.util.Arrays.equals(png, img.body()));
  }
}
