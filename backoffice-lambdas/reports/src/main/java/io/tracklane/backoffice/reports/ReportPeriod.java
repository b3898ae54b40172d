package io.tracklane.backoffice.reports;

import io.tracklane.backoffice.common.FieldError;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A report's period: an ISO week (Monday to Sunday) or a calendar month, cut at local midnight in
 * the business time zone — a task finished at 23:30 Beijing time on a Sunday (15:30 UTC) belongs to
 * that week, one finished at 00:30 on the Monday (Sunday 16:30 UTC) to the next.
 *
 * @param start the first local day
 * @param end the day after the last one (exclusive)
 */
public record ReportPeriod(String type, LocalDate start, LocalDate end, ZoneId zone) {
  public static final String WEEK = "week";
  public static final String MONTH = "month";
  public static final List<String> TYPES = List.of(WEEK, MONTH);

  /** Nothing before this is reported (and it keeps a typo such as 0026 out). */
  public static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);

  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  public static ReportPeriod of(String type, LocalDate start, ZoneId zone) {
    return new ReportPeriod(
        type, start, WEEK.equals(type) ? start.plusWeeks(1) : start.plusMonths(1), zone);
  }

  /** The first instant of the period (local midnight of its first day). */
  public Instant startInstant() {
    return start.atStartOfDay(zone).toInstant();
  }

  /** The first instant after the period. */
  public Instant endInstant() {
    return end.atStartOfDay(zone).toInstant();
  }

  /** 2026-W47 (ISO week-based year) or 2026-11. */
  public String label() {
    if (WEEK.equals(type)) {
      return String.format(
          "%d-W%02d",
          start.get(IsoFields.WEEK_BASED_YEAR), start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
    return String.format("%d-%02d", start.getYear(), start.getMonthValue());
  }

  /** The period before this one, for the change figures. */
  public ReportPeriod previous() {
    return of(type, WEEK.equals(type) ? start.minusWeeks(1) : start.minusMonths(1), zone);
  }

  /** Whether the period has ended by {@code now}. */
  public boolean isComplete(Instant now) {
    return !endInstant().isAfter(now);
  }

  /**
   * The latest period of {@code type} that has ended by {@code now} (what the schedule generates).
   */
  public static ReportPeriod lastComplete(String type, Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    LocalDate currentStart =
        WEEK.equals(type)
            ? today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
            : today.withDayOfMonth(1);
    return of(type, currentStart, zone).previous();
  }

  /**
   * Validates a requested period: a known type, a start that is a period boundary (a Monday, the
   * 1st), and a period that is over by {@code now}. Problems name their field.
   */
  public static ReportPeriod parse(
      Object typeValue, Object startValue, ZoneId zone, Instant now, List<FieldError> errors) {
    List<FieldError> found = new ArrayList<>();
    String type = null;
    if (typeValue == null) {
      found.add(new FieldError("periodType", "is required (week or month)"));
    } else if (!(typeValue instanceof String s) || !TYPES.contains(s)) {
      found.add(
          new FieldError("periodType", "must be one of " + TYPES + ", not " + quote(typeValue)));
    } else {
      type = s;
    }
    LocalDate start = null;
    if (startValue == null) {
      found.add(new FieldError("start", "is required (the first day of the period, YYYY-MM-DD)"));
    } else if (!(startValue instanceof String s) || !ISO_DATE.matcher(s).matches()) {
      found.add(new FieldError("start", "must be a date YYYY-MM-DD, not " + quote(startValue)));
    } else {
      try {
        start = LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        found.add(new FieldError("start", "is not a calendar date: " + s));
      }
    }
    if (start != null && start.isBefore(EARLIEST)) {
      found.add(new FieldError("start", "must not be before " + EARLIEST));
      start = null;
    }
    if (type != null && start != null) {
      if (WEEK.equals(type) && start.getDayOfWeek() != DayOfWeek.MONDAY) {
        found.add(
            new FieldError(
                "start",
                "a week starts on a Monday (ISO weeks); "
                    + start
                    + " is a "
                    + capitalized(start.getDayOfWeek())
                    + ", its week starts on "
                    + start.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))));
      } else if (MONTH.equals(type) && start.getDayOfMonth() != 1) {
        found.add(
            new FieldError("start", "a month starts on the 1st; use " + start.withDayOfMonth(1)));
      } else {
        ReportPeriod p = of(type, start, zone);
        if (!p.isComplete(now)) {
          found.add(
              new FieldError(
                  "start",
                  "the "
                      + type
                      + " starting "
                      + start
                      + " is not over yet (it ends "
                      + p.end.atStartOfDay(zone).toOffsetDateTime()
                      + " in "
                      + zone
                      + "); only finished periods are reported"));
        } else {
          errors.addAll(found);
          return found.isEmpty() ? p : null;
        }
      }
    }
    errors.addAll(found);
    return null;
  }

  private static String quote(Object v) {
    return v instanceof String s
        ? "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'"
        : String.valueOf(v);
  }

  private static String capitalized(DayOfWeek d) {
    String n = d.name().toLowerCase();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
