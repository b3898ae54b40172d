package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's Receipts view in a real browser (Chromium driven by playwright-core from {@code
 * src/test/js/receipts.test.mjs}) against the whole local stack, whose gateway serves the pages
 * from this module's classpath: a rider uploads a receipt through the presigned form, the OCR
 * function reads it, then the manager opens Receipts with the keyboard, sees the image and the
 * amount read, and picks the competing reading (cash − change) with one click as the correction;
 * the API then holds the correction, audited. Then the Reports view (by keyboard) requests last
 * week's report: its row says "generating…" (POST answered 202) and then, the list polled, shows
 * its downloads. Screenshots: {@code target/receipts-review.png}, {@code reports-generating.png},
 * {@code reports.png} (1280×800) and their {@code -1920x1080.png}.
 */
class ReceiptsBrowserIT {
  static final Path SCREENSHOT = BrowserKit.TARGET.resolve("receipts-review.png");
  static final Path BROWSER_LOG = BrowserKit.TARGET.resolve("receipts-browser.log");
  static final Duration STEP = Duration.ofSeconds(60);

  static LocalStack stack;
  static StackApi api;

  @BeforeAll
  static void start() throws Exception {
    BrowserKit.assumeBrowser();
    stack = LocalStack.start(null, Map.of());
    api = new StackApi(stack);
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) stack.close();
  }

  @Test
  void managerSeesTheImageAndCorrectsTheAmount() throws Exception {
    String taskId = stack.seeded.openTaskIds().get(0);
    String rider = api.login("rider1");
    StackApi.ok(api.call("POST", "/tasks/" + taskId + "/claim", rider), 200);
    JsonObject grant =
        StackApi.ok(
            api.call(
                "POST",
                "/tasks/" + taskId + "/receipts",
                rider,
                new JsonObject().put("contentType", "image/png")),
            201);
    String id = grant.getJsonObject("receipt").getString("id");
    ReceiptUploads.postForm(
        grant.getJsonObject("upload"), "image/png", ReceiptUploads.disagreeingReceiptPng());
    JsonObject read = ReceiptUploads.awaitRead(api, id, rider);
    assertEquals("12.34", read.getString("amount"), read.encode());
    assertTrue(read.getJsonArray("competingTotals").encode().contains("12.40"), read.encode());

    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    try (BrowserKit.Script browser =
        BrowserKit.Script.start(
            "receipts.test.mjs",
            BROWSER_LOG,
            STEP,
            Map.of(
                "DASHBOARD_URL",
                "http://127.0.0.1:" + stack.gateway.httpPort() + "/dashboard/",
                "MANAGER_USERNAME",
                "manager",
                "MANAGER_PASSWORD",
                stack.seeded.passwords().get("manager"),
                "RECEIPT_ID",
                id,
                "AMOUNT",
                "12.34",
                "SCREENSHOT",
                SCREENSHOT.toString()))) {
      browser.await("DONE");
      browser.assertPassed();
    }

    String manager = api.login("manager");
    JsonObject after = StackApi.ok(api.call("GET", "/receipts/" + id, manager), 200);
    assertEquals("confirmed", after.getString("status"));
    assertEquals("12.40", after.getString("amount"));
    assertEquals("USD", after.getString("currency"));
    assertEquals("corrected in the browser test", after.getString("reviewNote"));
    assertTrue(Files.size(SCREENSHOT) > 10_000, "a real screenshot at " + SCREENSHOT);
    for (String shot :
        new String[] {
          "receipts-review-1920x1080.png",
          "reports-generating.png",
          "reports.png",
          "reports-1920x1080.png"
        }) {
      Path p = BrowserKit.TARGET.resolve(shot);
      assertTrue(Files.size(p) > 10_000, "a real screenshot at " + p);
    }
  }
}
