package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chinese VAT invoices (增值税发票): the total is 价税合计 (小写) ¥…, written a second time in capital
 * numerals (大写), and equal to 合计金额 + 合计税额 on the 合计 line. Three independent readings: two agreeing
 * is a confirmation; any disagreement is a reason for review. OCR garbles these lines (¥ read as Y
 * or 羊, 价税合计 with a wrong character), so labels are matched loosely.
 */
public final class FapiaoExtractor {
  private static final Pattern LOWER_CASE_LABEL = Pattern.compile("[小少][写寫冩]|[（(]\\s*[小少]");
  private static final Pattern TOTAL_WITH_TAX =
      Pattern.compile("[价價][税稅]|[税稅]\\s*合\\s*计|价.{0,2}合计");
  private static final Pattern SUM_LINE =
      Pattern.compile("^[^价價税稅\\p{IsDigit}]{0,3}合\\s*计(?![^¥￥Y羊\\d]{0,3}[大小])");
  private static final Pattern MARKERS =
      Pattern.compile("发票|發票|价税合计|價稅合計|纳税人识别号|开票日期|[小大]写|税额|税率|销售方|购买方");

  /** ¥ and what OCR makes of it (Y, 羊, 半, 兰, #). */
  private static final Pattern YUAN_SIGN = Pattern.compile("[¥￥Y羊半兰#]\\s*(?=\\d)");

  private static final Pattern YUAN_AMOUNT = Pattern.compile("[¥￥Y羊半兰#]\\s*\\d");

  private FapiaoExtractor() {}

  /** Whether the text looks like a Chinese VAT invoice (two or more of its fixed labels). */
  public static boolean looksLikeFapiao(List<OcrLine> lines) {
    int hits = 0;
    for (OcrLine line : lines) {
      Matcher m = MARKERS.matcher(line.text().replace(" ", ""));
      while (m.find()) {
        hits++;
      }
    }
    return hits >= 2;
  }

  public static AmountFinding extract(List<OcrLine> lines) {
    Optional<BigDecimal> lowerCase = Optional.empty();
    Optional<BigDecimal> capital = Optional.empty();
    Optional<BigDecimal> sum = Optional.empty();
    String sumText = null;
    Optional<BigDecimal> unlabelledSum = Optional.empty();
    String unlabelledSumText = null;
    for (OcrLine line : lines) {
      String text = line.text();
      String compact = text.replace(" ", "");
      if (lowerCase.isEmpty()) {
        Matcher label = LOWER_CASE_LABEL.matcher(text);
        if (label.find()) {
          lowerCase = lastAmount(text.substring(label.end()));
        }
      }
      if (TOTAL_WITH_TAX.matcher(compact).find()
          || compact.contains("大写")
          || compact.contains("大寫")) {
        if (capital.isEmpty()) {
          capital = ChineseCapitalAmount.find(text);
        }
        if (lowerCase.isEmpty() && TOTAL_WITH_TAX.matcher(compact).find()) {
          lowerCase = lastAmount(text);
        }
      } else if (sum.isEmpty() && SUM_LINE.matcher(compact).find()) {
        List<MoneyToken> tokens = MoneyParser.find(normaliseYuan(text));
        if (tokens.size() >= 2) {
          BigDecimal amount = tokens.get(tokens.size() - 2).value();
          BigDecimal tax = tokens.get(tokens.size() - 1).value();
          if (tax.compareTo(amount) < 0) {
            sum = Optional.of(amount.add(tax));
            sumText = "合计金额 " + amount.toPlainString() + " + 合计税额 " + tax.toPlainString();
          }
        }
      } else if (unlabelledSum.isEmpty() && lowerCase.isEmpty() && countYuanAmounts(text) == 2) {
        // The 合计 label itself unreadable: the row above 价税合计 with two ¥ figures (金额, 税额).
        List<MoneyToken> tokens = MoneyParser.find(normaliseYuan(text));
        if (tokens.size() == 2 && tokens.get(1).value().compareTo(tokens.get(0).value()) < 0) {
          unlabelledSum = Optional.of(tokens.get(0).value().add(tokens.get(1).value()));
          unlabelledSumText =
              "金额 "
                  + tokens.get(0).value().toPlainString()
                  + " + 税额 "
                  + tokens.get(1).value().toPlainString();
        }
      }
    }
    if (sum.isEmpty()) {
      sum = unlabelledSum;
      sumText = unlabelledSumText;
    }
    return judge(lowerCase, capital, sum, sumText);
  }

  private static AmountFinding judge(
      Optional<BigDecimal> lowerCase,
      Optional<BigDecimal> capital,
      Optional<BigDecimal> sum,
      String sumText) {
    List<String> doubts = new ArrayList<>();
    BigDecimal chosen;
    double confidence;
    if (lowerCase.isPresent()) {
      chosen = lowerCase.get();
      int agreeing = 0;
      if (capital.isPresent()) {
        if (capital.get().compareTo(chosen) == 0) {
          agreeing++;
        } else {
          doubts.add(
              "价税合计 大写 reads "
                  + capital.get().toPlainString()
                  + ", 小写 reads "
                  + chosen.toPlainString());
        }
      }
      if (sum.isPresent()) {
        if (sum.get().compareTo(chosen) == 0) {
          agreeing++;
        } else {
          doubts.add(
              sumText + " = " + sum.get().toPlainString() + ", 小写 reads " + chosen.toPlainString());
        }
      }
      // Two misreadings agreeing with each other outvote the 小写 figure.
      if (agreeing == 0
          && capital.isPresent()
          && sum.isPresent()
          && capital.get().compareTo(sum.get()) == 0) {
        chosen = capital.get();
        agreeing = 2;
      }
      confidence = 0.6 + 0.2 * agreeing;
      if (agreeing == 0 && doubts.isEmpty()) {
        doubts.add(
            "价税合计 (小写) "
                + chosen.toPlainString()
                + " could not be cross-checked (大写 and 合计 unreadable)");
      }
    } else if (capital.isPresent()) {
      chosen = capital.get();
      boolean confirmed = sum.isPresent() && sum.get().compareTo(chosen) == 0;
      confidence = confirmed ? 0.8 : 0.5;
      if (!confirmed) {
        doubts.add(
            "价税合计 (小写) unreadable; 大写 reads "
                + chosen.toPlainString()
                + (sum.isPresent() ? " but " + sumText + " = " + sum.get().toPlainString() : ""));
      }
    } else if (sum.isPresent()) {
      chosen = sum.get();
      confidence = 0.4;
      doubts.add("价税合计 unreadable; computed from " + sumText);
    } else {
      return AmountFinding.none("价税合计 not found on the invoice");
    }
    if (!doubts.isEmpty()) {
      confidence = Math.min(confidence, 0.6);
    }
    return new AmountFinding(chosen, confidence, doubts);
  }

  private static int countYuanAmounts(String text) {
    Matcher m = YUAN_AMOUNT.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static Optional<BigDecimal> lastAmount(String text) {
    List<MoneyToken> tokens = MoneyParser.find(normaliseYuan(text));
    return tokens.isEmpty() ? Optional.empty() : Optional.of(tokens.get(tokens.size() - 1).value());
  }

  /**
   * "Y898.00", "¥ 898.00" → " 898.00": the sign (or its misreading) would otherwise be glued to the
   * figure.
   */
  static String normaliseYuan(String text) {
    return YUAN_SIGN.matcher(text).replaceAll(" ");
  }
}
