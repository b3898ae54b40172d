package io.tracklane.backoffice.receipts.ocr.extract;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses an amount written in Chinese capital numerals (大写), as on the 价税合计 line of a VAT invoice:
 * 柒仟零壹拾捌元捌角叁分 = 7018.83, 捌佰玖拾捌圆整 = 898.00. Also accepts the everyday numerals (一二三, 十百千) and
 * traditional forms, since OCR mixes them. Strict about structure (two digits in a row, units out
 * of order, nothing before 元) so a garbled reading is rejected rather than misread.
 */
public final class ChineseCapitalAmount {
  private static final Map<Character, Integer> DIGITS =
      Map.ofEntries(
          Map.entry('零', 0),
          Map.entry('〇', 0),
          Map.entry('○', 0),
          Map.entry('壹', 1),
          Map.entry('一', 1),
          Map.entry('贰', 2),
          Map.entry('貳', 2),
          Map.entry('二', 2),
          Map.entry('两', 2),
          Map.entry('式', 2),
          Map.entry('叁', 3),
          Map.entry('參', 3),
          Map.entry('参', 3),
          Map.entry('三', 3),
          Map.entry('肆', 4),
          Map.entry('四', 4),
          Map.entry('伍', 5),
          Map.entry('五', 5),
          Map.entry('陆', 6),
          Map.entry('陸', 6),
          Map.entry('六', 6),
          Map.entry('柒', 7),
          Map.entry('七', 7),
          Map.entry('捌', 8),
          Map.entry('八', 8),
          Map.entry('玖', 9),
          Map.entry('九', 9));
  private static final Map<Character, Integer> SMALL_UNITS =
      Map.of('拾', 10, '十', 10, '佰', 100, '百', 100, '仟', 1000, '千', 1000);
  private static final String CHARS = "零〇○壹一贰貳二两式叁參参三肆四伍五陆陸六柒七捌八玖九拾十佰百仟千万萬亿億元圆圓园角分整正";

  /** Characters OCR reads for capital numerals: 参 for 叁 (its everyday form), 式 for 贰, 园 for 圆. */
  private static final String YUAN = "元圆圓园";

  private static final Pattern RUN = Pattern.compile("[" + CHARS + "]+");

  private ChineseCapitalAmount() {}

  /** The value of a capital-numeral amount, or empty when the text is not a well-formed one. */
  public static Optional<BigDecimal> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.replaceAll("\\s", "");
    if (s.isEmpty()) {
      return Optional.empty();
    }
    long total = 0; // completed 亿 and 万 groups
    long section = 0; // below 万
    int digit = -1; // pending digit, -1 none
    int lastUnit = 10_000; // units within a section must fall: 仟 > 佰 > 拾
    boolean sawAny = false;
    int i = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      Integer d = DIGITS.get(c);
      if (d != null) {
        if (digit > 0) {
          return Optional.empty(); // two digits without a unit between them
        }
        digit = d;
        sawAny = true;
        continue;
      }
      Integer unit = SMALL_UNITS.get(c);
      if (unit != null) {
        if (unit >= lastUnit) {
          return Optional.empty();
        }
        if (digit == 0) {
          return Optional.empty(); // 零拾 is not a number
        }
        // 拾 alone means 10 (拾元 = 10); other units need their digit.
        int multiplier = digit > 0 ? digit : (unit == 10 ? 1 : -1);
        if (multiplier < 0) {
          return Optional.empty();
        }
        section += (long) multiplier * unit;
        lastUnit = unit;
        digit = -1;
        sawAny = true;
        continue;
      }
      if (c == '万' || c == '萬') {
        section += Math.max(digit, 0);
        if (section == 0) {
          return Optional.empty();
        }
        total += section * 10_000;
        section = 0;
        digit = -1;
        lastUnit = 10_000;
        continue;
      }
      if (c == '亿' || c == '億') {
        section += Math.max(digit, 0);
        if (section == 0 && total == 0) {
          return Optional.empty();
        }
        total = (total + section) * 100_000_000L;
        section = 0;
        digit = -1;
        lastUnit = 10_000;
        continue;
      }
      if (YUAN.indexOf(c) >= 0) {
        if (!sawAny) {
          return Optional.empty();
        }
        section += Math.max(digit, 0);
        i++;
        break;
      }
      if (c == '角' || c == '分') {
        break; // no yuan part: 伍角 = 0.50
      }
      return Optional.empty();
    }
    long yuan = total + section;
    boolean hadYuan = i > 0 && i <= s.length() && YUAN.indexOf(s.charAt(i - 1)) >= 0;
    if (!hadYuan) {
      // Only jiao/fen (or nothing after the digits): restart at the fraction.
      yuan = 0;
      i = 0;
    }
    BigDecimal whole = BigDecimal.valueOf(yuan);
    return fraction(s.substring(i)).map(whole::add);
  }

  /** 角 and 分 after 元: "捌角叁分", "零伍分", "整", "" → cents. */
  private static Optional<BigDecimal> fraction(String rest) {
    int jiao = 0;
    int fen = 0;
    int digit = -1;
    boolean seenJiao = false;
    boolean seenFen = false;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      Integer d = DIGITS.get(c);
      if (d != null) {
        if (digit > 0) {
          return Optional.empty();
        }
        digit = d;
      } else if (c == '角') {
        if (digit < 0 || seenJiao || seenFen) {
          return Optional.empty();
        }
        jiao = digit;
        digit = -1;
        seenJiao = true;
      } else if (c == '分') {
        if (digit < 0 || seenFen) {
          return Optional.empty();
        }
        fen = digit;
        digit = -1;
        seenFen = true;
      } else if (c == '整' || c == '正') {
        if (i != rest.length() - 1 || digit > 0) {
          return Optional.empty();
        }
        digit = -1;
      } else {
        return Optional.empty();
      }
    }
    if (digit > 0) {
      return Optional.empty(); // a digit with no unit after 元
    }
    return Optional.of(BigDecimal.valueOf(jiao * 10L + fen, 2));
  }

  /**
   * The longest well-formed capital amount within a line of OCR text. A run that starts with a unit
   * (拾元整) or right after another Chinese character is the tail of a partly misread amount (伍佰叁拾元整
   * with 伍佰 garbled), so it is ignored rather than read as 10 or 30.
   */
  public static Optional<BigDecimal> find(String text) {
    String compact = text == null ? "" : text.replaceAll("\\s", "");
    Matcher m = RUN.matcher(compact);
    Optional<BigDecimal> best = Optional.empty();
    int bestLength = 0;
    while (m.find()) {
      String run = m.group();
      boolean startsWithDigit = DIGITS.containsKey(run.charAt(0));
      boolean cleanStart =
          m.start() == 0
              || "写寫)）:：币".indexOf(compact.charAt(m.start() - 1)) >= 0
              || Character.UnicodeScript.of(compact.charAt(m.start() - 1))
                  != Character.UnicodeScript.HAN;
      if (run.length() > bestLength
          && startsWithDigit
          && cleanStart
          && run.matches(".*[元圆圓园角分].*")) {
        Optional<BigDecimal> value = parse(run);
        if (value.isPresent()) {
          best = value;
          bestLength = run.length();
        }
      }
    }
    return best;
  }
}
