package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.DbRow;
import io.tracklane.backoffice.common.SqlSession;
import io.tracklane.backoffice.reports.ReportData.DayCount;
import io.tracklane.backoffice.reports.ReportData.MoneyTotals;
import io.tracklane.backoffice.reports.ReportData.RiderMoney;
import io.tracklane.backoffice.reports.ReportData.RiderRow;
import io.tracklane.backoffice.reports.ReportData.RouteRow;
import io.tracklane.backoffice.reports.ReportData.Totals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's figures, each one SQL aggregate over the period's rows of tasks, task_events,
 * task_completions, rider_ledger and receipts (never the raw GPS fixes: what a ride was is stored
 * in task_completions when the task is completed). A period is the half-open interval [$1, $2) of
 * instants; $3, where used, is the business time zone for local days.
 */
public final class ReportQueries {
  /** Receipt statuses whose amount counts as accepted, and those still pending review. */
  public static final List<String> ACCEPTED = List.of("confirmed", "extracted");

  public static final List<String> PENDING = List.of("needs_review", "processing", "uploading");

  private static final String ACCEPTED_SQL = "status IN ('confirmed', 'extracted')";
  private static final String PENDING_SQL = "status IN ('needs_review', 'processing', 'uploading')";

  private static final String RIDERS =
      """
      WITH claims AS (
        SELECT e.actor_id AS rider_id, count(DISTINCT e.task_id) AS claimed
        FROM task_events e WHERE e.type = 'claimed' AND e.at >= $1 AND e.at < $2 AND e.actor_id IS NOT NULL
        GROUP BY e.actor_id),
      done AS (
        SELECT t.claimed_by AS rider_id, count(*) AS completed,
               count(*) FILTER (WHERE t.completed_at <= t.window_end) AS on_time,
               coalesce(sum(c.distance_m), 0) AS distance_m, coalesce(sum(c.active_s), 0)::bigint AS active_s,
               coalesce(sum(c.off_route_alerts), 0)::bigint AS alerts,
               count(c.expected_fixes) AS tracked,
               coalesce(sum(c.expected_fixes), 0)::bigint AS expected_fixes,
               coalesce(sum(least(c.received_fixes, c.expected_fixes)), 0)::bigint AS received_fixes,
               coalesce(sum(c.gaps), 0)::bigint AS gaps, max(c.longest_gap_s) AS longest_gap_s,
               coalesce(sum(c.late_fixes), 0)::bigint AS late_fixes,
               coalesce(sum(c.timed_fixes), 0)::bigint AS timed_fixes
        FROM tasks t LEFT JOIN task_completions c ON c.task_id = t.id
        WHERE t.status = 'completed' AND t.completed_at >= $1 AND t.completed_at < $2
        GROUP BY t.claimed_by),
      cancelled AS (
        SELECT t.claimed_by AS rider_id, count(*) AS cancelled
        FROM tasks t WHERE t.status = 'cancelled' AND t.claimed_by IS NOT NULL
          AND t.cancelled_at >= $1 AND t.cancelled_at < $2
        GROUP BY t.claimed_by),
      ids AS (
        SELECT rider_id FROM claims UNION SELECT rider_id FROM done UNION SELECT rider_id FROM cancelled
        UNION SELECT rider_id FROM rider_ledger WHERE created_at >= $1 AND created_at < $2
        UNION SELECT rider_id FROM receipts WHERE created_at >= $1 AND created_at < $2 AND status <> 'failed')
      SELECT u.id, u.username, u.display_name, coalesce(cl.claimed, 0) AS claimed,
             coalesce(d.completed, 0) AS completed, coalesce(d.on_time, 0) AS on_time,
             coalesce(x.cancelled, 0) AS cancelled, coalesce(d.distance_m, 0) AS distance_m,
             coalesce(d.active_s, 0) AS active_s, coalesce(d.alerts, 0) AS alerts,
             coalesce(d.tracked, 0) AS tracked, coalesce(d.expected_fixes, 0) AS expected_fixes,
             coalesce(d.received_fixes, 0) AS received_fixes, coalesce(d.gaps, 0) AS gaps,
             d.longest_gap_s, coalesce(d.late_fixes, 0) AS late_fixes,
             coalesce(d.timed_fixes, 0) AS timed_fixes
      FROM ids JOIN users u ON u.id = ids.rider_id
      LEFT JOIN claims cl ON cl.rider_id = u.id LEFT JOIN done d ON d.rider_id = u.id
      LEFT JOIN cancelled x ON x.rider_id = u.id
      ORDER BY u.display_name, u.id""";

