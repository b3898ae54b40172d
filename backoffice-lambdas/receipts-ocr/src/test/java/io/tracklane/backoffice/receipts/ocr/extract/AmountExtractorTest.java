package io.tracklane.backoffice.receipts.ocr.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmountExtractorTest {

  private static AmountFinding extract(String receipt) {
    return AmountExtractor.extract(Lines.text(receipt));
  }

  private static boolean trusted(AmountFinding f) {
    return f.doubts().isEmpty() && f.confidence() >= AmountExtractor.EXTRACTED_THRESHOLD;
  }

  @Test
  void grandTotalBeatsSubtotalTaxCashAndChange() {
    AmountFinding f =
        extract(
            """
        KEDAI RUNCIT ABC SDN BHD
        MILO 2 x 4.50 9.00
        BREAD 1 x 3.70 3.70
        SUBTOTAL 12.70
        GST 6% 0.76
        GRAND TOTAL 13.46
        CASH 20.00
        CHANGE 6.54
        """);
    assertEquals(new BigDecimal("13.46"), f.amount());
    assertTrue(trusted(f), f.toString());
  }

  /** Subtotal 51.42 + GST 3.08: the tax is the subtotal at 6 %, so the chain checks itself. */
  @Test
  void aSubtotalChainWhoseTaxIsAtAKnownRateIsMarked() {
    AmountFinding f =
        extract(
            """
        SUB TOTAL 51.42
        GST 6% 3.08
        TOTAL 64.50
        """);
    assertEquals(List.of(new BigDecimal("54.50")), f.taxAtRate(), f.toString());
    AmountFinding misreadTax =
        extract(
            """
        SUB TOTAL 51.42
        GST 6% 8.08
        TOTAL 59.50
        """);
    assertTrue(misreadTax.taxAtRate().isEmpty(), misreadTax.toString());
    assertTrue(AmountExtractor.taxAtKnownRate(new BigDecimal("64.00"), new BigDecimal("3.84")));
    assertTrue(AmountExtractor.taxAtKnownRate(new BigDecimal("100.00"), new BigDecimal("13.00")));
    assertFalse(AmountExtractor.taxAtKnownRate(new BigDecimal("64.00"), new BigDecimal("3.94")));
    assertFalse(AmountExtractor.taxAtKnownRate(new BigDecimal("64.00"), BigDecimal.ZERO));
  }

  /**
   * No tax line read, but the TOTAL is the subtotal at 6 %: that agrees with the arithmetic; a
   * total at no known rate above the subtotal still disagrees.
   */
  @Test
  void aTotalThatIsTheSubtotalAtAKnownRateAgreesWithIt() {
    AmountFinding f =
        extract(
            """
        SUB TOTAL 103.77
        TOTAL 110.00
        """);
    assertEquals(new BigDecimal("110.00"), f.amount());
    assertTrue(f.doubts().stream().noneMatch(d -> d.contains("gives")), f.toString());
    AmountFinding atNoRate =
        extract(
            """
        SUB TOTAL 103.77
        TOTAL 118.00
        """);
    assertEquals(new BigDecimal("118.00"), atNoRate.amount());
    assertTrue(
        atNoRate.doubts().stream().anyMatch(d -> d.contains("subtotal 103.77 gives")),
        atNoRate.toString());
  }

  @Test
  void roundedTotalBeatsPlainTotal() {
    AmountFinding f =
        extract(
            """
        Total Sales (Excluding GST) 41.96
        Total GST 2.52
        Total 44.48
        Rounding Adjustment 0.02
        Rounded Total (RM) 44.50
        Cash 50.00
        Change 5.50
        """);
    assertEquals(new BigDecimal("44.50"), f.amount());
    assertTrue(trusted(f), f.toString());
  }

  @Test
  void aWholeFigureUnderRoundingIsTheRoundedTotal() {
    // 99 Speed Mart prints the rounded total under "Rounding", below the adjustment
    AmountFinding f =
        extract(
            """
        Total Sales (Inclusive GST) RM 14.38
        Rounding Adjustment RM .02
        Rounding RM 14.40
        CASH RM 20.00
        CHANGE RM 5.60
        """);
    assertEquals(new BigDecimal("14.40"), f.amount());
    assertTrue(trusted(f), f.toString());
  }

  @Test
  void aWholeFigureUnderRoundAdjIsTheAdjustmentMisread() {
    // a photo read "Round Adj 0.00" as 9.00: an adjustment line never holds the rounded total
    String receipt =
        """
        Total Sales Inclusive GST @6% 14.90
        Discount 0.00
        Total 14.90
        Round Adj %s
        CASH 20.00
        CHANGE 5.10
        """;
    for (String label : List.of("Round Adj 9.00", "Round Ad) 9.00", "Rounding Adjustment 9.00")) {
      AmountFinding f = extract(receipt.replace("Round Adj %s", label));
      assertEquals(new BigDecimal("14.90"), f.amount(), label);
      assertTrue(trusted(f), label + ": " + f);
    }
    // without "adjustment" the whole figure under "Rounding" is still the rounded total
    AmountFinding rounding = extract(receipt.replace("Round Adj %s", "Rounding 9.00"));
    assertTrue(
        new BigDecimal("9.00").equals(rounding.amount())
            || rounding.others().stream()
                .anyMatch(o -> o.amount().compareTo(new BigDecimal("9.00")) == 0),
        rounding.toString());
  }

  @Test
  void aQuantityLineBelowAnItemNamedLikeAPaymentIsNoPayment() {
    // "CARD COVER" alone on its line, its quantity and price below: not a card payment of 1.00
    AmountFinding f =
        extract(
            """
        CARD COVER (SCB-4012)
        1 X 3.3000 - 3.30 SR
        Total 3.30
        CASH 5.00
        CHANGE 1.70
        """);
    assertEquals(new BigDecimal("3.30"), f.amount());
    assertTrue(trusted(f), f.toString());
    assertTrue(f.doubts().stream().noneMatch(d -> d.contains("card payment")), f.toString());
    // a payment label alone on its line still takes the figure below it
    AmountFinding paid =
        extract(
            """
        Total 3.30
        VISA
        RM 3.00
        """);
    assertTrue(
        paid.doubts().stream().anyMatch(d -> d.contains("card payment 3.00")), paid.toString());
  }

  @Test
  void neverTakesTotalQuantityOrTotalGst() {
    AmountFinding f =
        extract(
            """
        Total Qty: 7 51.42
        Total GST 3.08
        TOTAL 54.50
        """);
    assertEquals(new BigDecimal("54.50"), f.amount());
  }

  @Test
  void totalIncludingTaxBeatsTotalExcludingTax() {
    AmountFinding f =
        extract(
            """
        Total Sales (Excluding GST) 51.42
        Discount 0.00
        Total GST 3.08
        Rounding 0.00
        Total Sales (Inclusive of GST) 54.50
        """);
    assertEquals(new BigDecimal("54.50"), f.amount());
    assertTrue(trusted(f), f.toString());
  }

  @Test
  void arithmeticOutvotesOneMisreadDigit() {
    // OCR read 54.50 as 64.50; subtotal + tax and cash − change both say 54.50.
    AmountFinding f =
        extract(
            """
        Total Sales (Excluding GST) 51.42
        Total GST 3.08
        Total Sales (Inclusive of GST) 64.50
        Cash 60.00
        Change 5.50
        """);
    assertEquals(new BigDecimal("54.50"), f.amount());
    assertFalse(trusted(f), "a corrected total still goes to review");
  }

  @Test
  void disagreeingTotalsGoToReview() {
    AmountFinding f =
        extract(
            """
        Total : 9.00
        Rounding Adjustment 0.00
        Rounded Total (RM): 9.60
        """);
    assertFalse(trusted(f));
    assertFalse(f.doubts().isEmpty());
  }

  @Test
  void cashMinusChangeConfirmsTheTotal() {
    AmountFinding f =
        extract(
            """
        TOTAL 17.45
        CASH 20.00
        CHANGE 2.55
        """);
    assertEquals(new BigDecimal("17.45"), f.amount());
    assertTrue(trusted(f), f.toString());
  }

  @Test
  void cashMinusChangeThatDisagreesIsADoubt() {
    AmountFinding f =
        extract(
            """
        TOTAL 17.45
        CASH 20.00
        CHANGE 3.55
        """);
    assertFalse(trusted(f));
  }

  @Test
  void labelOnTheLineAboveItsAmount() {
    AmountFinding f =
        extract(
            """
        SUBTOTAL 10.00
        TOTAL AMOUNT DUE
        RM 10.60
        """);
    assertEquals(new BigDecimal("10.60"), f.amount());
  }

  @Test
  void repairsOcrConfusionsInTheTotal() {
    AmountFinding f =
        extract(
            """
        ITEM A 4.00
        TOTAL: RM 1O.5O
        CASH 20.00
        CHANGE 9.50
        """);
    assertEquals(new BigDecimal("10.50"), f.amount());
  }

  @Test
  void decimalCommaTotals() {
    assertEquals(
        new BigDecimal("23.90"),
        extract(
                """
        Zwischensumme 20,08
        MwSt 3,82
        TOTAL EUR 23,90
        """)
            .amount());
  }

  @Test
  void amountPaidAndCardPaymentAgree() {
    AmountFinding f =
        extract(
            """
        SUBTOTAL 30.00
        SERVICE CHARGE 10% 3.00
        GST 6% 1.98
        TOTAL 34.98
        VISA 34.98
        """);
    assertEquals(new BigDecimal("34.98"), f.amount());
    assertTrue(trusted(f));
  }

  @Test
  void noLabelMeansReviewWithAGuess() {
    AmountFinding f =
        extract(
            """
        COFFEE 3.50
        CAKE 5.00
        """);
    assertEquals(new BigDecimal("5.00"), f.amount());
    assertFalse(trusted(f));
  }

  @Test
  void nothingAtAll() {
    AmountFinding f = extract("THANK YOU\nPLEASE COME AGAIN");
    assertNull(f.amount());
    assertFalse(trusted(f));
  }

  @Test
  void lowOcrConfidenceOnTheTotalLineIsADoubt() {
    List<OcrLine> lines = List.of(OcrLine.of("SHOP", 0.9), OcrLine.of("TOTAL 12.30", 0.4));
    AmountFinding f = AmountExtractor.extract(lines);
    assertEquals(new BigDecimal("12.30"), f.amount());
    assertFalse(trusted(f));
  }

  @Test
  void discountSeparatesTotalFromNettTotal() {
    AmountFinding f =
        extract(
            """
        TOTAL 50.00
        DISCOUNT 5.00
        NETT TOTAL 45.00
        CASH 50.00
        CHANGE 5.00
        """);
    assertEquals(new BigDecimal("45.00"), f.amount());
    assertTrue(trusted(f), f.toString());
  }

  /**
   * Item lines summing to the subtotal confirm it, and with it the total the subtotal and tax give:
   * without that, TOTAL alone with its arithmetic is one support; with it, two.
   */
  @Test
  void itemLinesSummingToTheSubtotalConfirmTheTotal() {
    String tail =
        """
        SUBTOTAL 12.70
        GST 6% 0.76
        TOTAL 13.46
        """;
    AmountFinding summing = extract("MILO 2 x 4.50 9.00\nBREAD 1 x 3.70 3.70\n" + tail);
    AmountFinding notSumming = extract("MILO 2 x 4.50 9.00\nBREAD 1 x 3.70 3.90\n" + tail);
    assertEquals(new BigDecimal("13.46"), summing.amount());
    assertEquals(new BigDecimal("13.46"), notSumming.amount());
    assertTrue(
        summing.confidence() > notSumming.confidence() + 0.1,
        summing.confidence() + " vs " + notSumming.confidence());
    // items that do not sum say nothing against the total
    assertTrue(notSumming.doubts().isEmpty(), notSumming.doubts().toString());
  }

  /**
   * Items summing to a first total line before rounding do not promote it over the nett total below
   * it.
   */
  @Test
  void itemsSummingToATotalBeforeRoundingDoNotBeatTheNettTotal() {
    AmountFinding f =
        extract(
            """
        RM1.50 1 RM1.50
        RM4.15 1 RM4.15
        RM2.83 1 RM2.83
        Total Amount: RM8.48
        GST @0%: RM0.00
        Rounding: RM0.02
        Nett Total: RM8.50
        CASH RM8.50
        """);
    assertEquals(new BigDecimal("8.50"), f.amount(), f.toString());
  }
}
