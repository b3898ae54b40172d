package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A receipt the reader cannot settle keeps the figures competing for its total (real Tesseract on a
 * rendered receipt whose cash and change give another total than its TOTAL line): stored with the
 * reading, shown by the API beside plain-text review reasons, and one of them is what the manager's
 * correction then records.
 */
class ReceiptCompetingTotalsTest {
  static ReceiptTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    kit = new ReceiptTestKit();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
  }

  /** TOTAL 12.34, but CASH 20.00 − CHANGE 7.60 = 12.40. */
  static byte[] disagreeingReceiptPng() {
    return ReceiptImages.png(
        new String[] {
          "CORNER SHOP",
          "2026-11-20 14:05",
          "",
          "COFFEE          4.50",
          "BAGEL           7.84",
          "TOTAL          12.34",
          "CASH           20.00",
          "CHANGE          7.60",
          "",
          "THANK YOU"
        });
  }

  @Test
  void theCompetingReadingsAreStoredAndShownAndOneBecomesTheCorrection() throws Exception {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    JsonObject grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
    String id = grant.getJsonObject("receipt").getString("id");
    byte[] png = disagreeingReceiptPng();
    S3Uploads.PostResult r = kit.upload(grant, "image/png", png);
    assertEquals(204, r.status(), r.body());
    kit.ocr.handleRequest(
        S3Uploads.objectCreated(
            "ObjectCreated:Post", kit.s3.bucket, kit.keyOf(id), png.length, r.etag()),
        null);

    JsonObject read = kit.get(id, ReceiptTestKit.MANAGER).body();
    assertEquals("needs_review", read.getString("status"), read.encode());
    JsonArray competing = read.getJsonArray("competingTotals");
    List<String> amounts = new ArrayList<>();
    competing.forEach(o -> amounts.add(((JsonObject) o).getString("amount")));
    assertTrue(amounts.containsAll(List.of("12.34", "12.40")), read.encode());
    assertEquals(read.getString("amount"), amounts.get(0), "the proposed figure comes first");
    JsonObject arithmetic = competing.getJsonObject(amounts.indexOf("12.40"));
    assertTrue(arithmetic.getJsonArray("readBy").encode().contains("change"), arithmetic.encode());
    // the objects live in the reasons' column but never show up as reasons
    read.getJsonArray("reviewReasons").forEach(x -> assertTrue(x instanceof String, read.encode()));

    var done =
        kit.review(
            id,
            ReceiptTestKit.MANAGER,
            new JsonObject()
                .put("action", "correct")
                .put("amount", "12.40")
                .put("currency", "USD")
                .put("note", "picked the competing reading 12.40"));
    assertEquals(200, done.status(), done.body().encode());
    assertEquals("12.40", done.body().getString("amount"));
    assertEquals("confirmed", done.body().getString("status"));
  }
}