  private static final String MONEY_CTES =
      """
      WITH b AS (
        SELECT %1$s currency::text AS currency, sum(amount) AS bonus
        FROM rider_ledger WHERE created_at >= $1 AND created_at < $2 GROUP BY %2$s),
      r AS (
        SELECT %1$s currency::text AS currency,
               coalesce(sum(amount) FILTER (WHERE %3$s), 0) AS accepted,
               count(*) FILTER (WHERE %3$s) AS accepted_count,
               coalesce(sum(amount) FILTER (WHERE %4$s), 0) AS pending,
               count(*) FILTER (WHERE %4$s) AS pending_count
        FROM receipts WHERE created_at >= $1 AND created_at < $2 AND status <> 'failed' GROUP BY %2$s)
      """;

  private static final String RIDER_MONEY =
      MONEY_CTES.formatted("rider_id,", "rider_id, currency", ACCEPTED_SQL, PENDING_SQL)
          + """
      SELECT u.id, u.display_name, coalesce(b.currency, r.currency) AS currency, coalesce(b.bonus, 0) AS bonus,
             coalesce(r.accepted, 0) AS accepted, coalesce(r.accepted_count, 0) AS accepted_count,
             coalesce(r.pending, 0) AS pending, coalesce(r.pending_count, 0) AS pending_count
      FROM b FULL JOIN r ON r.rider_id = b.rider_id AND r.currency = b.currency
      JOIN users u ON u.id = coalesce(b.rider_id, r.rider_id)
      ORDER BY u.display_name, u.id, currency NULLS LAST""";

  private static final String FLEET_MONEY =
      MONEY_CTES.formatted("", "currency", ACCEPTED_SQL, PENDING_SQL)
          + """
      SELECT coalesce(b.currency, r.currency) AS currency, coalesce(b.bonus, 0) AS bonus,
             coalesce(r.accepted, 0) AS accepted, coalesce(r.accepted_count, 0) AS accepted_count,
             coalesce(r.pending, 0) AS pending, coalesce(r.pending_count, 0) AS pending_count
      FROM b FULL JOIN r ON r.currency = b.currency
      ORDER BY currency NULLS LAST""";

  private static final String ROUTES =
      """
      SELECT r.lineage_id, (array_agg(r.name ORDER BY r.version DESC))[1] AS name, count(*) AS runs,
             count(*) FILTER (WHERE t.completed_at <= t.window_end) AS on_time,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.completed_at - t.started_at)::float8) AS median_s,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t.completed_at - t.started_at)::float8) AS p90_s,
             coalesce(sum(c.off_route_alerts), 0)::bigint AS alerts, coalesce(sum(c.distance_m), 0) AS distance_m
      FROM tasks t JOIN routes r ON r.id = t.route_id LEFT JOIN task_completions c ON c.task_id = t.id
      WHERE t.status = 'completed' AND t.completed_at >= $1 AND t.completed_at < $2
      GROUP BY r.lineage_id
      ORDER BY runs DESC, name, r.lineage_id""";

  private static final String TOTALS =
      """
      SELECT (SELECT count(*) FROM (SELECT DISTINCT actor_id, task_id FROM task_events
                WHERE type = 'claimed' AND at >= $1 AND at < $2 AND actor_id IS NOT NULL) x) AS claimed,
             (SELECT count(*) FROM tasks WHERE status = 'cancelled' AND claimed_by IS NOT NULL
                AND cancelled_at >= $1 AND cancelled_at < $2) AS cancelled,
             count(t.id) AS completed, count(t.id) FILTER (WHERE t.completed_at <= t.window_end) AS on_time,
             coalesce(sum(c.distance_m), 0) AS distance_m, coalesce(sum(c.active_s), 0)::bigint AS active_s,
             coalesce(sum(c.off_route_alerts), 0)::bigint AS alerts, count(DISTINCT t.claimed_by) AS riders
      FROM tasks t LEFT JOIN task_completions c ON c.task_id = t.id
      WHERE t.status = 'completed' AND t.completed_at >= $1 AND t.completed_at < $2""";

