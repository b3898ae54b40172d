package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.reports.ReportData.DayCount;
import io.tracklane.backoffice.reports.ReportData.MoneyTotals;
import io.tracklane.backoffice.reports.ReportData.RiderMoney;
import io.tracklane.backoffice.reports.ReportData.RiderRow;
import io.tracklane.backoffice.reports.ReportData.RouteRow;
import io.tracklane.backoffice.reports.ReportData.Totals;
import io.tracklane.backoffice.reports.ReportTable.Column;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's tables, in order: Report (what period, when generated), Summary (fleet figures, the
 * previous period and the change), Money (per currency), Riders, Rider money (per rider and
 * currency), Routes, Tasks per day. Units: distance in km (3 decimals), active time in hours (2),
 * durations in minutes (1), rates as ratios (4), money with 2 decimals.
 */
public final class ReportTables {
  public static final String REPORT = "Report";
  public static final String SUMMARY = "Summary";
  public static final String MONEY = "Money";
  public static final String RIDERS = "Riders";
  public static final String RIDER_MONEY = "Rider money";
  public static final String ROUTES = "Routes";
  public static final String DAYS = "Tasks per day";

  /** What a money row without a currency stands for: receipts whose amount is not read yet. */
  public static final String NO_CURRENCY = "";

  private ReportTables() {}

  public static List<ReportTable> of(ReportData d) {
    return List.of(report(d), summary(d), money(d), riders(d), riderMoney(d), routes(d), days(d));
  }

  static ReportTable report(ReportData d) {
    ReportPeriod p = d.period();
    List<List<Object>> rows = new ArrayList<>();
    rows.add(List.of("Period", p.type()));
    rows.add(List.of("Label", p.label()));
    rows.add(List.of("First day", p.start().toString()));
    rows.add(List.of("Last day", p.end().minusDays(1).toString()));
    rows.add(List.of("Time zone", p.zone().getId()));
    rows.add(
        List.of(
            "From",
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(p.start().atStartOfDay(p.zone()))));
    rows.add(
        List.of(
            "Until (exclusive)",
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(p.end().atStartOfDay(p.zone()))));
    rows.add(List.of("Previous period", p.previous().label()));
    rows.add(List.of("Generated at", d.generatedAt().toString()));
    return new ReportTable(REPORT, List.of(Column.text("Field"), Column.text("Value")), rows);
  }

  static ReportTable summary(ReportData d) {
    Totals now = d.totals();
    Totals before = d.previousTotals();
    List<List<Object>> rows = new ArrayList<>();
    rows.add(change("Tasks claimed", now.claimed(), before.claimed()));
    rows.add(change("Tasks completed", now.completed(), before.completed()));
    rows.add(change("Completed on time", now.onTime(), before.onTime()));
    rows.add(changeOfRate("On-time rate", now.onTimeRate(), before.onTimeRate()));
    rows.add(change("Tasks cancelled", now.cancelled(), before.cancelled()));
    rows.add(change("Distance (km)", km(now.distanceM()), km(before.distanceM())));
    rows.add(change("Active time (h)", hours(now.activeS()), hours(before.activeS())));
    rows.add(change("Off-route alerts", now.offRouteAlerts(), before.offRouteAlerts()));
    rows.add(change("Active riders", now.activeRiders(), before.activeRiders()));
    // mixed units per row: each value keeps its row's scale (scale -1: shown as it is)
    return new ReportTable(
        SUMMARY,
        List.of(
            Column.text("Metric"),
            Column.decimal("This period", -1),
            Column.decimal("Previous period", -1),
            Column.decimal("Change", -1),
            Column.ratio("Change %")),
        rows);
  }

  static ReportTable money(ReportData d) {
    List<List<Object>> rows = new ArrayList<>();
    for (MoneyTotals m : d.money()) {
      MoneyTotals prev = d.previousMoney(m.currency());
      BigDecimal prevBonus = prev == null ? BigDecimal.ZERO.setScale(2) : prev.bonus();
      BigDecimal prevAccepted =
          prev == null ? BigDecimal.ZERO.setScale(2) : prev.receiptsAccepted();
      rows.add(
          row(
              currency(m.currency()),
              m.bonus(),
              prevBonus,
              m.bonus().subtract(prevBonus),
              m.receiptsAccepted(),
              prevAccepted,
              m.receiptsAccepted().subtract(prevAccepted),
              m.acceptedCount(),
              m.receiptsPending(),
              m.pendingCount()));
    }
    return new ReportTable(
        MONEY,
        List.of(
            Column.text("Currency"),
            Column.money("Bonus"),
            Column.money("Previous bonus"),
            Column.money("Bonus change"),
            Column.money("Receipts accepted"),
            Column.money("Previous receipts accepted"),
            Column.money("Receipts accepted change"),
            Column.integer("Accepted receipts"),
            Column.money("Receipts pending review"),
            Column.integer("Pending receipts")),
        rows);
  }

