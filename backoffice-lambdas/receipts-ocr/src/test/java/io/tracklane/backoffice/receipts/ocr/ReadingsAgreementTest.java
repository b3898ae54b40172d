package io.tracklane.backoffice.receipts.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.ReadingsAgreement.Decision;
import io.tracklane.backoffice.receipts.ocr.ReadingsAgreement.Read;
import io.tracklane.backoffice.receipts.ocr.extract.AmountFinding;
import io.tracklane.backoffice.receipts.ocr.extract.ReceiptFields;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadingsAgreementTest {
  private static final String UNCONFIRMED =
      "only one reading of the total, nothing on the receipt confirms it";

  /** A reading's fields: amount, confidence, the OCR's confidence in its digits, doubts. */
  private static ReceiptFields fields(
      String amount, double confidence, double digits, String... d) {
    return new ReceiptFields(
        amount == null ? null : new BigDecimal(amount),
        "MYR",
        null,
        null,
        confidence,
        List.of(d),
        false,
        List.of(),
        digits,
        List.of(),
        List.of());
  }

  /** The same with the figures the reading's arithmetic gives (one per way). */
  private static ReceiptFields withArithmetic(ReceiptFields f, String... gives) {
    return copy(
        f,
        List.of(),
        java.util.Arrays.stream(gives).map(g -> List.of(new BigDecimal(g))).toList(),
        List.of());
  }

  /** {@code f} with these other totals, arithmetic and tax-checked figures. */
  private static ReceiptFields copy(
      ReceiptFields f,
      List<AmountFinding.Alternative> otherTotals,
      List<List<BigDecimal>> arithmetic,
      List<BigDecimal> taxAtRate) {
    return new ReceiptFields(
        f.amount(),
        f.currency(),
        null,
        null,
        f.confidence(),
        f.doubts(),
        false,
        otherTotals,
        f.digitConfidence(),
        arithmetic,
        taxAtRate);
  }

  private static Read read(String name, ReceiptFields f) {
    return new Read(name, f);
  }

  @Test
  void everyReadingOnTheSameSurelyReadLabelledTotalConfirmsIt() {
    Decision d =
        ReadingsAgreement.decide(
            fields("7.70", 0.66, 0.93, UNCONFIRMED),
            List.of(
                read("column", fields("7.70", 0.66, 0.93, UNCONFIRMED)),
                read("sparse", fields("7.70", 0.66, 0.91, UNCONFIRMED)),
                read("bottom", fields(null, 0, 0, "no amount found"))));
    assertTrue(d.confirmed(), d.toString());
    assertEquals(new BigDecimal("7.70"), d.proposed());
    assertTrue(d.confidence() >= 0.7 && d.doubts().isEmpty(), d.toString());
  }

  /**
   * A photo read as noise: four readings agree on a wrong 0.53, their digits surely read, and one
   * reads 9.07; an item on the receipt costs more than 0.53. That keeps it for review.
   */
  @Test
  void aMajorityBelowAnItemsPriceKeepsItForReview() {
    Decision d =
        ReadingsAgreement.decide(
            fields("0.53", 0.63, 0.94, UNCONFIRMED),
            List.of(
                read("column", fields("0.53", 0.63, 0.94, UNCONFIRMED)),
                read("binarised", fields("0.53", 0.63, 0.96, UNCONFIRMED)),
                read("sparse", fields("9.07", 0.68, 0.92, UNCONFIRMED)),
                read("bottom", fields("0.53", 0.63, 0.96, UNCONFIRMED))),
            new BigDecimal("4.50"));
    assertFalse(d.confirmed(), d.toString());
    assertTrue(d.confidence() < 0.7, d.toString());
    assertEquals(2, d.votes().size());
    assertTrue(d.doubts().stream().anyMatch(s -> s.contains("disagree")), d.toString());
  }

  /**
   * 6.70 read under TOTAL beside a 50.00 "item" (the cash line, its label misread): cash 50.00 −
   * change 43.30 gives 6.70 in three readings, so the item is no item. Given in two, it stays.
   */
  @Test
  void theArithmeticOfThreeReadingsExplainsAnItemAboveTheTotal() {
    String subtotal = "subtotal 15.60 gives 15.60, not 6.70";
    ReceiptFields first = withArithmetic(fields("6.70", 0.5, 0.8, subtotal), "6.70", "15.60");
    List<Read> others =
        List.of(
            read("column", withArithmetic(fields("6.70", 0.59, 0.83, UNCONFIRMED), "6.70")),
            read("binarised", withArithmetic(fields("6.70", 0.5, 0.88, UNCONFIRMED), "6.70")),
            read("sparse", withArithmetic(fields("50.00", 0.5, 0.83, UNCONFIRMED), "42.92")));
    BigDecimal cashAsItem = new BigDecimal("50.00");
    Decision d = ReadingsAgreement.decide(first, others, cashAsItem);
    assertTrue(d.confirmed(), d.toString());
    assertEquals(new BigDecimal("6.70"), d.proposed());

    List<Read> givenTwice =
        List.of(
            others.get(0),
            read("binarised", fields("6.70", 0.5, 0.88, UNCONFIRMED)),
            others.get(2));
    assertFalse(ReadingsAgreement.decide(first, givenTwice, cashAsItem).confirmed());
    assertTrue(ReadingsAgreement.decide(first, givenTwice).confirmed());
  }

  /** "Accepted total 2.00" read on a total line is no item above the 1.50 four readings read. */
  @Test
  void aFigureReadOnAnotherTotalLineIsNoItemAboveTheTotal() {
    String guess = "no total label found; the largest amount is a guess";
    ReceiptFields accepted =
        withOtherTotal(
            fields("1.50", 0.5, 0.88, "totals disagree: 1.50 vs 2.00 (Accepted total)"),
            "2.00",
            "Accepted total");
    List<Read> others =
        List.of(
            read("column", fields("2.00", 0.2, 0, guess)),
            read("binarised", accepted),
            read("sparse", accepted),
            read("bottom", fields("1.50", 0.5, 0.96, UNCONFIRMED)));
    ReceiptFields first = fields("1.50", 0.5, 0.95, UNCONFIRMED);
    BigDecimal item = new BigDecimal("2.00");
    assertTrue(ReadingsAgreement.decide(first, others, item).confirmed());
    assertFalse(ReadingsAgreement.decide(first, others, new BigDecimal("3.00")).confirmed());
  }

  /** Three readings of 99.00 against a crop's 396.00 and a sparse reading's 4.00: it stands. */
  @Test
  void aSureMajorityAgainstStrayFiguresConfirmsTheTotal() {
    Decision d =
        ReadingsAgreement.decide(
            fields("99.00", 0.6, 0.93, UNCONFIRMED),
            List.of(
                read("column", fields("99.00", 0.6, 0.9, UNCONFIRMED)),
                read("binarised", fields("99.00", 0.6, 0.91, UNCONFIRMED)),
                read("sparse", fields("4.00", 0.6, 0.9, UNCONFIRMED)),
                read("bottom", fields("396.00", 0.2, 0, "no total label found"))),
            new BigDecimal("33.00"));
    assertTrue(d.confirmed(), d.toString());
    assertEquals(new BigDecimal("99.00"), d.proposed());
    assertTrue(d.confidence() >= 0.7, d.toString());
  }

  /**
   * Four readings of 15.96 and one of 15.90, and cash − change gives 15.90 in one of them: a shared
   * misread digit looks just like this. With nothing behind the one dissent, four readings of 68.41
   * outvote one 68.44.
   */
  @Test
  void aDissentOneDigitAwayKeepsTheMajorityForReviewWhenTheArithmeticBacksIt() {
    Decision d =
        ReadingsAgreement.decide(
            fields("15.96", 0.6, 0.93, UNCONFIRMED),
            List.of(
                read("column", withArithmetic(fields("15.96", 0.5, 0.9, UNCONFIRMED), "15.90")),
                read("binarised", fields("15.96", 0.6, 0.91, UNCONFIRMED)),
                read("sparse", fields("15.96", 0.6, 0.9, UNCONFIRMED)),
                read("bottom", fields("15.90", 0.6, 0.9, UNCONFIRMED))),
            new BigDecimal("6.90"));
    assertFalse(d.confirmed(), d.toString());

    List<Read> loneDissent =
        List.of(
            read("column", fields("68.41", 0.68, 0.68, UNCONFIRMED)),
            read("binarised", fields("68.41", 0.53, 0.55, UNCONFIRMED)),
            read("sparse", fields("68.41", 0.68, 0.88, UNCONFIRMED)),
            read("bottom", fields("68.44", 0.53, 0.67, UNCONFIRMED)));
    Decision outvoted =
        ReadingsAgreement.decide(fields("68.41", 0.68, 0.68, UNCONFIRMED), loneDissent);
    assertTrue(outvoted.confirmed(), outvoted.toString());
    assertEquals(new BigDecimal("68.41"), outvoted.proposed());

    List<Read> twoDissents =
        List.of(
            loneDissent.get(0),
            loneDissent.get(1),
            loneDissent.get(2),
            loneDissent.get(3),
            read("crop", fields("68.47", 0.53, 0.6, UNCONFIRMED)));
    assertFalse(
        ReadingsAgreement.decide(fields("68.41", 0.68, 0.68, UNCONFIRMED), twoDissents)
            .confirmed());
    assertTrue(ReadingsAgreement.nearMisread(new BigDecimal("34.21"), new BigDecimal("4.21")));
    assertTrue(ReadingsAgreement.nearMisread(new BigDecimal("15.90"), new BigDecimal("1590")));
    assertFalse(ReadingsAgreement.nearMisread(new BigDecimal("99.00"), new BigDecimal("396.00")));
  }

  /**
   * The first reading misread the change (5.40 for 5.60), so its own arithmetic doubts the total;
   * two other readings' arithmetic gives the total they read: it stands.
   */
  @Test
  void arithmeticInOtherReadingsOutweighsTheFirstsMisreadChange() {
    Decision d =
        ReadingsAgreement.decide(
            withArithmetic(
                fields("14.40", 0.49, 0.53, "cash 20.00 − change 5.40 gives 14.60, not 14.40"),
                "14.60"),
            List.of(
                read("column", withArithmetic(fields("14.40", 0.8, 0.6), "14.40")),
                read("bottom", withArithmetic(fields("14.40", 0.8, 0.5), "14.40")),
                read("sparse", fields("13.56", 0.2, 0, "no total label found"))),
            new BigDecimal("8.99"));
    assertTrue(d.confirmed(), d.toString());
    assertEquals(new BigDecimal("14.40"), d.proposed());
  }

  /**
   * Four readings share a misread 137.45; one reads 137.15, and cash − change on another reading
   * gives 137.15: that figure is proposed, for review.
   */
  @Test
  void aNearFigureTheArithmeticGivesReplacesTheMajoritysMisread() {
    Decision d =
        ReadingsAgreement.decide(
            withArithmetic(
                fields("137.45", 0.46, 0.7, "cash 150.15 − change 13.00 gives 137.15, not 137.45"),
                "137.15"),
            List.of(
                read("column", fields("137.45", 0.6, 0.7, UNCONFIRMED)),
                read("binarised", fields("137.15", 0.6, 0.7, UNCONFIRMED))),
            null);
    assertEquals(new BigDecimal("137.15"), d.proposed());
    assertFalse(d.confirmed(), d.toString());
  }

  /** Agreement on digits the OCR was unsure of everywhere confirms nothing. */
  @Test
  void unsureDigitsEverywhereConfirmNothing() {
    Decision d =
        ReadingsAgreement.decide(
            fields("28.31", 0.66, 0.55, UNCONFIRMED),
            List.of(
                read("column", fields("28.31", 0.66, 0.6, UNCONFIRMED)),
                read("sparse", fields("28.31", 0.66, 0.7, UNCONFIRMED))));
    assertFalse(d.confirmed(), d.toString());
  }

  /**
   * The first reading doubts its total (the card line misread), but two other readings each find
   * the card payment agreeing with the same total: it stands.
   */
  @Test
  void twoSelfConsistentReadingsOverrideTheFirstsMisreadCrossCheck() {
    Decision d =
        ReadingsAgreement.decide(
            fields("61.65", 0.5, 0.76, "the card payment 61.45 gives 61.45, not 61.65"),
            List.of(
                read("column", fields("61.65", 0.5, 0.84, "the card payment 61.45 gives 61.45")),
                read("binarised", fields("61.65", 0.76, 0.43)),
                read("bottom", fields("61.65", 0.76, 0.84))));
    assertTrue(d.confirmed(), d.toString());
  }

  /** Two readings trust different figures: review, with both kept. */
  @Test
  void selfConsistentReadingsThatDisagreeGoToReview() {
    Decision d =
        ReadingsAgreement.decide(
            fields("61.65", 0.5, 0.71, "the card payment 61.45 gives 61.45, not 61.65"),
            List.of(
                read("binarised", fields("61.65", 0.76, 0.62)),
                read("sparse", fields("61.45", 0.76, 0.62)),
                read("bottom", fields("61.65", 0.76, 0.72))));
    assertFalse(d.confirmed(), d.toString());
    assertEquals(new BigDecimal("61.65"), d.proposed());
  }

  /**
   * The first reading found no total label and guessed; other readings read one with more
   * confidence between them: theirs is proposed, still for review.
   */
  @Test
  void aGuessGivesWayToTheBestSupportedFigure() {
    Decision d =
        ReadingsAgreement.decide(
            fields("3.00", 0.25, 0.97, "the total 3.00 (Total Qty) has no cents"),
            List.of(
                read("column", fields("3.00", 0.5, 0.97)),
                read("binarised", fields("6.36", 0.5, 0.96, "totals disagree")),
                read("bottom", fields("6.36", 0.5, 0.96, "totals disagree"))));
    assertEquals(new BigDecimal("6.36"), d.proposed());
    assertFalse(d.confirmed(), d.toString());
  }

  /**
   * Guesses that differ only in what they read in front of one figure (¥52.70 read 552.70 and
   * 5652.70) read that figure; one longer figure alone is the figure with its first digit kept.
   */
  @Test
  void guessesDifferingOnlyInFrontOfAFigureReadThatFigure() {
    String guess = "no total label found; the largest amount is a guess";
    Decision twoFronts =
        ReadingsAgreement.decide(
            fields("552.70", 0.2, 0, guess),
            List.of(
                read("binarised", fields("5652.70", 0.2, 0, guess)),
                read("sparse", fields("56.08", 0.2, 0, guess)),
                read("bottom", fields("52.70", 0.2, 0, guess))));
    assertEquals(new BigDecimal("52.70"), twoFronts.proposed());
    assertFalse(twoFronts.confirmed());

    Decision oneFront =
        ReadingsAgreement.decide(
            fields("34.21", 0.2, 0, guess),
            List.of(
                read("binarised", fields("34.21", 0.2, 0, guess)),
                read("sparse", fields("4.21", 0.2, 0, guess))));
    assertEquals(new BigDecimal("34.21"), oneFront.proposed());
    assertTrue(
        ReadingsAgreement.signReadAsDigits(new BigDecimal("5652.70"), new BigDecimal("52.70")));
    assertFalse(
        ReadingsAgreement.signReadAsDigits(new BigDecimal("552.71"), new BigDecimal("52.70")));
    assertFalse(
        ReadingsAgreement.signReadAsDigits(new BigDecimal("52.70"), new BigDecimal("52.70")));
  }

  /**
   * Every reading guessed from a total line read without its cents ("PNG 35" for RM8.35), while the
   * cash and change lines give 8.35 in each: the arithmetic's figure is proposed, for review.
   */
  @Test
  void whatTheArithmeticGivesInEveryReadingOutweighsGuessedTotals() {
    String whole = "the total 35.00 (Grand Total PNG) has no cents";
    Decision d =
        ReadingsAgreement.decide(
            withArithmetic(fields("35.00", 0.44, 0.96, whole), "8.35"),
            List.of(
                read("column", withArithmetic(fields("7.90", 0.35, 0), "8.35")),
                read("binarised", withArithmetic(fields("135.00", 0.34, 0.23, whole), "8.35")),
                read("sparse", withArithmetic(fields("35.00", 0.34, 0.92, whole), "8.35")),
                read("bottom", withArithmetic(fields("35.00", 0.34, 0.24, whole), "8.35"))));
    assertEquals(new BigDecimal("8.35"), d.proposed());
    assertFalse(d.confirmed());
  }

  /** The same with a subtotal chain, checked by its tax rate, giving {@code amount}. */
  private static ReceiptFields withTaxAtRate(ReceiptFields f, String amount) {
    BigDecimal v = new BigDecimal(amount);
    return copy(f, f.otherTotals(), List.of(List.of(v)), List.of(v));
  }

  /**
   * Three readings read 64.50 on the TOTAL line; subtotal 51.42 + GST 3.08 (6 %) gives 54.50 in
   * four: the rate checks the chain, so the figure one digit away stands. Cash − change misread the
   * same way everywhere (no rate to check it) does not overturn a total.
   */
  @Test
  void aSubtotalChainCheckedByItsTaxRateOverturnsANearMisreadTotal() {
    String doubt = "subtotal 51.42 + tax 3.08 gives 54.50, not 64.50";
    ReceiptFields first = withTaxAtRate(fields("64.50", 0.5, 0.72, doubt), "54.50");
    List<Read> others =
        List.of(
            read("column", withTaxAtRate(fields("64.50", 0.5, 0.72, doubt), "54.50")),
            read(
                "binarised",
                withTaxAtRate(
                    fields(
                        "54.50",
                        0.4,
                        0,
                        "no total label found; the total is computed from subtotal 51.42 + tax 3.08"),
                    "54.50")),
            read("sparse", fields("64.60", 0.46, 0.67, UNCONFIRMED)),
            read("bottom", withTaxAtRate(fields("64.50", 0.5, 0.66, doubt), "54.50")));
    Decision d = ReadingsAgreement.decide(first, others);
    assertEquals(new BigDecimal("54.50"), d.proposed(), d.toString());
    assertTrue(d.confirmed(), d.toString());

    List<Read> unchecked =
        others.stream().map(r -> read(r.name(), withArithmetic(r.fields(), "54.50"))).toList();
    Decision byCash = ReadingsAgreement.decide(withArithmetic(first, "54.50"), unchecked);
    assertFalse(byCash.confirmed(), byCash.toString());

    // checked in two readings only (the column and the crop read the chain without its rate)
    List<Read> checkedTwice =
        List.of(
            read("column", withArithmetic(fields("64.50", 0.5, 0.72, doubt), "54.50")),
            others.get(1),
            others.get(2),
            read("bottom", withArithmetic(fields("64.50", 0.5, 0.66, doubt), "54.50")));
    Decision twice = ReadingsAgreement.decide(first, checkedTwice);
    assertEquals(new BigDecimal("54.50"), twice.proposed(), twice.toString());
    assertFalse(twice.confirmed(), twice.toString());
  }

  private static ReceiptFields withOtherTotal(ReceiptFields f, String amount, String source) {
    return copy(
        f,
        List.of(new AmountFinding.Alternative(new BigDecimal(amount), source)),
        f.arithmetic(),
        List.of());
  }

  /**
   * Four of five readings read the labelled 14.90 and the fifth only guessed: the first reading's
   * doubts (a stray "Round Adj" line, a misread card line) do not hold it back. A second total line
   * one digit away (11.00 for 71.00), a dissent one digit away or a total read without cents do.
   */
  @Test
  void fourReadingsOfTheLabelledTotalWithNothingNearItConfirmIt() {
    String stray = "totals disagree: 14.90 vs 9.00 (Round Adj)";
    String card = "the card payment 1.00 gives 1.00, not 14.90";
    String guess = "no total label found; the largest amount is a guess";
    List<Read> others =
        List.of(
            read("column", fields("14.90", 0.5, 0.97, stray)),
            read("binarised", fields("14.90", 0.5, 0.96, stray)),
            read("sparse", fields("14.90", 0.5, 0.95)),
            read("bottom", fields("20.69", 0.2, 0, guess)));
    ReceiptFields first =
        withOtherTotal(fields("14.90", 0.5, 0.97, stray, card), "9.00", "Round Adj");
    Decision d = ReadingsAgreement.decide(first, others);
    assertTrue(d.confirmed(), d.toString());
    assertEquals(new BigDecimal("14.90"), d.proposed());
    assertEquals(ReadingsAgreement.MAJORITY_CONFIDENCE, d.confidence(), 1e-9);

    ReceiptFields nearLine = withOtherTotal(fields("14.90", 0.5, 0.97, card), "14.00", "TOTAL");
    assertFalse(ReadingsAgreement.decide(nearLine, others).confirmed());

    List<Read> nearDissent =
        List.of(
            others.get(0),
            others.get(1),
            others.get(2),
            read("bottom", withArithmetic(fields("14.96", 0.2, 0), "14.96")));
    assertFalse(ReadingsAgreement.decide(first, nearDissent).confirmed());

    ReceiptFields whole = fields("14.90", 0.5, 0.97, "the total 14.90 (TOTAL) has no cents", card);
    assertFalse(ReadingsAgreement.decide(whole, others).confirmed());

    List<Read> onlyThree = List.of(others.get(0), others.get(1), others.get(3));
    assertFalse(ReadingsAgreement.decide(first, onlyThree).confirmed());

    // cash − change gives 15.50 in every reading that has arithmetic and 14.90 in none
    List<Read> contradicted =
        others.stream().map(r -> read(r.name(), withArithmetic(r.fields(), "15.50"))).toList();
    assertFalse(ReadingsAgreement.decide(first, contradicted).confirmed());
    List<Read> alsoGiving =
        List.of(
            contradicted.get(0),
            read("binarised", withArithmetic(others.get(1).fields(), "14.90")),
            contradicted.get(2),
            contradicted.get(3));
    assertTrue(ReadingsAgreement.decide(first, alsoGiving).confirmed());

    // the TOTAL line read 14.00 where cash − change gives 14.90 in every reading: computed
    // figures alone do not settle it (the receipt may be wrong) ...
    String computedDoubt =
        "no total label found; the total is computed from cash 20.00 − change 5.10";
    ReceiptFields totalLineMisread =
        withOtherTotal(
            withArithmetic(
                fields(
                    "14.90",
                    0.45,
                    0,
                    "the total reads 14.00 (TOTAL) but cash 20.00 − change 5.10 give 14.90",
                    "totals disagree: 14.90 vs 14.00 (TOTAL)"),
                "14.90"),
            "14.00",
            "TOTAL");
    List<Read> computed =
        List.of(
            read("column", totalLineMisread),
            read("binarised", withArithmetic(fields("14.90", 0.4, 0, computedDoubt), "14.90")),
            read("sparse", withArithmetic(fields("14.90", 0.4, 0, computedDoubt), "14.90")),
            read("bottom", withArithmetic(fields("14.90", 0.4, 0, computedDoubt), "14.90")));
    assertFalse(ReadingsAgreement.decide(totalLineMisread, computed).confirmed());
    // ... one reading that read 14.90 on the TOTAL line itself and trusts it does
    List<Read> settled =
        List.of(
            computed.get(0),
            read("binarised", withArithmetic(fields("14.90", 0.7, 0.47), "14.90")),
            computed.get(2),
            computed.get(3));
    assertTrue(ReadingsAgreement.decide(totalLineMisread, settled).confirmed());
  }

  /** Four more readings of 68.41 on a faint TOTAL line, each doubting it only as unconfirmed. */
  private static List<Read> fourFaintReadings() {
    return List.of(
        read("column", fields("68.41", 0.53, 0.6, UNCONFIRMED)),
        read("binarised", fields("68.41", 0.53, 0.6, UNCONFIRMED)),
        read("sparse", fields("68.41", 0.43, 0.69, UNCONFIRMED)),
        read("bottom", fields("68.41", 0.43, 0.61, UNCONFIRMED)));
  }

  /**
   * Five readings of 68.41 on a faint TOTAL line (the first scored it 0.4, below a label's usual
   * confidence): every way of reading the page found the same label and digits.
   */
  @Test
  void everyReadingOfTheSameLabelledTotalConfirmsAFaintOne() {
    List<Read> others = fourFaintReadings();
    Decision d = ReadingsAgreement.decide(fields("68.41", 0.4, 0.7, UNCONFIRMED), others);
    assertTrue(d.confirmed(), d.toString());
    assertEquals(ReadingsAgreement.UNANIMOUS_CONFIDENCE, d.confidence(), 1e-9);

    String guess = "no total label found; the largest amount is a guess";
    // three readings on the line and two guesses: not every reading, and too few on the line
    List<Read> twoGuessing =
        List.of(
            others.get(0),
            others.get(1),
            read("sparse", fields("68.41", 0.2, 0, guess)),
            read("bottom", fields("68.41", 0.2, 0, guess)));
    assertFalse(
        ReadingsAgreement.decide(fields("68.41", 0.4, 0.7, UNCONFIRMED), twoGuessing).confirmed());
    assertFalse(
        ReadingsAgreement.decide(fields("68.41", 0.4, 0.7, UNCONFIRMED), others.subList(0, 2))
            .confirmed());
    // five guesses of the largest amount agree just as readily on the wrong figure
    List<Read> guesses =
        others.stream().map(r -> read(r.name(), fields("40.50", 0.2, 0, guess))).toList();
    assertFalse(ReadingsAgreement.decide(fields("40.50", 0.2, 0, guess), guesses).confirmed());
  }

  /**
   * A faint TOTAL line (the first scored it 0.33): four readings read 29.59 on a total line, the
   * other two found no total line and guessed the largest amount. Four on the line against guesses
   * stand; three do not, nor four against a reading of another total line or a guess one digit
   * away, nor a total below an item's price.
   */
  @Test
  void fourReadingsOnAFaintTotalLineOutweighGuessesOfOtherFigures() {
    String faint = "the total's line was read with low OCR confidence (53%)";
    String guess = "no total label found; the largest amount is a guess";
    ReceiptFields first = fields("29.59", 0.33, 0.5, faint);
    List<Read> others =
        List.of(
            read("column", fields("2.97", 0.2, 0, guess)),
            read("binarised", fields("29.59", 0.43, 0.48, UNCONFIRMED)),
            read("sparse", fields("37.37", 0.2, 0, guess)),
            read("bottom", fields("29.59", 0.43, 0.23, UNCONFIRMED)));
    Read chinese = read("page with Chinese", fields("29.59", 0.5, 0.6, UNCONFIRMED));
    Decision d = ReadingsAgreement.decide(first, others, null, chinese);
    assertTrue(d.confirmed(), d.toString());
    assertEquals(ReadingsAgreement.MAJORITY_CONFIDENCE, d.confidence(), 1e-9);
    assertEquals(
        List.of("page as one block", "binarised", "bottom", "page with Chinese"),
        d.votes().get(new BigDecimal("29.59")));

    assertFalse(ReadingsAgreement.decide(first, others).confirmed(), "three on the line");
    List<Read> labelledDissent = new java.util.ArrayList<>(others);
    labelledDissent.set(2, read("sparse", fields("37.37", 0.43, 0.5, UNCONFIRMED)));
    assertFalse(ReadingsAgreement.decide(first, labelledDissent, null, chinese).confirmed());
    List<Read> nearGuess = new java.util.ArrayList<>(others);
    nearGuess.set(2, read("sparse", fields("29.50", 0.2, 0, guess)));
    assertFalse(ReadingsAgreement.decide(first, nearGuess, null, chinese).confirmed());
    assertFalse(
        ReadingsAgreement.decide(first, others, new BigDecimal("40.40"), chinese).confirmed());
  }

  /**
   * The page's other language pass lost to the first: reading the first's figure it confirms it,
   * but a figure of its own neither dissents nor outvotes the first (110.60 read by both passes of
   * a scan whose three other readings read the right 110.00).
   */
  @Test
  void theOtherLanguagePassOnlyEverSupportsTheFirstReading() {
    List<Read> others = fourFaintReadings();
    ReceiptFields first = fields("68.41", 0.4, 0.7, UNCONFIRMED);
    Read nearAndTrusted = read("page with Chinese", fields("68.44", 0.9, 0.9));
    assertTrue(ReadingsAgreement.decide(first, others, null, nearAndTrusted).confirmed());
    List<Read> withIt = new java.util.ArrayList<>(others);
    withIt.add(nearAndTrusted);
    assertFalse(
        ReadingsAgreement.decide(first, withIt).confirmed(), "an ordinary reading dissents");

    // the first's figure read by one more pass does not outvote three readings of a near figure
    ReceiptFields misread = withOtherTotal(fields("110.60", 0.6, 0.8), "110.00", "Total");
    List<Read> right =
        List.of(
            read("column", fields("110.00", 0.8, 0.96)),
            read("binarised", fields("110.00", 0.8, 0.95)),
            read("bottom", fields("110.00", 0.5, 0.73, UNCONFIRMED)));
    Read sameMisread = read("page with Chinese", fields("110.60", 0.6, 0.8));
    assertEquals(new BigDecimal("110.00"), ReadingsAgreement.decide(misread, right).proposed());
    assertEquals(
        new BigDecimal("110.00"),
        ReadingsAgreement.decide(misread, right, null, sameMisread).proposed());
  }

  /**
   * No TOTAL line read, but four readings compute 71.00 from cash 101.00 − change 30.00; or the
   * first computes 20.40 from the subtotal and three more guess the same largest amount.
   */
  @Test
  void aComputedTotalMostReadingsReadStands() {
    String computed = "no total label found; the total is computed from cash 101.00 − change 30.00";
    String guess = "no total label found; the largest amount is a guess";
    ReceiptFields first = withArithmetic(fields("71.00", 0.4, 0, computed), "71.00");
    List<Read> others =
        List.of(
            read("column", fields(null, 0, 0, "no amount found")),
            read("binarised", first),
            read("sparse", first),
            read("bottom", first));
    Decision d = ReadingsAgreement.decide(first, others);
    assertTrue(d.confirmed(), d.toString());
    assertEquals(new BigDecimal("71.00"), d.proposed());
    assertFalse(ReadingsAgreement.decide(first, others, new BigDecimal("80.00")).confirmed());
    assertFalse(ReadingsAgreement.decide(first, others.subList(0, 3)).confirmed());

    List<Read> anotherFigure =
        List.of(
            others.get(0),
            others.get(1),
            others.get(2),
            others.get(3),
            read("crop", fields("11.00", 0.5, 0.9, UNCONFIRMED)));
    assertFalse(ReadingsAgreement.decide(first, anotherFigure).confirmed());

    String fromSubtotal = "no total label found; the total is computed from subtotal 20.40";
    List<Read> guesses =
        List.of(
            read("column", fields("20.40", 0.2, 0, guess)),
            read("binarised", fields("8.60", 0.2, 0, guess)),
            read("sparse", fields("20.40", 0.2, 0, guess)),
            read("bottom", fields("20.40", 0.2, 0, guess)));
    ReceiptFields subtotal = withArithmetic(fields("20.40", 0.4, 0, fromSubtotal), "20.40");
    assertTrue(ReadingsAgreement.decide(subtotal, guesses).confirmed());
    ReceiptFields disagreeing =
        fields("20.40", 0.4, 0, fromSubtotal + ", cash 30.00 − change 8.00 (which disagree)");
    assertFalse(ReadingsAgreement.decide(disagreeing, guesses).confirmed());
  }

  /**
   * 7.00 read under a faint TOTAL line beside a 7.42 item, and subtotal 7.00 + tax 0.42 gives 7.42
   * in four readings: a total below an item's price gives way to what the arithmetic gives.
   */
  @Test
  void aTotalBelowAnItemsPriceGivesWayToTheArithmetic() {
    String faint = "the total's line was read with low OCR confidence (30%)";
    String computed = "no total label found; the total is computed from subtotal 7.00 + tax 0.42";
    ReceiptFields first = withArithmetic(fields("7.00", 0.5, 0.97, faint), "7.42");
    List<Read> others =
        List.of(
            read("column", withArithmetic(fields("7.00", 0.4, 0, computed), "7.00")),
            read("binarised", withArithmetic(fields("742.00", 0.15, 0.42), "7.42")),
            read("sparse", withArithmetic(fields("7.42", 0.4, 0, computed), "7.42")),
            read("bottom", withArithmetic(fields("7.42", 0.4, 0, computed), "7.42")));
    Decision d = ReadingsAgreement.decide(first, others, new BigDecimal("7.42"));
    assertEquals(new BigDecimal("7.42"), d.proposed());
    assertFalse(d.confirmed());
    // with no item above it, the labelled first reading stays the proposal
    assertEquals(new BigDecimal("7.00"), ReadingsAgreement.decide(first, others, null).proposed());
  }

  /**
   * Three readings read 0.36 beside a 2.12 item; one read 6.36, the same figure with the digit the
   * others lost: it is proposed (for review). 425.00 for 4.25 or 41.99 for 41.95 are not that.
   */
  @Test
  void aTotalBelowAnItemsPriceGivesWayToAReadingThatKeptItsFirstDigit() {
    ReceiptFields first = fields("0.36", 0.5, 0.96, "totals disagree: 0.36 vs 6.00 (Total :)");
    List<Read> others =
        List.of(
            read("binarised", fields("6.36", 0.66, 0.97, UNCONFIRMED)),
            read("sparse", fields("0.36", 0.6, 0.95, UNCONFIRMED)),
            read("bottom", fields("0.36", 0.5, 0.97)));
    assertEquals(
        new BigDecimal("6.36"),
        ReadingsAgreement.decide(first, others, new BigDecimal("2.12")).proposed());
    assertEquals(new BigDecimal("0.36"), ReadingsAgreement.decide(first, others, null).proposed());
    assertTrue(ReadingsAgreement.digitDropped(new BigDecimal("6.36"), new BigDecimal("0.36")));
    assertFalse(ReadingsAgreement.digitDropped(new BigDecimal("425.00"), new BigDecimal("4.25")));
    assertFalse(ReadingsAgreement.digitDropped(new BigDecimal("41.99"), new BigDecimal("41.95")));
  }

  /**
   * 137.45 read twice on a faint total line; three readings read 137.15, one of them trusting it,
   * and cash − change gives 137.15 in four readings and 137.45 in none: 137.15 stands. Without the
   * trusted reading, or with the arithmetic also giving 137.45 somewhere, it stays for review.
   */
  @Test
  void aFigureTheArithmeticAndATrustedReadingGiveOverturnsTheFirst() {
    String cash = "cash 150.15 − change 13.00 gives 137.15, not 137.45";
    String reads = "the total reads 137.45 but cash 150.15 − change 13.00 give 137.15";
    ReceiptFields first =
        withOtherTotal(
            withArithmetic(fields("137.45", 0.46, 0.61, cash), "137.15"),
            "137.15",
            "cash − change");
    Read trusted = read("binarised", withArithmetic(fields("137.15", 0.76, 0.74), "137.15"));
    List<Read> others =
        List.of(
            read("column", withArithmetic(fields("137.45", 0.46, 0.61, cash), "107.15")),
            trusted,
            read("sparse", withArithmetic(fields("137.15", 0.45, 0, reads), "137.15")),
            read("bottom", withArithmetic(fields("137.15", 0.45, 0, reads), "137.15")));
    Decision d = ReadingsAgreement.decide(first, others);
    assertEquals(new BigDecimal("137.15"), d.proposed());
    assertTrue(d.confirmed(), d.toString());

    List<Read> untrusted =
        List.of(
            others.get(0),
            read("binarised", withArithmetic(fields("137.15", 0.5, 0.74, reads), "137.15")),
            others.get(2),
            others.get(3));
    Decision u = ReadingsAgreement.decide(first, untrusted);
    assertEquals(new BigDecimal("137.15"), u.proposed());
    assertFalse(u.confirmed(), u.toString());

    List<Read> bothGiven =
        List.of(
            read("column", withArithmetic(fields("137.45", 0.46, 0.61), "137.45")),
            others.get(1),
            others.get(2),
            others.get(3));
    assertFalse(ReadingsAgreement.decide(first, bothGiven).confirmed());
  }

  /** A first reading that is not a guess stays the proposal even when two others outvote it. */
  @Test
  void otherReadingsDoNotOutvoteALabelledFirstReading() {
    Decision d =
        ReadingsAgreement.decide(
            fields("9.00", 0.5, 0.66, "totals disagree: 9.00 vs 9.60"),
            List.of(
                read("column", fields("1.00", 0.45, 0)), read("bottom", fields("1.00", 0.5, 0))));
    assertEquals(new BigDecimal("9.00"), d.proposed());
    assertFalse(d.confirmed());
  }

  /**
   * The first reading's total is contested by its own card payment line, and four other readings
   * read the card's figure as the total: that figure is proposed (still for review).
   */
  @Test
  void aFigureTheFirstReadingItselfOfferedAndMostReadingsGiveIsProposed() {
    ReceiptFields first =
        new ReceiptFields(
            new BigDecimal("41.99"),
            "MYR",
            null,
            null,
            0.5,
            List.of("the card payment 41.95 gives 41.95, not 41.99"),
            false,
            List.of(new AmountFinding.Alternative(new BigDecimal("41.95"), "the card payment")),
            0.78,
            List.of(List.of(new BigDecimal("41.95"))),
            List.of());
    List<Read> others =
        List.of(
            read("column", fields("41.95", 0.5, 0.8)),
            read("binarised", fields("41.95", 0.5, 0.8)),
            read("sparse", fields("41.95", 0.5, 0.8)));
    Decision d = ReadingsAgreement.decide(first, others);
    assertEquals(new BigDecimal("41.95"), d.proposed(), d.toString());
    assertFalse(d.confirmed());
    // a near figure the first reading never offered wins by numbers alone only with two readings
    // more than the first's: three against one, not one against one
    ReceiptFields alone = fields("41.99", 0.5, 0.78, UNCONFIRMED);
    assertEquals(new BigDecimal("41.95"), ReadingsAgreement.decide(alone, others).proposed());
    assertEquals(
        new BigDecimal("41.99"),
        ReadingsAgreement.decide(alone, List.of(read("column", fields("41.95", 0.5, 0.8))))
            .proposed());
    assertFalse(ReadingsAgreement.decide(alone, others).confirmed());
  }

  /**
   * The first reading's second total line was misread (47.99 for 41.95); in three other readings
   * the card payment gives the first's 41.95: it stands. Had one reading's arithmetic given another
   * figure, it would not, unless four readings read 41.95.
   */
  @Test
  void theReceiptsArithmeticInOtherReadingsConfirmsTheLabelledTotal() {
    ReceiptFields first =
        fields("41.95", 0.5, 0.52, "totals disagree: 41.95 vs 47.99 (TOTAL SALES)");
    List<Read> others =
        List.of(
            read("column", withArithmetic(fields("41.95", 0.45, 0, "totals disagree"), "41.95")),
            read("sparse", withArithmetic(fields("41.95", 0.4, 0, "computed"), "41.95")),
            read("bottom", withArithmetic(fields("41.95", 0.4, 0, "computed"), "41.95")));
    assertTrue(ReadingsAgreement.decide(first, others).confirmed());
    List<Read> contrary = new java.util.ArrayList<>(others.subList(0, 2));
    contrary.add(read("binarised", withArithmetic(fields("41.99", 0.5, 0.76, "card"), "41.99")));
    assertFalse(ReadingsAgreement.decide(first, contrary).confirmed());
    // with four readings of 41.95, the arithmetic giving it three times outweighs the one 41.99
    contrary.add(others.get(2));
    assertTrue(ReadingsAgreement.decide(first, contrary).confirmed());
    // arithmetic in one other reading alone is not enough
    assertFalse(ReadingsAgreement.decide(first, others.subList(0, 1)).confirmed());
  }
}
