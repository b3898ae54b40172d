package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;

/** A rider's receipt upload as a phone makes it, for the receipts browser test. */
final class ReceiptUploads {
  private ReceiptUploads() {}

  /** Polls the receipt until the OCR function has finished with it. */
  static JsonObject awaitRead(StackApi api, String receiptId, String token) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      JsonObject r = StackApi.ok(api.call("GET", "/receipts/" + receiptId, token), 200);
      if (!List.of("uploading", "processing").contains(r.getString("status"))) return r;
      if (System.nanoTime() > deadline)
        throw new AssertionError("receipt not read in time: " + r.encode());
      Thread.sleep(200);
    }
  }

  /** POSTs the presigned form as a phone does: the fields, then the file last. */
  static void postForm(JsonObject upload, String contentType, byte[] content) throws Exception {
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
        StackApi.HTTP.send(
            HttpRequest.newBuilder(URI.create(upload.getString("url")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(204, r.statusCode(), r.body());
  }

  /** TOTAL 12.34, but CASH 20.00 − CHANGE 7.60 gives 12.40: the reader keeps both. */
  static byte[] disagreeingReceiptPng() throws Exception {
    return png(
        List.of(
            "CORNER SHOP",
            "2026-11-20 14:05",
            "",
            "COFFEE          4.50",
            "BAGEL           7.84",
            "TOTAL          12.34",
            "CASH           20.00",
            "CHANGE          7.60",
            "",
            "THANK YOU"));
  }

  /** A till receipt drawn with Java2D: TOTAL 12.34 among SUBTOTAL, TAX, CASH and CHANGE decoys. */
  static byte[] tillReceiptPng() throws Exception {
    return png(
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
  }

  private static byte[] png(List<String> lines) throws Exception {
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
}
