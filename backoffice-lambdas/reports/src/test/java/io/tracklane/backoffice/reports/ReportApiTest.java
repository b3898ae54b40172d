package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API around the report: bad input, concurrent runs, the schedule, the list and downloads. */
class ReportApiTest {
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  ReportTestKit kit;

  @BeforeEach
  void setUp() throws Exception {
    kit = new ReportTestKit();
    kit.seed();
  }

  @AfterEach
  void tearDown() throws Exception {
    kit.close();
  }

  @Test
  void badInputIsA400NamingTheField() {
    assertBad(
        kit.generate("fortnight", "2026-11-16"),
        "periodType",
        "must be one of [week, month], not 'fortnight'");
    assertBad(
        kit.generate("week", "2026-11-17"),
        "start",
        "a week starts on a Monday (ISO weeks); 2026-11-17 is a Tuesday, its week starts on 2026-11-16");
    assertBad(
        kit.generate("month", "2026-11-02"), "start", "a month starts on the 1st; use 2026-11-01");
    // the clock says Wednesday 2026-12-02: this week and this month are not over
    assertBad(
        kit.generate("week", "2026-11-30"),
        "start",
        "the week starting 2026-11-30 is not over yet "
            + "(it ends 2026-12-07T00:00+08:00 in Asia/Shanghai); only finished periods are reported");
    assertBad(
        kit.generate("month", "2026-12-01"),
        "start",
        "the month starting 2026-12-01 is not over yet "
            + "(it ends 2027-01-01T00:00+08:00 in Asia/Shanghai); only finished periods are reported");
    assertBad(kit.generate("week", "2027-03-01"), "start", null);
    assertBad(
        kit.generate("week", "16/11/2026"), "start", "must be a date YYYY-MM-DD, not '16/11/2026'");
    assertBad(kit.generate("week", "2026-02-30"), "start", "is not a calendar date: 2026-02-30");
    assertBad(kit.generate("week", "1999-12-27"), "start", "must not be before 2000-01-01");
    assertBad(
        kit.generateBody("{\"start\":\"2026-11-16\"}"),
        "periodType",
        "is required (week or month)");
    assertBad(
        kit.generateBody("{\"periodType\":\"week\",\"start\":20261116}"),
        "start",
        "must be a date YYYY-MM-DD, not 20261116");
    assertBad(
        kit.generateBody("{\"periodType\":\"week\",\"start\":\"2026-11-16\",\"zone\":\"UTC\"}"),
        "zone",
        "is not a known field (periodType, start)");
    var both = kit.generateBody("{\"periodType\":7}");
    assertEquals(400, both.status());
    assertEquals(List.of("periodType", "start"), both.errorFields());
    assertEquals(400, kit.generateBody("[1]").status());
    assertEquals(400, kit.generateBody("not json").status());
    assertBad(kit.list(Map.of("limit", "0")), "limit", "must be between 1 and 100");
    assertBad(kit.list(Map.of("periodType", "day")), "periodType", "must be one of [week, month]");
    assertBad(
        kit.list(Map.of("cursor", "bm9wZQ")), "cursor", "is not a cursor returned by GET /reports");
    assertBad(kit.list(Map.of("sort", "asc")), "sort", "is not a known query parameter");
    assertEquals(0, kit.s3.keys("").size(), "nothing was generated");
  }

  @Test
  void aDatabaseFailureShowsNoDatabaseTextInTheAnswerOrTheList() {
    kit.sql("ALTER TABLE task_completions RENAME COLUMN distance_m TO distance_metres");

    ReportTestKit.Res failed = kit.generate("week", "2026-11-16");

    // accepted at once; the generator fails afterwards and the row says so
    assertEquals(202, failed.status(), failed.body().encode());
    assertEquals("failed", failed.body().getString("status"));
    JsonObject listed = kit.list(Map.of()).body().getJsonArray("items").getJsonObject(0);
    assertEquals("failed", listed.getString("status"));
    assertTrue(
        listed
            .getString("error")
            .startsWith(
                "the report could not be generated; the report function's log has "
                    + "the details under reference "),
        listed.getString("error"));
    for (String text :
        List.of("ERROR", "SQLSTATE", "column", "relation", "distance_m", "does not exist")) {
      assertTrue(
          !failed.body().encode().contains(text) && !listed.encode().contains(text),
          text + " leaked: " + failed.body().encode() + " / " + listed.encode());
    }
  }

  private static void assertBad(ReportTestKit.Res res, String field, String message) {
    assertEquals(400, res.status(), res.body().encode());
    assertEquals(List.of(field), res.errorFields(), res.body().encode());
    JsonObject error = res.body().getJsonArray("errors").getJsonObject(0);
    if (message != null) assertEquals(message, error.getString("message"));
    assertTrue(res.message().startsWith(field + ": "), res.message());
  }

