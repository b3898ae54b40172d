package io.tracklane.backoffice.receipts.ocr.extract;

/**
 * What the label of a receipt line says its amount is. {@code rank} > 0: a total, higher is more
 * final (a grand or rounded total beats a plain TOTAL); 0: an amount that is never the total but
 * serves to cross-check it (subtotal, tax, cash tendered, change…).
 */
public enum LineKind {
  GRAND_TOTAL(10),
  ROUNDED_TOTAL(10),
  TOTAL_DUE(9),
  NET_TOTAL(9),
  TOTAL_INCL_TAX(9),
  AMOUNT_PAID(8),
  TOTAL_PAYABLE(8),
  TOTAL(7),
  AMOUNT(3),
  SUBTOTAL(0),
  TOTAL_EXCL_TAX(0),
  TAX(0),
  /** A row of the tax summary table ("Total: 8.90 0.53", "Total 6% supplies"): never the total. */
  TAX_SUMMARY(0),
  ROUNDING(0),
  DISCOUNT(0),
  CASH(0),
  CHANGE(0),
  CARD(0),
  QUANTITY(0),
  OTHER(0);

  public final int rank;

  LineKind(int rank) {
    this.rank = rank;
  }

  public boolean isTotal() {
    return rank >= TOTAL.rank;
  }
}
