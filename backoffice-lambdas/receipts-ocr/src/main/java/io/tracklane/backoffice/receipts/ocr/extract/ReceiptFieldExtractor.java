package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads amount, currency, date and merchant from OCR lines; VAT invoices and till receipts each by
 * their own rules.
 */
public final class ReceiptFieldExtractor {
  private ReceiptFieldExtractor() {}

  public static ReceiptFields extract(List<OcrLine> lines) {
    String text = lines.stream().map(OcrLine::text).collect(Collectors.joining("\n"));
    boolean fapiao = FapiaoExtractor.looksLikeFapiao(lines);
    AmountFinding amount = fapiao ? FapiaoExtractor.extract(lines) : AmountExtractor.extract(lines);
    String currency = fapiao ? "CNY" : CurrencyDetector.detect(text);
    return new ReceiptFields(
        amount.amount(),
        currency,
        DateExtractor.extract(lines),
        MerchantExtractor.extract(lines, fapiao),
        amount.confidence(),
        amount.doubts(),
        fapiao,
        amount.others(),
        amount.digitConfidence(),
        amount.arithmetic(),
        amount.taxAtRate());
  }
}
