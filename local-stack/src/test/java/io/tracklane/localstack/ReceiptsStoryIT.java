package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Receipts through the real stack: a rider asks the API for an upload, posts a rendered receipt
 * with the presigned form straight to the in-process S3 store, the store's ObjectCreated
 * notification runs the OCR function in process, and the receipt holds the total. A receipt that
 * cannot be read goes to the manager, who looks at the image through its link and corrects it; the
 * correction is audited. Riders cannot see each other's receipts or review.
 */
class ReceiptsStoryIT {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static LocalStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = LocalStack.start(null, Map.of());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void riderUploadsOcrReadsTheTotalManagerCorrectsAnother() throws Exception {
    String taskId = stack.seeded.openTaskIds().get(0);
    String rider = login("rider1");
    ok(call("POST", "/tasks/" + taskId + "/claim", rider, null), 200);
    ok(call("POST", "/tasks/" + taskId + "/start", rider, null), 200);

    // 1. a clear till receipt: read automatically
    byte[] png = tillReceiptPng();
    JsonObject grant =
        ok(
            call(
                "POST",
                "/tasks/" + taskId + "/receipts",
                rider,
                new JsonObject().put("contentType", "image/png").put("size", png.length)),
            201);
    String readId = grant.getJsonObject("receipt").getString("id");
    assertTrue(
        grant.getJsonObject("upload").getString("url").startsWith(stack.s3.endpoint()),
        grant.encode());
    assertEquals(204, postForm(grant.getJsonObject("upload"), "image/png", png).statusCode());
    JsonObject read = awaitRead(readId, rider);
    assertEquals("12.34", read.getString("amount"), read.encode());
    assertTrue(
        List.of("extracted", "needs_review").contains(read.getString("status")), read.encode());

    // 2. a photo that is not one: failed with a reason, into the manager's hands
    JsonObject grant2 =
        ok(
            call(
                "POST",
                "/tasks/" + taskId + "/receipts",
                rider,
                new JsonObject().put("contentType", "image/jpeg")),
            201);
    String badId = grant2.getJsonObject("receipt").getString("id");
    byte[] notAJpeg = "a text file named receipt.jpg".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        204, postForm(grant2.getJsonObject("upload"), "image/jpeg", notAJpeg).statusCode());
    JsonObject failed = awaitRead(badId, rider);
    assertEquals("failed", failed.getString("status"), failed.encode());

    String manager = login("manager");
    JsonObject queue = ok(call("GET", "/receipts?status=failed", manager, null), 200);
    assertTrue(queue.encode().contains(badId), queue.encode());
    JsonObject link = ok(call("GET", "/receipts/" + badId + "/image", manager, null), 200);
    HttpResponse<byte[]> image =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(link.getString("url"))).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, image.statusCode());
    assertTrue(
        java.util.Arrays.equals(notAJpeg, image.body()), "the link serves the uploaded bytes");

    JsonObject corrected =
        ok(
            call(
                "PATCH",
                "/receipts/" + badId,
                manager,
                new JsonObject()
                    .put("action", "correct")
                    .put("amount", "25.00")
                    .put("currency", "CNY")
                    .put("note", "typed from the paper receipt")),
            200);
    assertEquals("confirmed", corrected.getString("status"));
    assertEquals("25.00", corrected.getString("amount"));
    var audit =
        stack
            .backoffice
            .db()
            .query(
                "SELECT actor_id, details FROM receipt_events "
                    + "WHERE receipt_id = $1 AND type = 'corrected'",
                badId);
    assertEquals(1, audit.size());
    var row = audit.first();
    assertEquals(stack.seeded.userIds().get("manager"), row.getString("actor_id"));
    assertEquals(
        "25.00", ((JsonObject) row.getValue("details")).getJsonObject("new").getString("amount"));

    // 3. ownership and roles at the API
    String rider2 = login("rider2");
    assertEquals(
        403,
        call("GET", "/tasks/" + taskId + "/receipts", rider2, null).statusCode(),
        "another rider cannot list these receipts");
    assertEquals(
        403,
        call(
                "POST",
                "/tasks/" + taskId + "/receipts",
                rider2,
                new JsonObject().put("contentType", "image/png"))
            .statusCode(),
        "nor upload for this task");
    assertEquals(
        403,
        call("PATCH", "/receipts/" + readId, rider, new JsonObject().put("action", "confirm"))
            .statusCode(),
        "riders do not review");
    assertEquals(403, call("GET", "/receipts", rider, null).statusCode(), "the queue is for staff");
    HttpResponse<String> invalid =
        call(
            "POST",
            "/tasks/" + taskId + "/receipts",
            rider,
            new JsonObject().put("contentType", "image/gif"));
    assertEquals(400, invalid.statusCode());
    assertTrue(invalid.body().contains("contentType"), invalid.body());
    JsonObject mine = ok(call("GET", "/tasks/" + taskId + "/receipts", rider, null), 200);
    assertEquals(2, mine.getJsonArray("items").size(), mine.encode());
  }

  /** Polls the receipt until the OCR function has finished with it. */
  static JsonObject awaitRead(String receiptId, String token) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      JsonObject r = ok(call("GET", "/receipts/" + receiptId, token, null), 200);
      if (!List.of("uploading", "processing").contains(r.getString("status"))) return r;
      if (System.nanoTime() > deadline)
        throw new AssertionError("receipt not read in time: " + r.encode());
      Thread.sleep(200);
    }
  }

  /** POSTs the presigned form as a phone does: the fields, then the file last. */
  static HttpResponse<String> postForm(JsonObject upload, String contentType, byte[] content)
      throws Exception {
    String boundary = "----receipt" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var f : upload.getJsonObject("fields")) {
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + f.getKey()
                  + "\"\r\n\r\n"
                  + f.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + upload.getString("fileField")
                + "\"; filename=\"receipt\"\r\nContent-Type: "
                + contentType
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(upload.getString("url")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(204, r.statusCode(), r.body());
    return r;
  }

  /** A till receipt drawn with Java2D: TOTAL 12.34 among SUBTOTAL, TAX, CASH and CHANGE decoys. */
  static byte[] tillReceiptPng() throws Exception {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "CORNER SHOP",
                "2026-11-20 14:05",
                "",
                "COFFEE          4.50",
                "BAGEL           6.50",
                "SUBTOTAL       11.00",
                "TAX             1.34",
                "TOTAL          12.34",
                "CASH           20.00",
                "CHANGE          7.66",
                "",
                "THANK YOU"));
    BufferedImage image =
        new BufferedImage(900, 80 + lines.size() * 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 40));
    int y = 70;
    for (String line : lines) {
      g.drawString(line, 40, y);
      y += 60;
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  static String login(String username) throws Exception {
    return ok(
            call(
                "POST",
                "/auth/login",
                null,
                new JsonObject()
                    .put("username", username)
                    .put("password", stack.seeded.passwords().get(username))),
            200)
        .getString("accessToken");
  }

  static HttpResponse<String> call(String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + " → " + r.body());
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }
}
