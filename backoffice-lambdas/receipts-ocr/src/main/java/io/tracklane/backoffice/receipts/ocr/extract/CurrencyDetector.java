package io.tracklane.backoffice.receipts.ocr.extract;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receipt's currency (ISO 4217) from the symbols and codes printed on it. Specific markers (RM,
 * S$, US$, ¥, 元, €) win over the bare "$", which many currencies share; the bare "$" alone is taken
 * as USD. Null when nothing on the receipt names a currency.
 */
public final class CurrencyDetector {
  private static final Map<String, Pattern> MARKERS = new LinkedHashMap<>();

  static {
    MARKERS.put("MYR", Pattern.compile("(?<![A-Z])(?:RM|MYR)(?![A-Z])|\\bRINGGIT\\b"));
    MARKERS.put("SGD", Pattern.compile("(?<![A-Z])(?:S\\$|SGD)"));
    MARKERS.put("HKD", Pattern.compile("(?<![A-Z])(?:HK\\$|HKD)"));
    MARKERS.put("AUD", Pattern.compile("(?<![A-Z])(?:A\\$|AUD)(?![A-Z])"));
    MARKERS.put("USD", Pattern.compile("(?<![A-Z])(?:US\\$|USD)"));
    MARKERS.put("CNY", Pattern.compile("(?<![A-Z])(?:CNY|RMB)(?![A-Z])|[¥￥元圆]|人民币|发票|價稅合計|价税合计"));
    MARKERS.put("JPY", Pattern.compile("(?<![A-Z])JPY(?![A-Z])|円"));
    MARKERS.put("EUR", Pattern.compile("€|(?<![A-Z])EUR(?![A-Z])"));
    MARKERS.put("GBP", Pattern.compile("£|(?<![A-Z])GBP(?![A-Z])"));
    MARKERS.put("THB", Pattern.compile("฿|(?<![A-Z])THB(?![A-Z])"));
    MARKERS.put("IDR", Pattern.compile("(?<![A-Z])(?:IDR|RP)(?=\\s?\\d)"));
  }

  private static final Pattern BARE_DOLLAR = Pattern.compile("\\$\\s?\\d");

  private CurrencyDetector() {}

  public static String detect(String text) {
    String upper = text.toUpperCase(Locale.ROOT);
    String best = null;
    int bestCount = 0;
    for (Map.Entry<String, Pattern> marker : MARKERS.entrySet()) {
      Matcher m = marker.getValue().matcher(upper);
      int count = 0;
      while (m.find()) {
        count++;
      }
      if (count > bestCount) {
        best = marker.getKey();
        bestCount = count;
      }
    }
    if (best == null && BARE_DOLLAR.matcher(text).find()) {
      return "USD";
    }
    return best;
  }
}