  private static final String DAYS =
      """
      SELECT (t.completed_at AT TIME ZONE $3)::date AS day, count(*) AS completed
      FROM tasks t WHERE t.status = 'completed' AND t.completed_at >= $1 AND t.completed_at < $2
      GROUP BY 1""";

  private ReportQueries() {}

  /** Runs every aggregate of {@code period} (and the previous period's totals) on {@code sql}. */
  public static ReportData load(SqlSession sql, ReportPeriod period, Instant generatedAt) {
    Object[] p = window(period);
    List<RiderRow> riders = new ArrayList<>();
    for (DbRow r : sql.query(RIDERS, p)) {
      riders.add(
          new RiderRow(
              r.getString("id"),
              r.getString("username"),
              r.getString("display_name"),
              r.getLong("claimed"),
              r.getLong("completed"),
              r.getLong("on_time"),
              r.getLong("cancelled"),
              r.getDouble("distance_m"),
              r.getLong("active_s"),
              r.getLong("alerts"),
              r.getLong("tracked"),
              r.getLong("expected_fixes"),
              r.getLong("received_fixes"),
              r.getLong("gaps"),
              r.getDouble("longest_gap_s"),
              r.getLong("late_fixes"),
              r.getLong("timed_fixes")));
    }
    List<RiderMoney> money = new ArrayList<>();
    for (DbRow r : sql.query(RIDER_MONEY, p)) {
      money.add(
          new RiderMoney(
              r.getString("id"),
              r.getString("display_name"),
              r.getString("currency"),
              amount(r, "bonus"),
              amount(r, "accepted"),
              r.getLong("accepted_count"),
              amount(r, "pending"),
              r.getLong("pending_count")));
    }
    List<RouteRow> routes = new ArrayList<>();
    for (DbRow r : sql.query(ROUTES, p)) {
      routes.add(
          new RouteRow(
              r.getString("lineage_id"),
              r.getString("name"),
              r.getLong("runs"),
              r.getLong("on_time"),
              r.getDouble("median_s"),
              r.getDouble("p90_s"),
              r.getLong("alerts"),
              r.getDouble("distance_m")));
    }
    Map<LocalDate, Long> perDay = new HashMap<>();
    for (DbRow r :
        sql.query(
            DAYS, utc(period.startInstant()), utc(period.endInstant()), period.zone().getId())) {
      perDay.put(r.getLocalDate("day"), r.getLong("completed"));
    }
    List<DayCount> days = new ArrayList<>();
    for (LocalDate d = period.start(); d.isBefore(period.end()); d = d.plusDays(1)) {
      days.add(new DayCount(d, perDay.getOrDefault(d, 0L)));
    }
    ReportPeriod previous = period.previous();
    return new ReportData(
        period,
        generatedAt,
        riders,
        money,
        routes,
        totals(sql, period),
        totals(sql, previous),
        fleetMoney(sql, period),
        fleetMoney(sql, previous),
        days);
  }

  static Totals totals(SqlSession sql, ReportPeriod period) {
    DbRow r = sql.one(TOTALS, window(period));
    return new Totals(
        r.getLong("claimed"),
        r.getLong("completed"),
        r.getLong("on_time"),
        r.getLong("cancelled"),
        r.getDouble("distance_m"),
        r.getLong("active_s"),
        r.getLong("alerts"),
        r.getLong("riders"));
  }

  static List<MoneyTotals> fleetMoney(SqlSession sql, ReportPeriod period) {
    List<MoneyTotals> out = new ArrayList<>();
    for (DbRow r : sql.query(FLEET_MONEY, window(period))) {
      out.add(
          new MoneyTotals(
              r.getString("currency"),
              amount(r, "bonus"),
              amount(r, "accepted"),
              r.getLong("accepted_count"),
              amount(r, "pending"),
              r.getLong("pending_count")));
    }
    return out;
  }

  /** The period's [$1, $2) as statement arguments. */
  private static Object[] window(ReportPeriod period) {
    return new Object[] {utc(period.startInstant()), utc(period.endInstant())};
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static BigDecimal amount(DbRow r, String column) {
    BigDecimal v = r.getBigDecimal(column);
    return (v == null ? BigDecimal.ZERO : v).setScale(2, RoundingMode.HALF_UP);
  }
}
