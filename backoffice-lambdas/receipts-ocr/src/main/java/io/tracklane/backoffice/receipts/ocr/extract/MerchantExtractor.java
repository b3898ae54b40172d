package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merchant: on a VAT invoice the seller's 名称 (the second 名称, below the buyer's); on a till
 * receipt a line near the top naming a company (SDN BHD, LTD, 有限公司…), else the most prominent
 * (tallest) of the first lines that is not a heading like TAX INVOICE, an address or a number.
 */
public final class MerchantExtractor {
  private static final Pattern COMPANY =
      Pattern.compile(
          "(?i)\\b(SDN\\.?\\s*BHD|BHD|BERHAD|LTD|LIMITED|PTE|INC|LLC|GMBH|CO\\.|COMPANY|ENTERPRISE|TRADING|RESTAURANT|"
              + "RESTORAN|STORE|MART|MARKET|CAFE|BAKERY|PHARMACY|HARDWARE|STATION)\\b|有限公司|商店|超市|餐厅|酒店");
  private static final Pattern NOT_A_NAME =
      Pattern.compile(
          "(?i)RECEIPT|INVOICE|WELCOME|\\bTEL\\b|\\bFAX\\b|PHONE|GST|REG\\.?\\s*NO|\\bNO\\b\\.?\\s*\\d|DATE|CASHIER|"
              + "JALAN|\\bJLN\\b|ROAD|STREET|TAMAN|\\bCASH\\b|BILL|\\bCOPY\\b|发票|发票代码|发票号码|\\d{5}");
  private static final Pattern SELLER_NAME =
      Pattern.compile("名\\s*称\\s*[:：]?\\s*(\\S.*?)(?:\\s{2,}|$)");
  private static final int HEAD_LINES = 8;

  private MerchantExtractor() {}

  public static String extract(List<OcrLine> lines, boolean fapiao) {
    if (fapiao) {
      String seller = null;
      for (OcrLine line : lines) {
        Matcher m = SELLER_NAME.matcher(line.text());
        if (m.find()) {
          seller = clean(m.group(1));
        }
      }
      if (seller != null && !seller.isEmpty()) {
        return seller;
      }
    }
    List<OcrLine> head = lines.subList(0, Math.min(lines.size(), HEAD_LINES));
    for (OcrLine line : head) {
      if (COMPANY.matcher(line.text()).find() && letters(line.text()) >= 4) {
        return clean(line.text());
      }
    }
    OcrLine best = null;
    for (OcrLine line : head.subList(0, Math.min(head.size(), 5))) {
      String text = line.text();
      if (letters(text) < 3
          || letters(text) * 2 < text.replace(" ", "").length()
          || NOT_A_NAME.matcher(text).find()
          || line.confidence() < 0.5) {
        continue;
      }
      if (best == null || line.height() > best.height() * 1.2) {
        best = line;
      }
    }
    return best == null ? null : clean(best.text());
  }

  private static int letters(String text) {
    return (int) text.chars().filter(Character::isLetter).count();
  }

  private static String clean(String text) {
    return text.replaceAll("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}.)]+$", "")
        .replaceAll("\\s{2,}", " ")
        .strip();
  }
}
