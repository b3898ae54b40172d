package io.tracklane.backoffice.reports;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiEvents;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.TestDatabase;
import io.tracklane.backoffice.common.TestS3;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One test's world: a fresh migrated database, an in-process S3, a {@link ReportsHandler} on them
 * with the clock fixed at Wednesday 2026-12-02 12:00 Beijing time, and the seeded dataset whose
 * figures the tests compute by hand (see {@link #seed()}).
 */
final class ReportTestKit implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
  static final Caller MANAGER = new Caller("m1", "manager");
  static final Caller ADMIN = new Caller("a1", "admin");

  final TestS3 s3;
  final BackofficeContext ctx;
  final ReportsHandler handler;
  final ReportService service;

  record Res(int status, JsonObject body, APIGatewayProxyResponseEvent raw) {
    List<String> errorFields() {
      List<String> out = new ArrayList<>();
      JsonArray errors = body.getJsonArray("errors", new JsonArray());
      for (int i = 0; i < errors.size(); i++) out.add(errors.getJsonObject(i).getString("field"));
      return out;
    }

    String message() {
      return body.getString("message");
    }
  }

  ReportTestKit() throws Exception {
    this(Map.of());
  }

  ReportTestKit(Map<String, String> extra) throws Exception {
    s3 = new TestS3("reports", false);
    Map<String, String> config = new HashMap<>(s3.config(ReportSettings.BUCKET.env()));
    config.putAll(extra);
    ctx = TestDatabase.freshContext(config, Clock.fixed(NOW, ZoneOffset.UTC));
    handler = new ReportsHandler(ctx);
    service = handler.service();
    sql(
        "INSERT INTO users (id, username, display_name, role, password_hash) VALUES "
            + "('m1', 'manager', 'Manager', 'manager', 'x'), ('a1', 'admin', 'Admin', 'admin', 'x')");
  }

  // --- calls -----------------------------------------------------------------------------------

  Res call(
      String method,
      String resource,
      Map<String, String> path,
      Map<String, String> query,
      String body,
      Caller caller) {
    return call(handler, method, resource, path, query, body, caller);
  }

  /** A manager's call without path or query parameters to another handler on this database. */
  Res call(ReportsHandler to, String method, String resource, String body) {
    return call(to, method, resource, Map.of(), null, body, MANAGER);
  }

  private static Res call(
      ReportsHandler to,
      String method,
      String resource,
      Map<String, String> path,
      Map<String, String> query,
      String body,
      Caller caller) {
    var event = ApiEvents.event(method, resource, path, body, caller);
    if (query != null) event.setQueryStringParameters(query);
    APIGatewayProxyResponseEvent r = to.handleRequest(event, null);
    String text = r.getBody();
    return new Res(
        r.getStatusCode(),
        text == null || text.isEmpty() ? new JsonObject() : new JsonObject(text),
        r);
  }

  /** POST /reports as it answers (202, generating). */
  Res post(String type, String start) {
    return call(
        "POST",
        "/reports",
        Map.of(),
        null,
        new JsonObject().put("periodType", type).put("start", start).encode(),
        MANAGER);
  }

  /**
   * POST /reports, then waits for the generator (the handler's worker thread): POST's status with
   * the report as it ended (ready or failed); an error answer as it is.
   */
  Res generate(String type, String start) {
    return awaitGenerated(post(type, start));
  }

  Res generateBody(String body) {
    return awaitGenerated(call("POST", "/reports", Map.of(), null, body, MANAGER));
  }

  private Res awaitGenerated(Res posted) {
    if (posted.status() != 202) return posted;
    String id = posted.body().getString("id");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Report report = service.get(id);
    while (Report.GENERATING.equals(report.status())) {
      if (System.nanoTime() > deadline) throw new AssertionError("still generating: " + id);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      report = service.get(id);
    }
    // the row turns ready at commit; the job then deletes the previous generation's files
    if (handler.jobs() instanceof WorkerReportJobs worker
        && !worker.awaitIdle(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the report job did not finish: " + id);
    }
    return new Res(posted.status(), report.toJson(), posted.raw());
  }

  Res list(Map<String, String> query) {
    return call("GET", "/reports", Map.of(), query, null, MANAGER);
  }

  Res download(String id, String format) {
    return call(
        "GET",
        "/reports/{reportId}/download",
        Map.of("reportId", id),
        format == null ? null : Map.of("format", format),
        null,
        MANAGER);
  }

  String csv(Report report) {
    byte[] bytes = service.storage().read(report.csvKey());
    return new String(bytes, StandardCharsets.UTF_8);
  }

  Report report(String id) {
    return service.get(id);
  }

  // --- seeding ---------------------------------------------------------------------------------

  void sql(String sql, Object... params) {
    ctx.db().query(sql, params);
  }

  static OffsetDateTime bj(String localDateTime) {
    return OffsetDateTime.parse(localDateTime + "+08:00").withOffsetSameInstant(ZoneOffset.UTC);
  }

  void user(String id, String username, String displayName) {
    sql(
        "INSERT INTO users (id, username, display_name, role, password_hash) VALUES ($1, $2, $3, 'rider', 'x')",
        id,
        username,
        displayName);
  }

  void route(String id, String lineage, int version, String name) {
    sql(
        "INSERT INTO routes (id, lineage_id, version, name, geometry, checkpoints, length_m) VALUES "
            + "($1, $2, $3, $4, '{\"type\":\"LineString\",\"coordinates\":[[121.47,31.23],[121.48,31.24]]}', '[]', 1400)",
        id,
        lineage,
        version,
        name);
  }

  /**
   * A completed task with its claim event, its ride and its bonus (credited at completion, like
   * TaskService).
   */
  void completed(
      String id,
      String route,
      String rider,
      String bonus,
      String currency,
      String windowStart,
      String windowEnd,
      String claimed,
      String started,
      String done,
      double distanceM,
      long activeS,
      int alerts) {
    sql(
        "INSERT INTO tasks (id, route_id, title, bonus_amount, bonus_currency, window_start, window_end, status, "
            + "claimed_by, claimed_at, started_at, completed_at, created_at) VALUES ($1, $2, $3, $4::text::numeric, $5, $6, $7, "
            + "'completed', $8, $9, $10, $11, $6)",
        id,
        route,
        "task " + id,
        bonus,
        currency,
        bj(windowStart),
        bj(windowEnd),
        rider,
        bj(claimed),
        bj(started),
        bj(done));
    event(id, "claimed", rider, claimed);
    event(id, "started", rider, started);
    event(id, "completed", rider, done);
    sql(
        "INSERT INTO task_completions (task_id, rider_id, route_id, completed_at, arrived, distance_m, active_s, "
            + "stopped_s, fixes, accepted_fixes, percent, off_route_alerts, checkpoints) VALUES "
            + "($1, $2, $3, $4, true, $5, $6, 0, 100, 100, 100, $7, '[]')",
        id,
        rider,
        route,
        bj(done),
        distanceM,
        activeS,
        alerts);
    ledger(rider, id, "task_bonus", bonus, currency, done);
  }

  /**
   * The track completeness stored with a completed ride (what TaskRides writes when the task is
   * completed; columns of V10).
   */
  void trackCompleteness(
      String taskId,
      int expected,
      int received,
      int gaps,
      double longestGapS,
      int lateFixes,
      int timedFixes) {
    sql(
        "UPDATE task_completions SET cadence_s = 10, expected_fixes = $2, received_fixes = $3, gaps = $4, "
            + "longest_gap_s = $5, late_fixes = $6, timed_fixes = $7 WHERE task_id = $1",
        taskId,
        expected,
        received,
        gaps,
        longestGapS,
        lateFixes,
        timedFixes);
  }

  void event(String taskId, String type, String actor, String at) {
    sql(
        "INSERT INTO task_events (task_id, type, actor_id, at) VALUES ($1, $2, $3, $4)",
        taskId,
        type,
        actor,
        bj(at));
  }

  void ledger(String rider, String taskId, String kind, String amount, String currency, String at) {
    sql(
        "INSERT INTO rider_ledger (rider_id, task_id, kind, amount, currency, created_at) VALUES "
            + "($1, $2, $3, $4::text::numeric, $5, $6)",
        rider,
        taskId,
        kind,
        amount,
        currency,
        bj(at));
  }

  void receipt(
      String id,
      String task,
      String rider,
      String status,
      String amount,
      String currency,
      String created) {
    sql(
        "INSERT INTO receipts (id, task_id, rider_id, s3_bucket, s3_key, content_type, status, amount, currency, "
            + "reviewed_by, reviewed_at, failure_reason, created_at) VALUES ($1, $2, $3, 'receipts', $4, 'image/jpeg', $5, "
            + "$6::text::numeric, $7, $8, $9, $10, $9)",
        id,
        task,
        rider,
        "receipts/" + id + ".jpg",
        status,
        amount,
        currency,
        "confirmed".equals(status) ? "m1" : null,
        bj(created),
        "failed".equals(status) ? "unreadable" : null);
  }

  /**
   * The dataset (times in Beijing time, +08:00). Week 2026-W47 is Mon 11-16 .. Sun 11-22; W46 the
   * week before; W48 starts Mon 11-23.
   *
   * <pre>
   * riders r1 张伟, r2 Aisha Tan, r3 Lee Wei; route A 外滩 loop (lineage LA); route B v1 "Pudong run (old)"
   * and v2 "Pudong run" (lineage LB)
   * T1  r1 A   Mon 11-16 10:00-10:30, window to 11:00 (on time)   5000 m 1500 s 1 alert  10.00 CNY
   *            claimed 09:40, released 09:45, claimed again 09:50 (one distinct claim)
   * T2  r1 A   Sun 11-22 23:10-23:30 (15:30 UTC, still W47), window to 23:15 (late) 3000 m 1200 s  12.50 CNY
   * T3  r2 B1  Wed 11-18 09:00-10:00, on time                     8000 m 3000 s 2 alerts 20.00 MYR
   * T4  r2 B2  Thu 11-19 14:00-14:20, on time                     4000 m 1100 s 3 alerts  8.00 CNY
   *     (no track completeness stored: completed before V10, left out of the completeness columns)
   * T5  r1 B2  claimed Sun 11-22 23:50 (W47), done Mon 11-23 00:30 (16:30 UTC Sunday: W48) 2000 m 1700 s 5.00 CNY
   * T6  claimed by r1 Fri 11-20 10:00, released 10:30, claimed by r2 11:00, cancelled 12:00 (counts for r2)
   * T7  open, cancelled Fri 09:00 without a rider (counts for nobody)
   * T8  r1 claimed Sat 11-21 10:00, still claimed
   * adjustment r1 +3.00 CNY Thu 11-19 12:00
   * receipts W47: R1 r1 confirmed 30.00 CNY; R2 r1 extracted 12.40 CNY (Sun 23:35); R3 r1 needs_review
   *   7.60 CNY (Sun 23:40); R4 r2 confirmed 45.00 MYR; R5 r2 failed; R6 r2 uploading (no amount);
   *   R8 r2 needs_review 15.00 MYR
   * track completeness (10 s cadence): T1 150 of 180 fixes, 2 gaps (longest 298 s), 30 of 150 late;
   *   T2 130 of 120 (counts as 120), no gap, 0 of 130 late; T3 360 of 360, 1 gap of 75 s, 36 of 360
   *   late. So r1: 270/300 = 0.9, 2 gaps, longest 5.0 min, 30/280 late; r2: 1.0, 1 gap, 1.3 min,
   *   36/360 late
   * W46: T9 r3 A Tue 11-10 09:40-10:00 on time 6000 m 2000 s 15.00 CNY, R9 confirmed 20.00 CNY;
   *      T10 r2 A Wed 11-11 09:20-10:10 late 1000 m 600 s 9.00 MYR, R10 confirmed 5.00 MYR
   * </pre>
   */
  void seed() {
    user("r1", "zhangwei", "张伟");
    user("r2", "aisha", "Aisha Tan");
    user("r3", "leewei", "Lee Wei");
    route("A", "LA", 1, "外滩 loop");
    route("B1", "LB", 1, "Pudong run (old)");
    route("B2", "LB", 2, "Pudong run");
    completed(
        "T1",
        "A",
        "r1",
        "10.00",
        "CNY",
        "2026-11-16T09:00",
        "2026-11-16T11:00",
        "2026-11-16T09:50",
        "2026-11-16T10:00",
        "2026-11-16T10:30",
        5000,
        1500,
        1);
    event("T1", "claimed", "r1", "2026-11-16T09:40");
    event("T1", "released", "r1", "2026-11-16T09:45");
    completed(
        "T2",
        "A",
        "r1",
        "12.50",
        "CNY",
        "2026-11-22T22:00",
        "2026-11-22T23:15",
        "2026-11-22T22:50",
        "2026-11-22T23:10",
        "2026-11-22T23:30",
        3000,
        1200,
        0);
    completed(
        "T3",
        "B1",
        "r2",
        "20.00",
        "MYR",
        "2026-11-18T08:00",
        "2026-11-18T12:00",
        "2026-11-18T08:50",
        "2026-11-18T09:00",
        "2026-11-18T10:00",
        8000,
        3000,
        2);
    completed(
        "T4",
        "B2",
        "r2",
        "8.00",
        "CNY",
        "2026-11-19T13:00",
        "2026-11-19T15:00",
        "2026-11-19T13:50",
        "2026-11-19T14:00",
        "2026-11-19T14:20",
        4000,
        1100,
        3);
    completed(
        "T5",
        "B2",
        "r1",
        "5.00",
        "CNY",
        "2026-11-22T23:00",
        "2026-11-23T02:00",
        "2026-11-22T23:50",
        "2026-11-23T00:00",
        "2026-11-23T00:30",
        2000,
        1700,
        0);
    trackCompleteness("T1", 180, 150, 2, 298, 30, 150);
    trackCompleteness("T2", 120, 130, 0, 0, 0, 130);
    trackCompleteness("T3", 360, 360, 1, 75, 36, 360);
    sql(
        "INSERT INTO tasks (id, route_id, title, bonus_amount, bonus_currency, window_start, window_end, status, "
            + "claimed_by, claimed_at, cancelled_at, cancel_reason) VALUES ('T6', 'A', 'task T6', 6, 'CNY', $1, $2, "
            + "'cancelled', 'r2', $3, $4, 'customer cancelled')",
        bj("2026-11-20T10:00"),
        bj("2026-11-20T18:00"),
        bj("2026-11-20T11:00"),
        bj("2026-11-20T12:00"));
    event("T6", "claimed", "r1", "2026-11-20T10:00");
    event("T6", "released", "r1", "2026-11-20T10:30");
    event("T6", "claimed", "r2", "2026-11-20T11:00");
    event("T6", "cancelled", "a1", "2026-11-20T12:00");
    sql(
        "INSERT INTO tasks (id, route_id, title, bonus_amount, bonus_currency, window_start, window_end, status, "
            + "cancelled_at, cancel_reason) VALUES ('T7', 'A', 'task T7', 6, 'CNY', $1, $2, 'cancelled', $3, 'not needed')",
        bj("2026-11-20T10:00"),
        bj("2026-11-20T18:00"),
        bj("2026-11-20T09:00"));
    event("T7", "cancelled", "a1", "2026-11-20T09:00");
    sql(
        "INSERT INTO tasks (id, route_id, title, bonus_amount, bonus_currency, window_start, window_end, status, "
            + "claimed_by, claimed_at) VALUES ('T8', 'A', 'task T8', 6, 'CNY', $1, $2, 'claimed', 'r1', $3)",
        bj("2026-11-21T09:00"),
        bj("2026-11-21T20:00"),
        bj("2026-11-21T10:00"));
    event("T8", "claimed", "r1", "2026-11-21T10:00");
    ledger("r1", null, "adjustment", "3.00", "CNY", "2026-11-19T12:00");
    receipt("R1", "T1", "r1", "confirmed", "30.00", "CNY", "2026-11-16T10:40");
    receipt("R2", "T2", "r1", "extracted", "12.40", "CNY", "2026-11-22T23:35");
    receipt("R3", "T2", "r1", "needs_review", "7.60", "CNY", "2026-11-22T23:40");
    receipt("R4", "T3", "r2", "confirmed", "45.00", "MYR", "2026-11-18T10:10");
    receipt("R5", "T3", "r2", "failed", null, null, "2026-11-18T10:15");
    receipt("R6", "T4", "r2", "uploading", null, null, "2026-11-19T14:30");
    receipt("R8", "T4", "r2", "needs_review", "15.00", "MYR", "2026-11-19T14:25");
    completed(
        "T9",
        "A",
        "r3",
        "15.00",
        "CNY",
        "2026-11-10T09:00",
        "2026-11-10T11:00",
        "2026-11-10T09:30",
        "2026-11-10T09:40",
        "2026-11-10T10:00",
        6000,
        2000,
        0);
    completed(
        "T10",
        "A",
        "r2",
        "9.00",
        "MYR",
        "2026-11-11T09:00",
        "2026-11-11T10:00",
        "2026-11-11T09:10",
        "2026-11-11T09:20",
        "2026-11-11T10:10",
        1000,
        600,
        0);
    receipt("R9", "T9", "r3", "confirmed", "20.00", "CNY", "2026-11-10T10:10");
    receipt("R10", "T10", "r2", "confirmed", "5.00", "MYR", "2026-11-11T10:20");
  }

  @Override
  public void close() throws Exception {
    if (handler.jobs() instanceof AutoCloseable jobs) jobs.close();
    ctx.close();
    s3.close();
  }
}
