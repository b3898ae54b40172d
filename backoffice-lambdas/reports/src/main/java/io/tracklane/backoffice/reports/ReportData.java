package io.tracklane.backoffice.reports;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Everything one report shows, as Postgres aggregated it ({@link ReportQueries}); the CSV, the
 * workbook and the HTML page are three renderings of this. Raw units here (metres, seconds,
 * amounts); the renderings convert (km, hours, minutes).
 *
 * <p>Money is never added across currencies: money rows are per currency (a rider paid in CNY and
 * MYR has two rows; a receipt not read yet has no currency and counts only as pending).
 */
public record ReportData(
    ReportPeriod period,
    Instant generatedAt,
    List<RiderRow> riders,
    List<RiderMoney> riderMoney,
    List<RouteRow> routes,
    Totals totals,
    Totals previousTotals,
    List<MoneyTotals> money,
    List<MoneyTotals> previousMoney,
    List<DayCount> days) {

  /**
   * One rider's activity in the period.
   *
   * @param claimed distinct tasks the rider claimed (a "claimed" audit event in the period; a
   *     release and a re-claim of one task count once)
   * @param completed tasks the rider completed in the period (by completed_at)
   * @param onTime of those, completed no later than the task's window end
   * @param cancelled tasks cancelled in the period while the rider held them
   * @param distanceM metres ridden on the completed tasks (task_completions)
   * @param activeS seconds moving on the completed tasks (task_completions)
   * @param trackedRides completed tasks whose track completeness was stored (completed since V10)
   * @param expectedFixes fixes the cadence promised over those rides, summed
   * @param receivedFixes fixes received inside those rides, each ride capped at its expected count
   * @param gaps gaps over 60 s without a fix in those rides
   * @param longestGapS the longest of them, or null without tracked rides
   * @param lateFixes fixes uploaded more than 60 s after they were taken
   * @param timedFixes fixes carrying a receive time (the base of the late share)
   */
  public record RiderRow(
      String riderId,
      String username,
      String displayName,
      long claimed,
      long completed,
      long onTime,
      long cancelled,
      double distanceM,
      long activeS,
      long offRouteAlerts,
      long trackedRides,
      long expectedFixes,
      long receivedFixes,
      long gaps,
      Double longestGapS,
      long lateFixes,
      long timedFixes) {
    /** on time ÷ completed, or null without completions. */
    public Double onTimeRate() {
      return completed == 0 ? null : (double) onTime / completed;
    }

    /** Received ÷ expected fixes over the tracked rides, or null without any. */
    public Double trackRatio() {
      return trackedRides == 0
          ? null
          : expectedFixes == 0 ? 1.0 : (double) receivedFixes / expectedFixes;
    }

    /** Late ÷ timed fixes over the tracked rides, or null without any. */
    public Double lateShare() {
      return timedFixes == 0 ? null : (double) lateFixes / timedFixes;
    }
  }

  /**
   * One rider's money in one currency: bonus = rider_ledger entries (task bonuses and adjustments)
   * created in the period; receipts created in the period, accepted = confirmed or extracted,
   * pending review = needs_review, processing or uploading (an unread one has no amount and no
   * currency yet: counted, not summed); failed receipts are left out.
   */
  public record RiderMoney(
      String riderId,
      String displayName,
      String currency,
      BigDecimal bonus,
      BigDecimal receiptsAccepted,
      long acceptedCount,
      BigDecimal receiptsPending,
      long pendingCount) {}

  /**
   * One route (all versions of it: grouped by lineage, named as its newest version used) over the
   * tasks completed on it in the period. Durations are completed_at − started_at in seconds.
   */
  public record RouteRow(
      String lineageId,
      String name,
      long runs,
      long onTime,
      Double medianS,
      Double p90S,
      long offRouteAlerts,
      double distanceM) {}

  /** Fleet figures of a period; the same definitions as {@link RiderRow}, summed over riders. */
  public record Totals(
      long claimed,
      long completed,
      long onTime,
      long cancelled,
      double distanceM,
      long activeS,
      long offRouteAlerts,
      long activeRiders) {
    public Double onTimeRate() {
      return completed == 0 ? null : (double) onTime / completed;
    }
  }

  /** Fleet money of a period in one currency (null currency: receipts not read yet). */
  public record MoneyTotals(
      String currency,
      BigDecimal bonus,
      BigDecimal receiptsAccepted,
      long acceptedCount,
      BigDecimal receiptsPending,
      long pendingCount) {}

  /** Tasks completed on one local day of the period. */
  public record DayCount(LocalDate day, long completed) {}

  /** The fleet money of {@code currency} in the previous period, or null. */
  public MoneyTotals previousMoney(String currency) {
    for (MoneyTotals m : previousMoney) {
      if (Objects.equals(m.currency(), currency)) return m;
    }
    return null;
  }
}
