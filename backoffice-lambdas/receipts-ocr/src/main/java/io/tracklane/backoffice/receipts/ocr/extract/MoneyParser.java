package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds amounts in one OCR line and repairs the usual OCR confusions inside them: O/o/D→0, S/s→5,
 * l/I/|/i→1, B→8, Z→2, a decimal comma, and a space next to the decimal point ("12 .50"). Letters
 * are read as digits only inside a run that already holds a real digit, so words are never turned
 * into numbers.
 */
public final class MoneyParser {
  /** Characters that can be part of a number run: digits, separators and digit look-alikes. */
  private static final String RUN_CHARS = "0123456789.,OoDSslI|iBZ";

  /**
   * An amount in the digitised line: integer part (optionally grouped in thousands by ',' '.' or an
   * apostrophe; never a space, which would glue a quantity to a price), then a decimal separator
   * (maybe padded by one space) and exactly two decimals; not a date part, not a percentage.
   */
  private static final Pattern WITH_CENTS =
      Pattern.compile(
          "(?<![0-9.,])(\\d{1,3}(?:[,.']\\d{3})+|\\d+) ?([.,]) ?(\\d{2})(?![0-9]|[.,]\\d)");

  /** A percentage that is a rate (6.00%, 7.50 %), not an amount with a stray mark after it. */
  private static final Pattern RATE = Pattern.compile("^\\d{1,2}[.,] ?[05]0 ?%");

  /** "RM8 60": after a currency sign the decimal point is sometimes lost to a space. */
  private static final Pattern SPACED_CENTS =
      Pattern.compile("(?<=RM|\\$) ?(\\d{1,4}) (\\d{2})(?![0-9.,])");

  private static final Pattern WHOLE =
      Pattern.compile("(?<![0-9.,:/-])(\\d{1,3}(?:,\\d{3})+|\\d{1,7})(?![0-9.,:/%-])");

  private MoneyParser() {}

  /** Amounts with cents ("12.50"), in order of position. */
  public static List<MoneyToken> find(String line) {
    return find(line, false);
  }

  /** Also whole numbers ("110"), which are amounts only where a label says so. */
  public static List<MoneyToken> find(String line, boolean includeWhole) {
    String digits = digitise(line);
    List<MoneyToken> tokens = new ArrayList<>();
    Matcher m = WITH_CENTS.matcher(digits);
    boolean[] used = new boolean[digits.length()];
    while (m.find()) {
      if (!plausible(line, m.start(), m.end())
          || RATE.matcher(digits.substring(m.start())).find()) {
        continue;
      }
      String integer = m.group(1).replaceAll("[,.' ]", "");
      BigDecimal value = new BigDecimal(integer + "." + m.group(3));
      tokens.add(
          new MoneyToken(
              value,
              m.start(),
              m.end(),
              repaired(line, m.start(), m.end()),
              true,
              negative(digits, m.start())));
      for (int i = m.start(); i < m.end(); i++) {
        used[i] = true;
      }
    }
    Matcher spaced = SPACED_CENTS.matcher(digits);
    while (spaced.find()) {
      if (!used[spaced.start(1)]) {
        BigDecimal value = new BigDecimal(spaced.group(1) + "." + spaced.group(2));
        tokens.add(new MoneyToken(value, spaced.start(1), spaced.end(), true, true, false));
        for (int i = spaced.start(1); i < spaced.end(); i++) {
          used[i] = true;
        }
      }
    }
    if (includeWhole) {
      Matcher w = WHOLE.matcher(digits);
      while (w.find()) {
        if (used[w.start()] || !plausible(line, w.start(), w.end())) {
          continue;
        }
        BigDecimal value = new BigDecimal(w.group(1).replace(",", "")).setScale(2);
        tokens.add(
            new MoneyToken(
                value,
                w.start(),
                w.end(),
                repaired(line, w.start(), w.end()),
                false,
                negative(digits, w.start())));
      }
    }
    tokens.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return tokens;
  }

  /**
   * The line with look-alike letters replaced by digits inside runs holding a real digit (same
   * length).
   */
  static String digitise(String line) {
    char[] chars = line.toCharArray();
    int i = 0;
    while (i < chars.length) {
      if (RUN_CHARS.indexOf(chars[i]) < 0) {
        i++;
        continue;
      }
      int start = i;
      boolean hasDigit = false;
      while (i < chars.length && RUN_CHARS.indexOf(chars[i]) >= 0) {
        hasDigit |= Character.isDigit(chars[i]);
        i++;
      }
      if (!hasDigit) {
        continue;
      }
      for (int k = start; k < i; k++) {
        char c = chars[k];
        // A leading S before a digit is far more often a misread '$' than a '5'.
        if ((c == 'S' || c == 's') && k == start && k + 1 < i && Character.isDigit(chars[k + 1])) {
          chars[k] = '$';
          continue;
        }
        chars[k] =
            switch (c) {
              case 'O', 'o', 'D' -> '0';
              case 'S', 's' -> '5';
              case 'l', 'I', '|', 'i' -> '1';
              case 'B' -> '8';
              case 'Z' -> '2';
              default -> c;
            };
      }
    }
    return new String(chars);
  }

  /** A minus (or opening parenthesis) just before the figure, maybe after a currency sign. */
  private static boolean negative(String digits, int start) {
    int i = start - 1;
    while (i >= 0
        && (digits.charAt(i) == ' '
            || digits.charAt(i) == '$'
            || Character.isLetter(digits.charAt(i)))
        && start - i <= 5) {
      i--;
    }
    return i >= 0
        && "-–—(".indexOf(digits.charAt(i)) >= 0
        && (i == 0
            || digits.charAt(i - 1) == ' '
            || !Character.isLetterOrDigit(digits.charAt(i - 1)));
  }

  /** Rejects numbers glued into words ("A12.50B" part numbers) and look-alike-heavy runs. */
  private static boolean plausible(String line, int start, int end) {
    int real = 0;
    int lookalike = 0;
    for (int i = start; i < end; i++) {
      char c = line.charAt(i);
      if (Character.isDigit(c)) {
        real++;
      } else if (Character.isLetter(c) || c == '|') {
        lookalike++;
      }
    }
    if (real == 0 || lookalike > real + 1) {
      return false;
    }
    return end >= line.length()
        || !Character.isLetterOrDigit(line.charAt(end))
        || isLookalike(line.charAt(end));
  }

  private static boolean isLookalike(char c) {
    return "OoDSslI|iBZ".indexOf(c) >= 0;
  }

  private static boolean repaired(String line, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = line.charAt(i);
      if (Character.isLetter(c) || c == '|') {
        return true;
      }
    }
    return false;
  }
}
