package io.tracklane.backoffice.reports.bench;

import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.TestDatabase;
import io.tracklane.backoffice.common.TestS3;
import io.tracklane.backoffice.reports.Report;
import io.tracklane.backoffice.reports.ReportPeriod;
import io.tracklane.backoffice.reports.ReportService;
import io.tracklane.backoffice.reports.ReportSettings;
import io.tracklane.backoffice.reports.ReportStorage;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * How long a monthly report takes for 2,000 riders and 60,000 completed tasks (target ≤ 10 s), and
 * the heap it needs. Embedded Postgres and an in-process S3, seeded with bulk {@code INSERT …
 * SELECT generate_series}: every task has its claim and completion events, its ride
 * (task_completions) and its bonus; every third task a receipt. Runs the generation twice — the
 * first in a cold JVM (class loading, JIT: what a Lambda cold start pays), then a regeneration —
 * and in between times each phase on its own.
 *
 * <p>{@code mvn -B -q -pl backoffice-lambdas/reports exec:java}
 */
public final class MonthlyReportBenchmark {
  static final int RIDERS = 2_000;
  static final int TASKS = 60_000;
  static final int ROUTES = 50;

  public static void main(String[] args) throws Exception {
    try (TestS3 s3 = new TestS3("reports", false);
        BackofficeContext ctx =
            TestDatabase.freshContext(
                s3.config(ReportSettings.BUCKET.env()),
                Clock.fixed(Instant.parse("2026-12-02T04:00:00Z"), ZoneOffset.UTC))) {
      long t0 = System.nanoTime();
      seed(ctx);
      System.out.printf(
          Locale.ROOT,
          "seeded %,d riders, %,d completed tasks in 2026-11 in %.1f s%n",
          RIDERS,
          TASKS,
          (System.nanoTime() - t0) / 1e9);
      ReportSettings settings = ReportSettings.from(ctx.config());
      ReportService service =
          new ReportService(ctx, settings, ReportStorage.create(ctx.config(), settings));
      ReportPeriod november =
          ReportPeriod.of(
              ReportPeriod.MONTH, LocalDate.of(2026, 11, 1), ZoneId.of("Asia/Shanghai"));
      for (String run :
          new String[] {"first run (cold JVM, like a Lambda cold start)", "regeneration (warm)"}) {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long baseline = heapUsed();
        long gcBefore = gcCount();
        long start = System.nanoTime();
        Report report = service.generate(november, ReportService.Mode.REGENERATE, "manual", null);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "%s: %.2f s (target <= 10 s) | peak heap %.0f MiB (%.0f MiB before) | "
                + "%d GCs | %d tasks completed, %d riders | csv %,d B, xlsx %,d B, html %,d B%n",
            run,
            seconds,
            peakHeap() / 1048576.0,
            baseline / 1048576.0,
            gcCount() - gcBefore,
            report.tasksCompleted(),
            report.activeRiders(),
            size(service, report.csvKey()),
            size(service, report.xlsxKey()),
            size(service, report.htmlKey()));
        if (run.startsWith("first")) phases(ctx, november, "warm");
      }
      System.out.printf(
          Locale.ROOT,
          "max heap %.0f MiB, %d CPUs%n",
          Runtime.getRuntime().maxMemory() / 1048576.0,
          Runtime.getRuntime().availableProcessors());
    }
    System.exit(0);
  }

  /**
   * Where the time goes: each phase on its own (queries in one transaction, as the service runs
   * them).
   */
  static void phases(BackofficeContext ctx, ReportPeriod period, String label) {
    long q0 = System.nanoTime();
    var data =
        ctx.db()
            .inTransaction(
                sql -> {
                  sql.query("SET LOCAL work_mem = '64MB'");
                  sql.query("SET LOCAL jit = off");
                  return io.tracklane.backoffice.reports.ReportQueries.load(
                      sql, period, Instant.now());
                });
    long q1 = System.nanoTime();
    var tables = io.tracklane.backoffice.reports.ReportTables.of(data);
    byte[] csv = io.tracklane.backoffice.reports.CsvReport.render(tables);
    long q2 = System.nanoTime();
    byte[] xlsx = io.tracklane.backoffice.reports.XlsxReport.render(tables);
    long q3 = System.nanoTime();
    byte[] html = io.tracklane.backoffice.reports.HtmlReport.render(data, tables);
    long q4 = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "phases (%s JVM): queries %.2f s, csv %.2f s, xlsx %.2f s, html %.2f s (%,d B)%n",
        label,
        (q1 - q0) / 1e9,
        (q2 - q1) / 1e9,
        (q3 - q2) / 1e9,
        (q4 - q3) / 1e9,
        csv.length + xlsx.length + html.length);
  }

  static void seed(BackofficeContext ctx) {
    String[] statements = {
      "INSERT INTO users (id, username, display_name, role, password_hash) "
          + "SELECT 'r' || i, 'rider' || i, '骑手 ' || i, 'rider', 'x' FROM generate_series(1, "
          + RIDERS
          + ") i",
      "INSERT INTO routes (id, lineage_id, version, name, geometry, checkpoints, length_m) "
          + "SELECT 'route' || i, 'L' || i, 1, '线路 ' || i, "
          + "'{\"type\":\"LineString\",\"coordinates\":[[121.47,31.23],[121.48,31.24]]}', '[]', 3000 "
          + "FROM generate_series(1, "
          + ROUTES
          + ") i",
      // one task every 40 s through November (Beijing time); 20..109 minutes each; a third late
      "INSERT INTO tasks (id, route_id, title, bonus_amount, bonus_currency, window_start, window_end, status, "
          + "claimed_by, claimed_at, started_at, completed_at, created_at) "
          + "SELECT 't' || i, 'route' || (1 + i % "
          + ROUTES
          + "), 'task ' || i, 5 + (i % 20), "
          + "CASE WHEN i % 10 = 0 THEN 'MYR' ELSE 'CNY' END, s, s + interval '80 minutes', 'completed', "
          + "'r' || (1 + i % "
          + RIDERS
          + "), s - interval '10 minutes', s, s + (20 + i % 90) * interval '1 minute', "
          + "s - interval '1 hour' FROM (SELECT i, timestamptz '2026-11-01 00:00+08' + i * interval '40 seconds' AS s "
          + "FROM generate_series(1, "
          + TASKS
          + ") i) x",
      "INSERT INTO task_events (task_id, type, from_status, to_status, actor_id, at) "
          + "SELECT id, 'claimed', 'open', 'claimed', claimed_by, claimed_at FROM tasks",
      "INSERT INTO task_events (task_id, type, from_status, to_status, actor_id, at) "
          + "SELECT id, 'completed', 'in_progress', 'completed', claimed_by, completed_at FROM tasks",
      "INSERT INTO task_completions (task_id, rider_id, route_id, completed_at, arrived, distance_m, active_s, "
          + "stopped_s, fixes, accepted_fixes, percent, off_route_alerts, checkpoints) "
          + "SELECT id, claimed_by, route_id, completed_at, true, 2000 + (hashtext(id) & 4095), "
          + "extract(epoch FROM completed_at - started_at)::bigint, 0, 100, 100, 100, hashtext(id) & 3, '[]' FROM tasks",
      "INSERT INTO rider_ledger (rider_id, task_id, kind, amount, currency, created_at) "
          + "SELECT claimed_by, id, 'task_bonus', bonus_amount, bonus_currency, completed_at FROM tasks",
      "INSERT INTO receipts (id, task_id, rider_id, s3_bucket, s3_key, content_type, status, amount, currency, "
          + "reviewed_by, failure_reason, created_at) "
          + "SELECT 'rc' || t.id, t.id, t.claimed_by, 'receipts', 'receipts/' || t.id || '.jpg', 'image/jpeg', "
          + "(ARRAY['confirmed','extracted','needs_review','failed'])[1 + n % 4], "
          + "CASE WHEN n % 4 = 3 THEN NULL ELSE 10 + n % 50 END, CASE WHEN n % 4 = 3 THEN NULL ELSE t.bonus_currency END, "
          + "CASE WHEN n % 4 = 0 THEN t.claimed_by END, CASE WHEN n % 4 = 3 THEN 'unreadable' END, "
          + "t.completed_at + interval '5 minutes' "
          + "FROM (SELECT *, substr(id, 2)::int AS n FROM tasks) t WHERE t.n % 3 = 0",
      "ANALYZE"
    };
    for (String sql : statements) ctx.db().query(sql);
  }

  static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The sum of the heap pools' peaks since the reset (an upper bound of the peak heap in use). */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null)
        sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
      n += Math.max(0, gc.getCollectionCount());
    return n;
  }

  static long size(ReportService service, String key) {
    return service.storage().read(key).length;
  }
}
