package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.LocalSchedule;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The local stack's sweep schedule (no Vert.x: a thread of its own) finds a receipt whose OCR runs
 * kept dying and fails it with the reason, as the EventBridge-run function does on AWS; closing it
 * stops the thread.
 */
class LocalReceiptSweepTest {

  @Test
  void theScheduleSweepsWithoutBeingInvokedAndStopsWhenClosed() throws Exception {
    try (ReceiptTestKit kit = new ReceiptTestKit()) {
      String task = kit.task("in_progress", ReceiptTestKit.RIDER);
      JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
      String id = grant.getJsonObject("receipt").getString("id");
      S3Uploads.PostResult r = kit.upload(grant, "image/png", ReceiptImages.tillReceiptPng());
      assertTrue(
          kit.service().claimForProcessing(kit.s3.bucket, kit.keyOf(id), r.etag())
              instanceof ReceiptService.Claimed);
      kit.sql(
          "UPDATE receipts SET processing_started_at = now() - interval '20 minutes', ocr_attempts = $2 WHERE id = $1",
          id,
          ReceiptService.MAX_OCR_ATTEMPTS);

      LocalSchedule sweep =
          LocalReceiptSweep.start(
              kit.ctx, kit.storage, ReceiptTestKit::reader, Duration.ZERO, Duration.ofHours(1));
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String status = "processing";
        while (!"failed".equals(status) && System.nanoTime() < deadline) {
          Thread.sleep(50);
          status = kit.get(id, ReceiptTestKit.RIDER).body().getString("status");
        }
        assertEquals("failed", status, "the schedule's first run gives the receipt up");
      } finally {
        sweep.close();
      }
      assertTrue(sweep.isClosed());
    }
  }
}
