package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.DbRow;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweep on the real database, S3 store and Tesseract: a receipt left in processing past its
 * deadline (its OCR run died) is read again and ends in a final state; one whose runs keep dying is
 * failed with the reason after the last attempt; a receipt still inside its deadline is not
 * touched.
 */
class ReceiptSweepTest {
  static ReceiptTestKit kit;
  static ReceiptSweepHandler sweep;

  @BeforeAll
  static void start() throws Exception {
    kit = new ReceiptTestKit();
    sweep = new ReceiptSweepHandler(kit.ctx, kit.storage, ReceiptTestKit.reader());
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
  }

  @Test
  void aReceiptWhoseRunDiedIsReadAgainAndAFreshOneIsLeftAlone() throws Exception {
    String dead = uploadedAndClaimed();
    String fresh = uploadedAndClaimed();
    kit.sql(
        "UPDATE receipts SET processing_started_at = now() - interval '20 minutes' WHERE id = $1",
        dead);
    DbRow freshBefore = state(fresh);

    Map<String, Object> counts = sweep.runOnce(() -> Long.MAX_VALUE);

    assertEquals(1, counts.get("rerun"), counts.toString());
    JsonObject read = kit.get(dead, ReceiptTestKit.RIDER).body();
    assertTrue(
        List.of("extracted", "needs_review").contains(read.getString("status")), read.encode());
    assertEquals("12.34", read.getString("amount"), read.encode());
    assertEquals(2, state(dead).getInteger("ocr_attempts"), "the dead run and the sweep's");
    assertEquals(
        1,
        kit.count(
            "SELECT count(*) FROM receipt_events WHERE receipt_id = $1 AND type = 'processing' "
                + "AND details->>'reason' = 'sweep: the earlier run passed its deadline'",
            dead));

    DbRow freshAfter = state(fresh);
    assertEquals("processing", freshAfter.getString("status"));
    assertEquals(
        freshBefore.getOffsetDateTime("processing_started_at"),
        freshAfter.getOffsetDateTime("processing_started_at"));
    assertEquals(1, freshAfter.getInteger("ocr_attempts"));
  }

  @Test
  void afterTheLastAttemptTheReceiptFailsWithTheReason() throws Exception {
    String doomed = uploadedAndClaimed();
    kit.sql(
        "UPDATE receipts SET processing_started_at = now() - interval '20 minutes', ocr_attempts = $2 WHERE id = $1",
        doomed,
        ReceiptService.MAX_OCR_ATTEMPTS);

    Map<String, Object> counts = sweep.runOnce(() -> Long.MAX_VALUE);

    assertEquals(1, counts.get("gaveUp"), counts.toString());
    JsonObject failed = kit.get(doomed, ReceiptTestKit.RIDER).body();
    assertEquals("failed", failed.getString("status"), failed.encode());
    assertEquals(
        "OCR did not finish in 3 attempts (each run timed out or stopped); enter the amount by hand",
        failed.getString("failureReason"));
    assertNull(state(doomed).getOffsetDateTime("processing_started_at"));
    // a failed receipt is a manager's to correct; the sweep leaves it alone from now on
    assertEquals(0, sweep.runOnce(() -> Long.MAX_VALUE).get("gaveUp"));
  }

  @Test
  void aRedeliveredEventAfterTheLastAttemptGivesUpInsteadOfRunningAgain() throws Exception {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
    String id = grant.getJsonObject("receipt").getString("id");
    byte[] png = ReceiptImages.tillReceiptPng();
    S3Uploads.PostResult r = kit.upload(grant, "image/png", png);
    var event =
        S3Uploads.objectCreated(
            "ObjectCreated:Post", kit.s3.bucket, kit.keyOf(id), png.length, r.etag());
    assertTrue(
        kit.service().claimForProcessing(kit.s3.bucket, kit.keyOf(id), r.etag())
            instanceof ReceiptService.Claimed);
    kit.sql(
        "UPDATE receipts SET processing_started_at = now() - interval '20 minutes', ocr_attempts = $2 WHERE id = $1",
        id,
        ReceiptService.MAX_OCR_ATTEMPTS);

    kit.ocr.handleRequest(event, null);

    assertEquals("failed", kit.get(id, ReceiptTestKit.RIDER).body().getString("status"));
  }

  @Test
  void noRunStartsWithoutTimeForIt() throws Exception {
    String waiting = uploadedAndClaimed();
    kit.sql(
        "UPDATE receipts SET processing_started_at = now() - interval '20 minutes' WHERE id = $1",
        waiting);

    Map<String, Object> counts = sweep.runOnce(() -> ReceiptSweepHandler.RUN_BUDGET.toMillis() - 1);

    assertEquals(1, counts.get("deferred"), counts.toString());
    assertEquals("processing", state(waiting).getString("status"));
    assertEquals(1, sweep.runOnce(() -> Long.MAX_VALUE).get("rerun"), "the next pass takes it");
  }

  /** A receipt whose object was uploaded and claimed by an OCR run that then never finished. */
  private static String uploadedAndClaimed() throws Exception {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
    String id = grant.getJsonObject("receipt").getString("id");
    S3Uploads.PostResult r = kit.upload(grant, "image/png", ReceiptImages.tillReceiptPng());
    assertEquals(204, r.status(), r.body());
    var claim = kit.service().claimForProcessing(kit.s3.bucket, kit.keyOf(id), r.etag());
    assertTrue(claim instanceof ReceiptService.Claimed, claim.toString());
    return id;
  }

  private static DbRow state(String id) {
    return kit.sql(
            "SELECT status, processing_started_at, ocr_attempts FROM receipts WHERE id = $1", id)
        .get(0);
  }
}
