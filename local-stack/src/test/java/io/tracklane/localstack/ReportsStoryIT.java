package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reports through the real stack: a manager requests last week's report through local-api (202,
 * generating), local-api's worker generates it, it is listed as ready, and its three files download
 * from the in-process S3 store by their presigned links. Riders may not; a start that is not a
 * Monday is refused; a generation that fails ends listed as failed with a reason.
 */
class ReportsStoryIT {
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
  void managerGeneratesListsAndDownloadsLastWeeksReport() throws Exception {
    String manager = login("manager");
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    LocalDate lastMonday =
        today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1);
    JsonObject body =
        new JsonObject().put("periodType", "week").put("start", lastMonday.toString());

    HttpResponse<String> rider = call("POST", "/reports", login("rider1"), body);
    assertEquals(403, rider.statusCode(), rider.body());
    HttpResponse<String> tuesday =
        call(
            "POST",
            "/reports",
            manager,
            new JsonObject()
                .put("periodType", "week")
                .put("start", lastMonday.plusDays(1).toString()));
    assertEquals(400, tuesday.statusCode(), tuesday.body());
    assertTrue(tuesday.body().contains("start"), tuesday.body());

    HttpResponse<String> made = call("POST", "/reports", manager, body);
    // accepted at once, also when the local schedule made this week first (then regenerated)
    assertEquals(202, made.statusCode(), made.body());
    JsonObject accepted = new JsonObject(made.body());
    assertEquals("generating", accepted.getString("status"), accepted.encode());
    assertEquals(lastMonday.toString(), accepted.getString("periodStart"));
    assertEquals(
        "/reports/" + accepted.getString("id"), made.headers().firstValue("Location").get());

    JsonObject report = awaitListed(manager, accepted.getString("id"));
    assertEquals("ready", report.getString("status"), report.encode());
    assertEquals(List.of("csv", "xlsx", "html"), report.getJsonArray("formats").getList());

    byte[] csv = download(manager, report.getString("id"), "csv");
    assertArrayEquals(
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        Arrays.copyOf(csv, 3),
        "UTF-8 BOM for Excel");
    String csvText = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8);
    assertTrue(csvText.startsWith("# Report"), csvText);
    assertTrue(csvText.contains("Period,week"), csvText);
    assertTrue(csvText.contains(report.getString("label")), csvText);
    byte[] xlsx = download(manager, report.getString("id"), "xlsx");
    assertEquals("PK", new String(xlsx, 0, 2, StandardCharsets.ISO_8859_1), "an xlsx is a zip");
    String html =
        new String(download(manager, report.getString("id"), "html"), StandardCharsets.UTF_8);
    assertTrue(html.contains("<svg"), "the HTML report has its charts inline");
    assertEquals(
        400,
        call("GET", "/reports/" + report.getString("id") + "/download?format=pdf", manager, null)
            .statusCode());
  }

  @Test
  void aGenerationThatFailsIsListedAsFailedWithAReason() throws Exception {
    String manager = login("manager");
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    // a week nobody else asks for (the schedule makes last week)
    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(5);
    // the generator's queries break: a schema out of step with the code
    stack.backoffice.db().update("ALTER TABLE task_completions RENAME COLUMN distance_m TO d_m");
    try {
      HttpResponse<String> made =
          call(
              "POST",
              "/reports",
              manager,
              new JsonObject().put("periodType", "week").put("start", monday.toString()));
      assertEquals(202, made.statusCode(), made.body());
      JsonObject report = awaitListed(manager, new JsonObject(made.body()).getString("id"));
      assertEquals("failed", report.getString("status"), report.encode());
      assertTrue(
          report.getString("error").startsWith("the report could not be generated"),
          report.encode());
      assertTrue(!report.encode().contains("d_m"), "no database text: " + report.encode());
      assertEquals(
          409,
          call("GET", "/reports/" + report.getString("id") + "/download?format=csv", manager, null)
              .statusCode());
    } finally {
      stack.backoffice.db().update("ALTER TABLE task_completions RENAME COLUMN d_m TO distance_m");
    }
  }

  /** Polls GET /reports (as the dashboard does) until report {@code id} is no longer generating. */
  static JsonObject awaitListed(String token, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> list = call("GET", "/reports", token, null);
      assertEquals(200, list.statusCode(), list.body());
      JsonArray items = new JsonObject(list.body()).getJsonArray("items");
      JsonObject item =
          items.stream()
              .map(i -> (JsonObject) i)
              .filter(i -> id.equals(i.getString("id")))
              .findFirst()
              .orElseThrow(() -> new AssertionError(id + " not listed: " + items.encode()));
      if (!"generating".equals(item.getString("status"))) return item;
      if (System.nanoTime() > deadline) throw new AssertionError("still generating: " + item);
      Thread.sleep(100);
    }
  }

  static byte[] download(String token, String id, String format) throws Exception {
    HttpResponse<String> r =
        call("GET", "/reports/" + id + "/download?format=" + format, token, null);
    assertEquals(200, r.statusCode(), r.body());
    String url = new JsonObject(r.body()).getString("url");
    assertTrue(url.startsWith(stack.s3.endpoint()), url);
    HttpResponse<byte[]> file =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, file.statusCode(), format);
    return file.body();
  }

  static String login(String username) throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/auth/login",
            null,
            new JsonObject()
                .put("username", username)
                .put("password", stack.seeded.passwords().get(username)));
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("accessToken");
  }

  static HttpResponse<String> call(String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()))
            .header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