  static ReportTable riders(ReportData d) {
    List<List<Object>> rows = new ArrayList<>();
    for (RiderRow r : d.riders()) {
      rows.add(
          row(
              r.displayName(),
              r.username(),
              r.riderId(),
              r.claimed(),
              r.completed(),
              r.onTime(),
              ratio(r.onTimeRate()),
              r.cancelled(),
              km(r.distanceM()),
              hours(r.activeS()),
              r.offRouteAlerts(),
              r.trackedRides(),
              ratio(r.trackRatio()),
              r.gaps(),
              r.longestGapS() == null ? null : minutes(r.longestGapS()),
              ratio(r.lateShare())));
    }
    return new ReportTable(
        RIDERS,
        List.of(
            Column.text("Rider"),
            Column.text("Username"),
            Column.text("Rider id"),
            Column.integer("Claimed"),
            Column.integer("Completed"),
            Column.integer("On time"),
            Column.ratio("On-time rate"),
            Column.integer("Cancelled"),
            Column.decimal("Distance (km)", 3),
            Column.decimal("Active time (h)", 2),
            Column.integer("Off-route alerts"),
            Column.integer("Tracked rides"),
            Column.ratio("Fixes received / expected"),
            Column.integer("Gaps > 60 s"),
            Column.decimal("Longest gap (min)", 1),
            Column.ratio("Uploaded late")),
        rows);
  }

  static ReportTable riderMoney(ReportData d) {
    List<List<Object>> rows = new ArrayList<>();
    for (RiderMoney m : d.riderMoney()) {
      rows.add(
          row(
              m.displayName(),
              m.riderId(),
              currency(m.currency()),
              m.bonus(),
              m.receiptsAccepted(),
              m.acceptedCount(),
              m.receiptsPending(),
              m.pendingCount()));
    }
    return new ReportTable(
        RIDER_MONEY,
        List.of(
            Column.text("Rider"),
            Column.text("Rider id"),
            Column.text("Currency"),
            Column.money("Bonus"),
            Column.money("Receipts accepted"),
            Column.integer("Accepted receipts"),
            Column.money("Receipts pending review"),
            Column.integer("Pending receipts")),
        rows);
  }

  static ReportTable routes(ReportData d) {
    List<List<Object>> rows = new ArrayList<>();
    for (RouteRow r : d.routes()) {
      rows.add(
          row(
              r.name(),
              r.lineageId(),
              r.runs(),
              r.onTime(),
              minutes(r.medianS()),
              minutes(r.p90S()),
              r.offRouteAlerts(),
              km(r.distanceM())));
    }
    return new ReportTable(
        ROUTES,
        List.of(
            Column.text("Route"),
            Column.text("Route lineage id"),
            Column.integer("Runs"),
            Column.integer("On time"),
            Column.decimal("Median duration (min)", 1),
            Column.decimal("P90 duration (min)", 1),
            Column.integer("Off-route alerts"),
            Column.decimal("Distance (km)", 3)),
        rows);
  }

  static ReportTable days(ReportData d) {
    List<List<Object>> rows = new ArrayList<>();
    for (DayCount c : d.days()) rows.add(row(c.day().toString(), c.completed()));
    return new ReportTable(
        DAYS, List.of(Column.text("Day"), Column.integer("Tasks completed")), rows);
  }

  // --- units -----------------------------------------------------------------------------------

  public static BigDecimal km(double metres) {
    return BigDecimal.valueOf(metres)
        .divide(BigDecimal.valueOf(1000))
        .setScale(3, RoundingMode.HALF_UP);
  }

  public static BigDecimal hours(long seconds) {
    return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 2, RoundingMode.HALF_UP);
  }

  public static BigDecimal minutes(Double seconds) {
    return seconds == null
        ? null
        : BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 1, RoundingMode.HALF_UP);
  }

  public static BigDecimal ratio(Double r) {
    return r == null ? null : BigDecimal.valueOf(r).setScale(4, RoundingMode.HALF_UP);
  }

  static String currency(String c) {
    return c == null ? NO_CURRENCY : c;
  }

  private static List<Object> row(Object... cells) {
    List<Object> row = new ArrayList<>(cells.length);
    for (Object c : cells) row.add(c instanceof Integer i ? Long.valueOf(i) : c);
    return row;
  }

  private static List<Object> change(String metric, long now, long before) {
    return change(metric, BigDecimal.valueOf(now), BigDecimal.valueOf(before));
  }

  /** Value, previous value, difference and relative change (null when the previous value is 0). */
  private static List<Object> change(String metric, BigDecimal now, BigDecimal before) {
    BigDecimal pct =
        before.signum() == 0
            ? null
            : now.subtract(before).divide(before.abs(), 4, RoundingMode.HALF_UP);
    return row(metric, now, before, now.subtract(before), pct);
  }

  /** A rate changes in points: no relative change of a percentage. */
  private static List<Object> changeOfRate(String metric, Double now, Double before) {
    BigDecimal n = ratio(now);
    BigDecimal b = ratio(before);
    return row(metric, n, b, n == null || b == null ? null : n.subtract(b), null);
  }
}
