package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who sees which receipts, the review queue, and a manager's confirmation and correction (audited).
 */
class ReceiptReviewTest {
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
  void aManagerCorrectsAReceiptAndTheAuditKeepsOldAndNew() {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    String id = kit.readReceipt(task, ReceiptTestKit.RIDER, "needs_review", "12.84", "USD");
    var r =
        kit.review(
            id,
            ReceiptTestKit.MANAGER,
            new JsonObject()
                .put("action", "correct")
                .put("amount", "12.34")
                .put("currency", "MYR")
                .put("date", "2026-11-20")
                .put("merchant", "Corner Shop")
                .put("note", "8 misread as 3"));
    assertEquals(200, r.status(), r.body().encode());
    assertEquals("confirmed", r.body().getString("status"));
    assertEquals("12.34", r.body().getString("amount"));
    assertEquals("MYR", r.body().getString("currency"));
    assertEquals("2026-11-20", r.body().getString("date"));
    assertEquals(ReceiptTestKit.MANAGER.userId(), r.body().getString("reviewedBy"));
    assertEquals("8 misread as 3", r.body().getString("reviewNote"));

    var events = kit.service().events(id);
    var corrected = events.get(events.size() - 1);
    assertEquals("corrected", corrected.type());
    assertEquals("needs_review", corrected.fromStatus());
    assertEquals("confirmed", corrected.toStatus());
    assertEquals(ReceiptTestKit.MANAGER.userId(), corrected.actorId());
    assertEquals("12.84", corrected.details().getJsonObject("old").getString("amount"));
    assertEquals("USD", corrected.details().getJsonObject("old").getString("currency"));
    assertEquals("12.34", corrected.details().getJsonObject("new").getString("amount"));
    assertEquals("MYR", corrected.details().getJsonObject("new").getString("currency"));
    assertEquals("8 misread as 3", corrected.details().getString("note"));

    // a second look: corrected again, audited again
    var again =
        kit.review(
            id,
            ReceiptTestKit.ADMIN,
            new JsonObject()
                .put("action", "correct")
                .put("amount", "12.35")
                .put("currency", "MYR")
                .put("note", "rounding"));
    assertEquals(200, again.status(), again.body().encode());
    assertEquals(
        "2026-11-20", again.body().getString("date"), "an absent date keeps the one set before");
    assertEquals(
        2,
        kit.count(
            "SELECT count(*) FROM receipt_events WHERE receipt_id = $1 AND type = 'corrected'",
            id));
  }

  @Test
  void confirmAcceptsWhatWasReadAndOnlyFromAReadState() {
    String task = kit.task("completed", ReceiptTestKit.RIDER);
    String extracted = kit.readReceipt(task, ReceiptTestKit.RIDER, "extracted", "48.00", "CNY");
    var ok =
        kit.review(extracted, ReceiptTestKit.MANAGER, new JsonObject().put("action", "confirm"));
    assertEquals(200, ok.status(), ok.body().encode());
    assertEquals("confirmed", ok.body().getString("status"));
    assertEquals("48.00", ok.body().getString("amount"));
    assertEquals(
        409,
        kit.review(extracted, ReceiptTestKit.MANAGER, new JsonObject().put("action", "confirm"))
            .status(),
        "already confirmed");

    String failed = kit.readReceipt(task, ReceiptTestKit.RIDER, "failed", null, null);
    var noAmount =
        kit.review(failed, ReceiptTestKit.MANAGER, new JsonObject().put("action", "confirm"));
    assertEquals(409, noAmount.status());
    assertTrue(noAmount.message().contains("correct it"), noAmount.message());
    var fixed =
        kit.review(
            failed,
            ReceiptTestKit.MANAGER,
            new JsonObject()
                .put("action", "correct")
                .put("amount", "9.90")
                .put("currency", "CNY")
                .put("note", "read from the photo"));
    assertEquals(200, fixed.status(), fixed.body().encode());
    assertEquals("failed", kit.service().events(failed).get(0).fromStatus());

    String uploading = kit.grantId(task);
    assertEquals(
        409,
        kit.review(
                uploading,
                ReceiptTestKit.MANAGER,
                new JsonObject()
                    .put("action", "correct")
                    .put("amount", "1.00")
                    .put("currency", "CNY")
                    .put("note", "x"))
            .status());
    assertEquals(
        404,
        kit.review(
                "no-such-receipt",
                ReceiptTestKit.MANAGER,
                new JsonObject().put("action", "confirm"))
            .status());
  }

