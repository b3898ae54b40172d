package io.tracklane.backoffice.receipts.ocr.extract;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Classifies the label text of a receipt line. Keywords are matched tolerantly (TOTA1, T0TAL, SUB
 * T0TAL…) because OCR garbles labels as much as amounts. Order matters: exclusions (subtotal, total
 * qty, total GST, rounding, cash, change) are tested before the totals that contain them.
 */
public final class LabelClassifier {
  private static final Map<LineKind, Pattern> RULES = new LinkedHashMap<>();

  static {
    String total = fuzzy("TOTAL");
    String tax =
        "(?:" + fuzzy("GST") + "|" + fuzzy("TAX") + "|" + fuzzy("SST") + "|" + fuzzy("VAT") + ")";
    rule(
        LineKind.QUANTITY,
        total
            + "\\W*(?:"
            + fuzzy("QTY")
            + "|"
            + fuzzy("QUANTITY")
            + "|"
            + fuzzy("ITEMS")
            + "|"
            + fuzzy("ITEM")
            + "|"
            + fuzzy("PCS")
            + "|"
            + fuzzy("UNITS")
            + "|"
            + fuzzy("QT")
            // Qty misread: "Oty", "GTy", "0ty", "Qy"
            + "|[QOG0][T7][YV]\\b|Q[YV]\\b"
            + ")"
            + "|^\\W*(?:"
            + fuzzy("QTY")
            + "|"
            + fuzzy("ITEM COUNT")
            + "|NO\\.? OF ITEMS)");
    rule(
        LineKind.TAX_SUMMARY,
        fuzzy("SUPPLIES")
            + "|"
            + fuzzy("SUPPLY")
            + "|"
            + fuzzy("SUMMARY")
            + "|"
            + fuzzy("TAX CODE"));
    // "Sun- Tota |": a lower-case b read as n, the l read apart
    rule(LineKind.SUBTOTAL, fuzzy("SU") + "[BN8]\\W{0,2}" + fuzzy("TOTA") + "|" + fuzzy("SUBTTL"));
    rule(
        LineKind.TOTAL_EXCL_TAX,
        "(?:"
            + fuzzy("EXCL")
            + "|"
            + fuzzy("EXCLUDING")
            + "|"
            + fuzzy("BEFORE")
            + "|"
            + fuzzy("WITHOUT")
            + "|W/O)\\W*(?:OF\\W*)?"
            + tax
            + "|"
            + fuzzy("AMOUNT EXCL"));
    rule(
        LineKind.TOTAL_INCL_TAX,
        total
            + ".{0,25}(?:"
            + fuzzy("INCL")
            + "|"
            + fuzzy("INC")
            + "|"
            + fuzzy("INCLUSIVE")
            + "|"
            + fuzzy("WITH")
            + "|"
            + fuzzy("AFTER")
            + ")\\W*(?:OF\\W*)?"
            + tax);
    rule(
        LineKind.ROUNDED_TOTAL,
        fuzzy("ROUND")
            + "\\W*\\w{0,3}\\W*"
            + total
            + "|"
            + total
            + "\\W*(?:"
            + fuzzy("AFTER")
            + "\\W*)?"
            + fuzzy("ROUND")
            + "|"
            + fuzzy("ROUNDED")
            + "\\W*(?:"
            + fuzzy("AMOUNT")
            + "|"
            + fuzzy("AMT")
            + ")");
    rule(
        LineKind.ROUNDING,
        fuzzy("ROUNDING")
            + "|"
            + fuzzy("ROUND")
            + "\\w*\\W*"
            + fuzzy("ADJ")
            + "|"
            + fuzzy("ADJUSTMENT")
            + "|"
            + fuzzy("ROUNDING ADJ"));
    rule(
        LineKind.TAX,
        "^\\W*(?:"
            + total
            + "\\W*)?"
            + tax
            + "\\b|"
            + total
            + "\\W*"
            + tax
            + "|"
            + fuzzy("SERVICE CHARGE")
            + "|"
            + fuzzy("SERVICE TAX")
            + "|"
            + fuzzy("SVC CHG")
            + "|\\bGST\\b|\\bSST\\b|\\bVAT\\b");
    rule(
        LineKind.DISCOUNT,
        fuzzy("DISCOUNT")
            + "|"
            + fuzzy("DISC")
            + "\\b|"
            + fuzzy("SAVING")
            + "|"
            + fuzzy("VOUCHER")
            + "|"
            + fuzzy("PROMO")
            + "|"
            + fuzzy("LESS"));
    rule(
        LineKind.CHANGE,
        fuzzy("CHANGE") + "|" + fuzzy("CHG") + "\\b|^\\W*" + fuzzy("BALANCE") + "\\W*$");
    rule(
        LineKind.CARD,
        fuzzy("VISA")
            + "|"
            + fuzzy("MASTER")
            + "|"
            + fuzzy("CARD")
            + "|"
            + fuzzy("DEBIT")
            + "|"
            + fuzzy("CREDIT")
            + "|"
            + fuzzy("AMEX")
            + "|"
            + fuzzy("WALLET")
            + "|"
            + fuzzy("GRABPAY")
            + "|"
            + fuzzy("BOOST")
            + "|"
            + fuzzy("EFTPOS")
            + "|"
            + fuzzy("NETS")
            + "\\b");
    rule(
        LineKind.CASH,
        fuzzy("CASH")
            + "|"
            + fuzzy("TENDER")
            + "|"
            + fuzzy("RECEIVED")
            + "|^\\W*"
            + fuzzy("PAYMENT")
            + "\\W*$");
    rule(LineKind.GRAND_TOTAL, fuzzy("GRAND") + "\\W*" + total);
    rule(
        LineKind.TOTAL_DUE,
        "(?:"
            + total
            + "|"
            + fuzzy("AMOUNT")
            + "|"
            + fuzzy("AMT")
            + "|"
            + fuzzy("BALANCE")
            + ")\\W*"
            + fuzzy("DUE"));
    rule(
        LineKind.NET_TOTAL,
        fuzzy("NET")
            + "T?\\W*(?:"
            + total
            + "|"
            + fuzzy("AMOUNT")
            + "|"
            + fuzzy("AMT")
            + "|"
            + fuzzy("PAYABLE")
            + ")|"
            + total
            + "\\W*"
            + fuzzy("NET")
            + "T?\\b");
    rule(
        LineKind.AMOUNT_PAID,
        "(?:"
            + total
            + "|"
            + fuzzy("AMOUNT")
            + "|"
            + fuzzy("AMT")
            + ")\\W*(?:"
            + fuzzy("PAID")
            + "|"
            + fuzzy("PAYMENT")
            + ")");
    rule(
        LineKind.TOTAL_PAYABLE,
        total
            + "\\W*(?:"
            + fuzzy("AMOUNT")
            + "|"
            + fuzzy("AMT")
            + "|"
            + fuzzy("PAYABLE")
            + "|"
            + fuzzy("SALES")
            + "|"
            + fuzzy("SALE")
            + ")|"
            + fuzzy("PAYABLE")
            + "|"
            + fuzzy("AMOUNT TO PAY"));
    rule(
        LineKind.TOTAL,
        total + "|" + fuzzy("TTL") + "\\b|" + fuzzy("TOTA") + "\\b|" + fuzzy("OTAL") + "\\b");
    rule(LineKind.AMOUNT, "^\\W*(?:" + fuzzy("AMOUNT") + "|" + fuzzy("AMT") + ")\\b");
  }

