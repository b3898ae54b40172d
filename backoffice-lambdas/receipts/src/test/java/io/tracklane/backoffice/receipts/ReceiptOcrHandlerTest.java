package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import io.tracklane.backoffice.common.TestS3;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The OCR function on what riders and S3 really send: bad files end {@code failed} with a reason
 * and never fail the invocation; events it has no receipt for are skipped; an S3 outage fails the
 * invocation (so Lambda retries) without losing the event's other records, and the retry finishes
 * the job.
 */
class ReceiptOcrHandlerTest {
  /** Small, so an oversized object is cheap to make. */
  static final long MAX_BYTES = 300_000;

  /** Keys the S3 API answers 503 to reads of (an outage). */
  static final java.util.Set<String> FLAKY_KEYS =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static ReceiptTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    kit =
        new ReceiptTestKit(
            Map.of(ReceiptSettings.MAX_BYTES.env(), Long.toString(MAX_BYTES)),
            new TestS3("receipts", true, FlakyStore::new));
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
  }

  @Test
  void aTextFileNamedJpgFailsWithAReason() throws Exception {
    JsonObject receipt =
        uploadAndRead("image/jpeg", "this is not a picture of a receipt\n".getBytes());
    assertEquals("failed", receipt.getString("status"), receipt.encode());
    assertNotNull(receipt.getString("failureReason"));
    assertTrue(receipt.getString("amount") == null, receipt.encode());
  }

  @Test
  void aCorruptedPngFailsWithAReason() throws Exception {
    byte[] png = ReceiptImages.tillReceiptPng();
    byte[] broken = java.util.Arrays.copyOf(png, png.length / 3); // truncated mid-image
    JsonObject receipt = uploadAndRead("image/png", broken);
    assertEquals("failed", receipt.getString("status"), receipt.encode());
    assertNotNull(receipt.getString("failureReason"));
  }

  @Test
  void s3RefusesAnEmptyFileAndTheReceiptWaits() throws Exception {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
    S3Uploads.PostResult r = kit.upload(grant, "image/png", new byte[0]);
    assertEquals(400, r.status(), "content-length-range starts at 1: " + r.body());
    assertEquals(
        "uploading",
        kit.get(grant.getJsonObject("receipt").getString("id"), ReceiptTestKit.RIDER)
            .body()
            .getString("status"));
  }

  @Test
  void anObjectOverTheLimitIsRefusedWithoutReadingIt() {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    String id =
        kit.grant(task, ReceiptTestKit.RIDER, "image/png").getJsonObject("receipt").getString("id");
    String key = kit.keyOf(id);
    // written past the policy (straight to the bucket), as a misconfigured client could
    var put =
        kit.s3.admin.putObject(
            b -> b.bucket(kit.s3.bucket).key(key).contentType("image/png"),
            RequestBody.fromBytes(new byte[(int) MAX_BYTES + 1]));
    var out =
        kit.ocr.handleRequest(
            S3Uploads.objectCreated(
                "ObjectCreated:Put",
                kit.s3.bucket,
                key,
                MAX_BYTES + 1,
                ReceiptStorage.unquote(put.eTag())),
            null);
    assertEquals(1, out.get("processed"));
    JsonObject receipt = kit.get(id, ReceiptTestKit.MANAGER).body();
    assertEquals("failed", receipt.getString("status"));
    assertEquals(
        "the file is 300001 bytes; the limit is 300000 bytes", receipt.getString("failureReason"));
  }

  @Test
  void eventsWithoutAReceiptAreSkipped() {
    var unknown =
        kit.ocr.handleRequest(
            S3Uploads.objectCreated(
                "ObjectCreated:Put", kit.s3.bucket, "receipts/x/y.png", 10, "e1"),
            null);
    assertEquals(1, unknown.get("unknown"));
    var otherBucket =
        kit.ocr.handleRequest(
            S3Uploads.objectCreated("ObjectCreated:Put", "some-other-bucket", "a.png", 10, "e1"),
            null);
    assertEquals(1, otherBucket.get("unknown"));
    var removed =
        kit.ocr.handleRequest(
            S3Uploads.objectCreated("ObjectRemoved:Delete", kit.s3.bucket, "a.png", 10, "e1"),
            null);
    assertEquals(1, removed.get("ignored"));
    assertEquals(0, kit.ocr.handleRequest(new S3Event(List.of()), null).get("processed"));
  }

  @Test
  void aKeyDeletedBeforeItWasReadFails() {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    String id =
        kit.grant(task, ReceiptTestKit.RIDER, "image/png").getJsonObject("receipt").getString("id");
    kit.ocr.handleRequest(
        S3Uploads.objectCreated("ObjectCreated:Post", kit.s3.bucket, kit.keyOf(id), 1234, "gone"),
        null);
    JsonObject receipt = kit.get(id, ReceiptTestKit.MANAGER).body();
    assertEquals("failed", receipt.getString("status"));
    assertEquals("the uploaded object no longer exists", receipt.getString("failureReason"));
  }

  @Test
  void anS3OutageFailsTheInvocationButNotTheOtherRecordsAndTheRetryFinishes() throws Exception {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    byte[] png = ReceiptImages.tillReceiptPng();
    List<String> ids = new ArrayList<>();
    List<S3Event> events = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
      String id = grant.getJsonObject("receipt").getString("id");
      ids.add(id);
      S3Uploads.PostResult r = kit.upload(grant, "image/png", png);
      assertEquals(204, r.status(), r.body());
      events.add(
          S3Uploads.objectCreated(
              "ObjectCreated:Post", kit.s3.bucket, kit.keyOf(id), png.length, r.etag()));
    }
    // one event, two records; the first record's object sits behind a failing S3 read
    List<
            com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification
                .S3EventNotificationRecord>
        records = new ArrayList<>(events.get(0).getRecords());
    records.addAll(events.get(1).getRecords());
    S3Event event = new S3Event(records);

    FLAKY_KEYS.add(kit.keyOf(ids.get(0)));
    try {
      var e = assertThrows(IllegalStateException.class, () -> kit.ocr.handleRequest(event, null));
      assertTrue(
          e.getMessage().startsWith("1 of 2 receipt records failed transiently"), e.getMessage());
    } finally {
      FLAKY_KEYS.clear();
    }
    assertEquals(
        "uploading",
        kit.get(ids.get(0), ReceiptTestKit.MANAGER).body().getString("status"),
        "claim given back");
    assertEquals(
        1,
        kit.count(
            "SELECT count(*) FROM receipt_events WHERE receipt_id = $1 AND type = 'reset'",
            ids.get(0)));
    JsonObject other = kit.get(ids.get(1), ReceiptTestKit.MANAGER).body();
    assertEquals("12.34", other.getString("amount"), "the other record was read");
    // the rendered receipt names no currency: the task's is assumed, and said so
    assertEquals("CNY", other.getString("currency"), other.encode());
    assertTrue(
        other.encode().contains("no currency on the receipt: assumed CNY, the task's currency"),
        other.encode());

    // Lambda retries the same event: the first record is read now, the second is not read twice
    var retry = kit.ocr.handleRequest(event, null);
    assertEquals(1, retry.get("processed"), retry.toString());
    assertEquals(1, retry.get("skipped"), retry.toString());
    assertEquals("12.34", kit.get(ids.get(0), ReceiptTestKit.MANAGER).body().getString("amount"));
  }

  /** Uploads through a fresh grant, delivers the ObjectCreated event and returns the receipt. */
  private static JsonObject uploadAndRead(String contentType, byte[] content) throws Exception {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, contentType);
    String id = grant.getJsonObject("receipt").getString("id");
    S3Uploads.PostResult r = kit.upload(grant, contentType, content);
    assertEquals(204, r.status(), r.body());
    var out =
        kit.ocr.handleRequest(
            S3Uploads.objectCreated(
                "ObjectCreated:Post", kit.s3.bucket, kit.keyOf(id), content.length, r.etag()),
            null);
    assertEquals(1, out.get("processed"), out.toString());
    return kit.get(id, ReceiptTestKit.RIDER).body();
  }

  /** The in-memory store, answering 503 SlowDown to reads of {@link #FLAKY_KEYS}. */
  static final class FlakyStore extends ForwardingBlobStore {
    FlakyStore(org.gaul.s3proxy.blobstore.BlobStore delegate) {
      super(delegate);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
      if (FLAKY_KEYS.contains(request.key())) {
        throw S3Exception.builder()
            .statusCode(503)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("SlowDown")
                    .errorMessage("injected outage")
                    .build())
            .build();
      }
      return super.getBlob(request);
    }
  }
}