  @Test
  void reviewValidationNamesEachField() {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    String id = kit.readReceipt(task, ReceiptTestKit.RIDER, "needs_review", "5.00", "CNY");
    var none = kit.review(id, ReceiptTestKit.MANAGER, new JsonObject());
    assertEquals(List.of("action"), none.errorFields());
    var bad =
        kit.review(
            id,
            ReceiptTestKit.MANAGER,
            new JsonObject()
                .put("action", "correct")
                .put("amount", "1.234")
                .put("currency", "rmb")
                .put("date", "20-11-2026")
                .put("note", " ")
                .put("extra", 1));
    assertEquals(400, bad.status());
    assertEquals(
        Set.of("amount", "currency", "date", "note", "extra"), new HashSet<>(bad.errorFields()));
    assertEquals("must have at most 2 decimal places", bad.errorMessage("amount"));
    var confirmWithAmount =
        kit.review(
            id,
            ReceiptTestKit.MANAGER,
            new JsonObject().put("action", "confirm").put("amount", "1"));
    assertEquals(List.of("amount"), confirmWithAmount.errorFields());
    assertEquals("is only allowed with action correct", confirmWithAmount.errorMessage("amount"));
    var future =
        kit.review(
            id,
            ReceiptTestKit.MANAGER,
            new JsonObject()
                .put("action", "correct")
                .put("amount", "1")
                .put("currency", "CNY")
                .put("date", "2999-01-01")
                .put("note", "x"));
    assertEquals(List.of("date"), future.errorFields());
    assertEquals(
        "needs_review",
        kit.get(id, ReceiptTestKit.MANAGER).body().getString("status"),
        "unchanged");
  }

  @Test
  void ridersSeeOnlyTheirOwnReceipts() {
    String mine = kit.task("in_progress", ReceiptTestKit.RIDER);
    String theirs = kit.task("in_progress", ReceiptTestKit.RIDER2);
    String myReceipt = kit.readReceipt(mine, ReceiptTestKit.RIDER, "extracted", "3.00", "CNY");
    String theirReceipt =
        kit.readReceipt(theirs, ReceiptTestKit.RIDER2, "extracted", "4.00", "CNY");

    var listOthers = kit.forTask(theirs, ReceiptTestKit.RIDER);
    assertEquals(403, listOthers.status(), listOthers.body().encode());
    assertEquals(
        404,
        kit.get(theirReceipt, ReceiptTestKit.RIDER).status(),
        "another rider's receipt is not revealed");
    assertEquals(404, kit.image(theirReceipt, ReceiptTestKit.RIDER).status());
    assertEquals(404, kit.forTask("no-such-task", ReceiptTestKit.RIDER).status());
    assertEquals(403, kit.list(ReceiptTestKit.RIDER, Map.of()).status(), "the queue is for staff");
    assertEquals(
        403,
        kit.review(myReceipt, ReceiptTestKit.RIDER, new JsonObject().put("action", "confirm"))
            .status(),
        "riders do not review their own receipts");

    var own = kit.forTask(mine, ReceiptTestKit.RIDER);
    assertEquals(200, own.status());
    assertEquals(List.of(myReceipt), ids(own.items()));
    assertEquals(200, kit.get(myReceipt, ReceiptTestKit.RIDER).status());
    assertEquals(
        List.of(theirReceipt),
        ids(kit.forTask(theirs, ReceiptTestKit.MANAGER).items()),
        "staff see all");
  }

  @Test
  void theReviewQueueIsPagedNewestFirst() {
    String task = kit.task("in_progress", ReceiptTestKit.RIDER2);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++)
      created.add(kit.readReceipt(task, ReceiptTestKit.RIDER2, "needs_review", i + ".00", "CNY"));
    kit.readReceipt(task, ReceiptTestKit.RIDER2, "extracted", "1.00", "CNY");
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Map<String, String> q =
          new java.util.HashMap<>(Map.of("status", "needs_review", "taskId", task, "limit", "2"));
      if (cursor != null) q.put("cursor", cursor);
      var page = kit.list(ReceiptTestKit.MANAGER, q);
      assertEquals(200, page.status(), page.body().encode());
      page.items().forEach(o -> assertEquals("needs_review", ((JsonObject) o).getString("status")));
      seen.addAll(ids(page.items()));
      cursor = page.body().getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    List<String> newestFirst = new ArrayList<>(created);
    java.util.Collections.reverse(newestFirst);
    assertEquals(newestFirst, seen);

    var bad =
        kit.list(ReceiptTestKit.MANAGER, Map.of("status", "lost", "limit", "0", "cursor", "nope"));
    assertEquals(Set.of("status", "limit", "cursor"), new HashSet<>(bad.errorFields()));
    assertFalse(
        kit.list(ReceiptTestKit.ADMIN, Map.of()).items().isEmpty(), "admins see the list too");
    assertNull(
        kit.list(ReceiptTestKit.MANAGER, Map.of("taskId", task)).body().getString("nextCursor"));
  }

  private static List<String> ids(io.vertx.core.json.JsonArray items) {
    List<String> out = new ArrayList<>();
    items.forEach(o -> out.add(((JsonObject) o).getString("id")));
    return out;
  }
}
