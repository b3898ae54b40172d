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
 * Reports through the real stack: a manager generates last week's report through local-api, it is
 * listed, and its three files download from the in-process S3 store by their presigned links.
 * Riders may not; a start that is not a Monday is refused.
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
    // 201 the first time; 200 if the local schedule got there first
    assertTrue(List.of(200, 201).contains(made.statusCode()), made.body());
    JsonObject report = new JsonObject(made.body());
    assertEquals("ready", report.getString("status"), report.encode());
    assertEquals(lastMonday.toString(), report.getString("periodStart"));

    JsonArray items =
        new JsonObject(call("GET", "/reports", manager, null).body()).getJsonArray("items");
    assertTrue(
        items.stream()
            .anyMatch(i -> report.getString("id").equals(((JsonObject) i).getString("id"))),
        items.encode());

    byte[] csv = download(manager, report.getString("id"), "csv");
    assertArrayEquals(
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        Arrays.copyOf(csv, 3),
        "UTF-8 BOM for Excel");
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
