package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receipt date: day-first numeric dates (dd/mm/yyyy, as nearly everywhere outside the US;
 * month-first only when the first number cannot be a month… that is, when the second is over 12),
 * ISO dates, "25 Dec 2018", and 2023年03月17日. A line labelled Date (日期) wins over others.
 */
public final class DateExtractor {
  private static final Pattern CHINESE =
      Pattern.compile("(\\d{4})\\s*年\\s*(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日?");
  private static final Pattern ISO =
      Pattern.compile("(?<!\\d)(20\\d{2})[-/.](\\d{1,2})[-/.](\\d{1,2})(?!\\d)");
  private static final Pattern NUMERIC =
      Pattern.compile(
          "(?<!\\d)(\\d{1,2})\\s?[-/.]\\s?(\\d{1,2})\\s?[-/.]\\s?(\\d{4}|\\d{2})(?!\\d)");
  private static final Pattern NAMED =
      Pattern.compile(
          "(?<!\\d)(\\d{1,2})[\\s-]*(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[\\s,-]*(\\d{4}|\\d{2})(?!\\d)");
  private static final Pattern NAMED_MONTH_FIRST =
      Pattern.compile(
          "(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\\.?\\s+(\\d{1,2}),?\\s+(\\d{4})(?!\\d)");
  private static final Pattern LABEL = Pattern.compile("(?i)DATE|日期|TARIKH");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

  private DateExtractor() {}

  public static LocalDate extract(List<OcrLine> lines) {
    LocalDate first = null;
    for (OcrLine line : lines) {
      Optional<LocalDate> date = parse(line.text());
      if (date.isPresent()) {
        if (LABEL.matcher(line.text()).find()) {
          return date.get();
        }
        if (first == null) {
          first = date.get();
        }
      }
    }
    return first;
  }

  public static Optional<LocalDate> parse(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    Matcher m = CHINESE.matcher(upper);
    if (m.find()) {
      return date(m.group(1), m.group(2), m.group(3));
    }
    m = ISO.matcher(upper);
    if (m.find()) {
      return date(m.group(1), m.group(2), m.group(3));
    }
    m = NUMERIC.matcher(upper);
    while (m.find()) {
      int a = Integer.parseInt(m.group(1));
      int b = Integer.parseInt(m.group(2));
      Optional<LocalDate> d =
          b > 12 && a <= 12
              ? date(m.group(3), m.group(1), m.group(2))
              : date(m.group(3), m.group(2), m.group(1));
      if (d.isPresent()) {
        return d;
      }
    }
    m = NAMED.matcher(upper);
    if (m.find()) {
      return date(m.group(3), String.valueOf(MONTHS.indexOf(m.group(2)) + 1), m.group(1));
    }
    m = NAMED_MONTH_FIRST.matcher(upper);
    if (m.find()) {
      return date(m.group(3), String.valueOf(MONTHS.indexOf(m.group(1)) + 1), m.group(2));
    }
    return Optional.empty();
  }

  private static Optional<LocalDate> date(String year, String month, String day) {
    try {
      int y = Integer.parseInt(year);
      if (y < 100) {
        y += 2000;
      }
      if (y < 1990 || y > LocalDate.now().getYear() + 1) {
        return Optional.empty();
      }
      return Optional.of(LocalDate.of(y, Month.of(Integer.parseInt(month)), Integer.parseInt(day)));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