  private LabelClassifier() {}

  public static LineKind classify(String label) {
    String text = label.toUpperCase(Locale.ROOT);
    for (Map.Entry<LineKind, Pattern> rule : RULES.entrySet()) {
      if (rule.getValue().matcher(text).find()) {
        return rule.getKey();
      }
    }
    return LineKind.OTHER;
  }

  private static void rule(LineKind kind, String regex) {
    RULES.put(kind, Pattern.compile(regex));
  }

  /**
   * A keyword as a regex that accepts the usual OCR look-alikes per letter; a space accepts any
   * gap.
   */
  static String fuzzy(String word) {
    StringBuilder regex = new StringBuilder();
    for (char c : word.toCharArray()) {
      regex.append(
          switch (c) {
            case 'O' -> "[O0QDU]";
            case 'L' -> "[L1I|!\\]]";
            case 'I' -> "[I1L|!\\]]";
            case 'S' -> "[S5$]";
            case 'T' -> "[T7{]";
            case 'B' -> "[B8]";
            case 'G' -> "[G6C]";
            case 'E' -> "[EF]";
            case ' ' -> "\\W*";
            default ->
                Character.isLetterOrDigit(c) ? String.valueOf(c) : Pattern.quote(String.valueOf(c));
          });
    }
    return regex.toString();
  }
}