  @Test
  void twoConcurrentRunsForOnePeriodProduceOneReport() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    Callable<ReportTestKit.Res> run =
        () -> {
          go.await();
          return kit.generate("month", "2026-11-01");
        };
    try {
      Future<ReportTestKit.Res> a = pool.submit(run);
      Future<ReportTestKit.Res> b = pool.submit(run);
      go.countDown();
      JsonObject ra = a.get(60, TimeUnit.SECONDS).body();
      JsonObject rb = b.get(60, TimeUnit.SECONDS).body();
      assertEquals(ra.getString("id"), rb.getString("id"), ra.encode() + " / " + rb.encode());
      assertEquals(1, ra.getInteger("generation"));
      assertEquals(
          1, rb.getInteger("generation"), "the second run returned the first one's result");
      assertEquals(ra.getString("generatedAt"), rb.getString("generatedAt"));
    } finally {
      pool.shutdownNow();
    }
    JsonArray items = kit.list(Map.of()).body().getJsonArray("items");
    assertEquals(1, items.size());
    Report report = kit.report(items.getJsonObject(0).getString("id"));
    assertEquals(
        List.of(report.csvKey(), report.htmlKey(), report.xlsxKey()).stream().sorted().toList(),
        kit.s3.keys("reports/"),
        "one generation's files");
  }

  @Test
  void theScheduleGeneratesTheLastCompleteWeekAndMonthOnce() {
    ReportScheduleHandler schedule = new ReportScheduleHandler(kit.ctx, kit.service);
    Map<String, Object> first = schedule.handleRequest(null, null);
    assertEquals("generated", outcome(first, "week").get("outcome"));
    assertEquals(
        "2026-W48",
        outcome(first, "week").get("label"),
        "Wed 2026-12-02: the last complete week is W48");
    assertEquals("generated", outcome(first, "month").get("outcome"));
    assertEquals("2026-11", outcome(first, "month").get("label"));
    Map<String, Object> second = schedule.runOnce(ReportTestKit.NOW.plusSeconds(3600));
    assertEquals("kept", outcome(second, "week").get("outcome"));
    assertEquals("kept", outcome(second, "month").get("outcome"));
    assertEquals(6, kit.s3.keys("reports/").size());
    // Monday 2026-12-07 00:30 Beijing time (Sunday 16:30 UTC): W49 is over
    Map<String, Object> monday = schedule.runOnce(Instant.parse("2026-12-06T16:30:00Z"));
    assertEquals("generated", outcome(monday, "week").get("outcome"));
    assertEquals("2026-W49", outcome(monday, "week").get("label"));
    assertEquals("kept", outcome(monday, "month").get("outcome"));
    Report w48 =
        kit.service.find(
            ReportPeriod.of(
                "week",
                java.time.LocalDate.parse("2026-11-23"),
                java.time.ZoneId.of("Asia/Shanghai")));
    assertEquals("schedule", w48.origin());
    assertNull(w48.generatedBy());
  }

  @Test
  void postAnswers202AtOnceAndTheGeneratorMakesItReady() throws Exception {
    // the generator waits until the test has seen the report generating
    CountDownLatch release = new CountDownLatch(1);
    ReportGeneratorHandler generator = new ReportGeneratorHandler(kit.service);
    ReportsHandler handler =
        new ReportsHandler(
            kit.ctx,
            kit.service,
            new WorkerReportJobs(
                id -> {
                  await(release);
                  generator.generate(id);
                }));
    var posted =
        kit.call(handler, "POST", "/reports", "{\"periodType\":\"week\",\"start\":\"2026-11-16\"}");
    assertEquals(202, posted.status(), posted.body().encode());
    String id = posted.body().getString("id");
    assertNotNull(id);
    assertEquals("generating", posted.body().getString("status"));
    assertEquals("/reports/" + id, posted.raw().getHeaders().get("Location"));
    JsonObject listed = kit.list(Map.of()).body().getJsonArray("items").getJsonObject(0);
    assertEquals(id, listed.getString("id"));
    assertEquals("generating", listed.getString("status"));
    assertEquals(List.of(), listed.getJsonArray("formats").getList());
    assertEquals(409, kit.download(id, "csv").status(), "no files while generating");
    // a second request while it generates starts nothing new
    var again =
        kit.call(handler, "POST", "/reports", "{\"periodType\":\"week\",\"start\":\"2026-11-16\"}");
    assertEquals(202, again.status());
    assertEquals(id, again.body().getString("id"));

    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!"ready".equals(kit.report(id).status()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("ready", kit.report(id).status());
    assertEquals(1, kit.report(id).generation(), "one run for the two requests");
    assertEquals(200, kit.download(id, "csv").status());
    ((WorkerReportJobs) handler.jobs()).close();
  }

  @Test
  void aGeneratorThatCannotBeStartedAnswers503AndTheReportSaysWhy() {
    ReportsHandler handler =
        new ReportsHandler(
            kit.ctx,
            kit.service,
            id -> {
              throw new IllegalStateException("lambda endpoint unreachable");
            });
    var res =
        kit.call(handler, "POST", "/reports", "{\"periodType\":\"week\",\"start\":\"2026-11-16\"}");
    assertEquals(503, res.status(), res.body().encode());
    assertTrue(!res.body().encode().contains("unreachable"), "no internal text");
    JsonObject listed = kit.list(Map.of()).body().getJsonArray("items").getJsonObject(0);
    assertEquals("failed", listed.getString("status"));
    assertTrue(
        listed.getString("error").startsWith("the report generator could not be started"),
        listed.getString("error"));
  }

  @Test
  void aGenerationThatNeverReportsBackEndsAsFailedAfterTheTimeout() throws Exception {
    MutableClock clock = new MutableClock(ReportTestKit.NOW);
    BackofficeContext ctx = new BackofficeContext(kit.ctx.config(), kit.ctx.db(), clock);
    ReportService service = new ReportService(ctx, kit.service.settings(), kit.service.storage());
    // a generator that crashed: it never writes anything
    ReportsHandler handler = new ReportsHandler(ctx, service, id -> {});
    var posted =
        kit.call(handler, "POST", "/reports", "{\"periodType\":\"week\",\"start\":\"2026-11-16\"}");
    String id = posted.body().getString("id");
    clock.advance(Duration.ofSeconds(899));
    assertEquals("generating", service.get(id).status(), "within the timeout");
    clock.advance(Duration.ofSeconds(2));
    Report ended = service.get(id);
    assertEquals("failed", ended.status());
    assertTrue(ended.error().contains("did not finish within 900 s"), ended.error());
    // and it can be requested again
    var retry =
        kit.call(handler, "POST", "/reports", "{\"periodType\":\"week\",\"start\":\"2026-11-16\"}");
    assertEquals("generating", retry.body().getString("status"));
    assertEquals(id, retry.body().getString("id"));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) throw new AssertionError("never released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> outcome(Map<String, Object> run, String type) {
    return (Map<String, Object>) run.get(type);
  }

  @Test
  void listNewestFirstInPagesAndDownloadThroughPresignedLinks() throws Exception {
    for (String start : List.of("2026-11-09", "2026-11-16", "2026-11-23")) {
      assertEquals(202, kit.generate("week", start).status());
    }
    assertEquals(202, kit.generate("month", "2026-11-01").status());
    assertEquals(202, kit.generate("month", "2026-10-01").status());
    List<String> labels = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var res =
          cursor == null
              ? kit.list(Map.of("limit", "2"))
              : kit.list(Map.of("limit", "2", "cursor", cursor));
      assertEquals(200, res.status(), res.body().encode());
      res.body()
          .getJsonArray("items")
          .forEach(i -> labels.add(((JsonObject) i).getString("label")));
      cursor = res.body().getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertEquals(List.of("2026-W48", "2026-W47", "2026-W46", "2026-11", "2026-10"), labels);
    assertEquals(3, pages);
    assertEquals(2, kit.list(Map.of("periodType", "month")).body().getJsonArray("items").size());

    JsonObject w47 =
        kit.list(Map.of("periodType", "week")).body().getJsonArray("items").getJsonObject(1);
    assertEquals("2026-W47", w47.getString("label"));
    assertEquals(List.of("csv", "xlsx", "html"), w47.getJsonArray("formats").getList());
    for (String format : List.of("csv", "xlsx", "html")) {
      var res = kit.download(w47.getString("id"), format);
      assertEquals(200, res.status(), res.body().encode());
      assertEquals("tracklane-week-2026-W47." + format, res.body().getString("fileName"));
      Instant expires = Instant.parse(res.body().getString("expiresAt"));
      assertTrue(!expires.isAfter(Instant.now().plusSeconds(301)), "short-lived: " + expires);
      HttpResponse<byte[]> file =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(res.body().getString("url")))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, file.statusCode(), "GET " + res.body().getString("url"));
      Report report = kit.report(w47.getString("id"));
      assertEquals(
          new String(
              kit.service.storage().read(report.key(format)),
              java.nio.charset.StandardCharsets.ISO_8859_1),
          new String(file.body(), java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    assertBad(
        kit.download(w47.getString("id"), "pdf"),
        "format",
        "must be one of [csv, xlsx, html], not 'pdf'");
    assertBad(
        kit.download(w47.getString("id"), null), "format", "is required: one of [csv, xlsx, html]");
    var missing = kit.download("no-such-report", "csv");
    assertEquals(404, missing.status());
    assertNotNull(missing.message());
  }
}
