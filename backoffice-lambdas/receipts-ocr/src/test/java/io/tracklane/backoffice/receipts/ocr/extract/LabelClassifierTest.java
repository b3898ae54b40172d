package io.tracklane.backoffice.receipts.ocr.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelClassifierTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "GRAND TOTAL | GRAND_TOTAL",
        "Grand Tota1 (RM) | GRAND_TOTAL",
        "Rounded Total (RM): | ROUNDED_TOTAL",
        "Round. :d Total (RM): | ROUNDED_TOTAL",
        "TOTAL ROUNDED | ROUNDED_TOTAL",
        "Rounding Adjustment | ROUNDING",
        "Rounding | ROUNDING",
        "TOTAL DUE | TOTAL_DUE",
        "Amount Due | TOTAL_DUE",
        "BALANCE DUE | TOTAL_DUE",
        "Nett Total | NET_TOTAL",
        "NET AMOUNT | NET_TOTAL",
        "Total Sales (Inclusive of GST) | TOTAL_INCL_TAX",
        "Total Amount Incl. GST | TOTAL_INCL_TAX",
        "Total Sales (Excluding GST) | TOTAL_EXCL_TAX",
        "Total Amt Excl. GST | TOTAL_EXCL_TAX",
        "Amount Paid | AMOUNT_PAID",
        "TOTAL PAYMENT | AMOUNT_PAID",
        "Total Amount | TOTAL_PAYABLE",
        "TOTAL PAYABLE | TOTAL_PAYABLE",
        "TOTAL: | TOTAL",
        "T0TAL | TOTAL",
        "TOTA1 RM | TOTAL",
        "Sub Total | SUBTOTAL",
        "SUBTOTAL | SUBTOTAL",
        "Sub-T0tal | SUBTOTAL",
        "'Sub- Tota |           RM' | SUBTOTAL",
        "Sun- Tota! | SUBTOTAL",
        "SUBTUTA | SUBTOTAL",
        "Total Qty: 7 | QUANTITY",
        "~ Total Oty | QUANTITY",
        "Total GTy: | QUANTITY",
        "Total Qy.: 1) | QUANTITY",
        "TOTAL QUANTITY | QUANTITY",
        "Total Items | QUANTITY",
        "Total GST | TAX",
        "GST 6% | TAX",
        "SST @6% | TAX",
        "Tax | TAX",
        "Service Charge 10% | TAX",
        "Discount | DISCOUNT",
        "Total Savings | DISCOUNT",
        "CASH | CASH",
        "Cash Tendered | CASH",
        "TENDERED | CASH",
        "CHANGE | CHANGE",
        "Change Due | CHANGE",
        "VISA CARD | CARD",
        "Master | CARD",
        "Kiddy Fish 1 PC | OTHER",
      })
  void classifiesLabels(String label, LineKind expected) {
    assertEquals(expected, LabelClassifier.classify(label));
  }
}
