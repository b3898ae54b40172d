package io.tracklane.backoffice.receipts.ocr;

import io.tracklane.backoffice.receipts.ocr.extract.AmountFinding;
import io.tracklane.backoffice.receipts.ocr.extract.ReceiptFields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Weighs independent readings of one receipt (the first, then other page modes, binarisations and
 * crops, and the page's other language pass when it agrees) as evidence for its total. Nine ways to
 * confirm a total nothing on the first reading confirmed, and two to confirm a figure proposed over
 * it:
 *
 * <ul>
 *   <li><b>every reading labelled</b>: see {@link #everyReadingLabelled};
 *   <li><b>computed and read by most</b>: see {@link #computedAndReadByMost};
 *   <li><b>unanimous</b>: the first reading's only doubt is that nothing confirmed its labelled
 *       total, at least {@value #UNANIMOUS_READINGS} readings read that figure, none reads another,
 *       and the OCR was sure of its digits ({@value #SURE_DIGITS}) in at least one of them;
 *   <li><b>arithmetic elsewhere</b>: the first reading's labelled total is what the receipt's
 *       arithmetic gives in at least two other readings, and in none does it give another figure;
 *   <li><b>self-consistent twice</b>: at least two readings each trust that figure on their own (a
 *       label with the receipt's arithmetic, or a strong clean label), none trusts another, and the
 *       digits were read surely ({@value #CHECKED_DIGITS}) in one of them.
 *   <li><b>majority against strays</b>: see {@link #majorityAgainstStrays};
 *   <li><b>pooled arithmetic</b>: see {@link #pooledArithmetic};
 *   <li><b>labelled against guesses</b>: see {@link #labelledAgainstGuesses};
 *   <li><b>strong agreement</b>: see {@link #strongAgreement};
 *   <li><b>overturned</b>: see {@link #overturned};
 *   <li><b>tax checks overturn</b>: see {@link #taxChecksOverturn}.
 * </ul>
 *
 * The first reading stays the proposal: the others share its misreadings more often than not (two
 * of them read 1.00 against a right 9.00). Only when the first could merely guess (no total label,
 * confidence below {@value #GUESS}) is the figure with the most summed confidence proposed: each
 * reading counts for its total and for what its arithmetic gives (cash − change 8.35 beside a total
 * line read "PNG 35"), and readings that differ only in the digits a currency sign became in front
 * of one figure count for it.
 */
final class ReadingsAgreement {
  static final String FIRST_READING = "page as one block";

  static final int UNANIMOUS_READINGS = 3;
  static final double SURE_DIGITS = 0.85;
  static final double CHECKED_DIGITS = 0.8;
  static final double GUESS = 0.45;

  /** Confidence of a total every reading agrees on. */
  static final double UNANIMOUS_CONFIDENCE = 0.75;

  /** Confidence of a labelled total the receipt's arithmetic gives in two other readings. */
  static final double ARITHMETIC_CONFIDENCE = 0.8;

  /** Confidence of a total two readings each confirmed from the receipt's own arithmetic. */
  static final double SELF_CONSISTENT_CONFIDENCE = 0.8;

  /** One reading's fields and how it was made. */
  record Read(String name, ReceiptFields fields) {}

  /**
   * The outcome: the proposed total, whether it stands without review, its confidence, the doubts
   * that send it to review (empty when it stands), and every figure with who read it.
   */
  record Decision(
      BigDecimal proposed,
      boolean confirmed,
      double confidence,
      List<String> doubts,
      Map<BigDecimal, List<String>> votes) {}

  private ReadingsAgreement() {}

  static Decision decide(ReceiptFields first, List<Read> others) {
    return decide(first, others, null);
  }

  /**
   * {@code largestItem}: the largest item figure on the first reading (null when none): a total
   * below it is suspect, and no majority confirms it (four readings once agreed on 0.53 for a 9.60
   * receipt).
   */
  static Decision decide(ReceiptFields first, List<Read> others, BigDecimal largestItem) {
    return decide(first, others, largestItem, null);
  }

  /**
   * {@code otherPass}: the page read whole in the other language set, the pass the reader judged
   * worse than the first (null when only one ran). It reads at another scale with another model, so
   * it is evidence for the first reading's figure when it reads that figure; any other figure it
   * reads has already lost to the first, so it neither proposes a figure nor dissents.
   */
  static Decision decide(
      ReceiptFields first, List<Read> others, BigDecimal largestItem, Read otherPass) {
    List<Read> all = new ArrayList<>();
    all.add(new Read(FIRST_READING, first));
    all.addAll(others);
    Map<BigDecimal, List<String>> votes = new LinkedHashMap<>();
    for (Read r : all) {
      if (r.fields.amount() != null) {
        votes.computeIfAbsent(r.fields.amount(), k -> new ArrayList<>()).add(r.name);
      }
    }
    BigDecimal proposed = proposal(first, all, largestItem);
    List<String> doubts = new ArrayList<>(first.doubts());
    if (proposed == null) {
      return new Decision(null, false, first.confidence(), doubts, votes);
    }
    if (first.amount() != null && proposed.compareTo(first.amount()) == 0) {
      if (otherPass != null && same(otherPass, proposed)) { // support only: see above
        all.add(otherPass);
        votes.computeIfAbsent(proposed, k -> new ArrayList<>()).add(otherPass.name);
      }
      if (unanimous(first, all, votes)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), UNANIMOUS_CONFIDENCE), List.of(), votes);
      }
      if (arithmeticElsewhere(first, all)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), ARITHMETIC_CONFIDENCE), List.of(), votes);
      }
      if (selfConsistentTwice(first, all)) {
        return new Decision(
            proposed,
            true,
            Math.max(first.confidence(), SELF_CONSISTENT_CONFIDENCE),
            List.of(),
            votes);
      }
      if (everyReadingLabelled(first, all)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), UNANIMOUS_CONFIDENCE), List.of(), votes);
      }
      boolean noLargerItem = largestItem == null || largestItem.compareTo(proposed) <= 0;
      if (noLargerItem && majorityAgainstStrays(first, all, votes)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), MAJORITY_CONFIDENCE), List.of(), votes);
      }
      boolean itemExplained = itemExplained(all, proposed, largestItem);
      if ((noLargerItem || itemExplained) && pooledArithmetic(first, all)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), ARITHMETIC_CONFIDENCE), List.of(), votes);
      }
      if (noLargerItem && computedAndReadByMost(first, all)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), MAJORITY_CONFIDENCE), List.of(), votes);
      }
      if (noLargerItem && labelledAgainstGuesses(first, all)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), MAJORITY_CONFIDENCE), List.of(), votes);
      }
      if ((noLargerItem || itemExplained) && strongAgreement(first, all)) {
        return new Decision(
            proposed, true, Math.max(first.confidence(), MAJORITY_CONFIDENCE), List.of(), votes);
      }
    } else if (overturned(first, all, proposed) || taxChecksOverturn(first, all, proposed)) {
      return new Decision(proposed, true, MAJORITY_CONFIDENCE, List.of(), votes);
    } else {
      doubts.add(
          (first.amount() == null || first.confidence() < GUESS
                  ? "the first reading could only guess "
                  : "the first reading's total ")
              + (first.amount() == null ? "nothing" : first.amount().toPlainString())
              + "; more readings give "
              + proposed.toPlainString());
    }
    if (votes.size() > 1) {
      doubts.add(
          "independent readings disagree on the total: "
              + votes.entrySet().stream()
                  .map(
                      e ->
                          e.getKey().toPlainString() + " (" + String.join(", ", e.getValue()) + ")")
                  .collect(Collectors.joining(" vs ")));
    }
    double confidence = votes.size() > 1 ? Math.min(first.confidence(), 0.5) : first.confidence();
    if (doubts.isEmpty()) {
      doubts.add("only one reading of the total, nothing on the receipt confirms it");
    }
    return new Decision(proposed, false, Math.min(confidence, 0.69), doubts, votes);
  }

  /** The first reading's figure, unless it was a guess: then the best-supported figure. */
  private static BigDecimal proposal(ReceiptFields first, List<Read> all, BigDecimal largestItem) {
    if (first.amount() != null && first.confidence() >= GUESS) {
      return contested(first, all, largestItem);
    }
    Map<BigDecimal, Double> weight = new LinkedHashMap<>();
    for (Read r : all) {
      if (r.fields.amount() != null) {
        weight.merge(r.fields.amount(), r.fields.confidence(), Double::sum);
      }
      // the arithmetic rests on other lines than the total's: evidence beside it
      for (List<BigDecimal> ways : r.fields.arithmetic()) {
        if (!same(r, ways.get(0))) {
          weight.merge(ways.get(0), r.fields.confidence(), Double::sum);
        }
      }
    }
    // a currency sign read as digits lengthens a figure at its front (¥52.70 read 552.70 and
    // 5652.70): when readings differ only in what they read before one figure, they read that
    // figure. One longer figure alone is as likely that figure with its first digit (34.21 read
    // 4.21), so it takes two different fronts.
    Map<BigDecimal, Double> withSigns = new LinkedHashMap<>(weight);
    for (BigDecimal shorter : weight.keySet()) {
      List<BigDecimal> fronts =
          weight.keySet().stream().filter(longer -> signReadAsDigits(longer, shorter)).toList();
      if (fronts.size() >= 2) {
        fronts.forEach(longer -> withSigns.merge(shorter, weight.get(longer), Double::sum));
      }
    }
    BigDecimal best = first.amount();
    for (var e : withSigns.entrySet()) {
      if (best == null || e.getValue() > withSigns.getOrDefault(best, 0.0) + 1e-9) {
        best = e.getKey();
      }
    }
    return best;
  }

  /**
   * Whether {@code longer} is {@code shorter} with one or two digits before it: how a currency sign
   * ({@code ¥}, {@code $}) in front of the figure is misread.
   */
  static boolean signReadAsDigits(BigDecimal longer, BigDecimal shorter) {
    String x = cents(longer);
    String y = cents(shorter);
    int extra = x.length() - y.length();
    return extra >= 1 && extra <= 2 && x.endsWith(y);
  }

  private static String cents(BigDecimal amount) {
    return amount.movePointRight(2).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  /**
   * The first reading's figure, unless its own receipt arithmetic or another total line gave a
   * different figure (it doubted its total) and the other readings read that figure as the total at
   * least {@value #OUTVOTE_MARGIN} times more often than the first's: a digit misread in the first
   * reading alone (41.99 for the card payment's 41.95, read 41.95 by four other readings).
   */
  private static BigDecimal contested(ReceiptFields first, List<Read> all, BigDecimal largestItem) {
    BigDecimal own = first.amount();
    if (largestItem != null && own.compareTo(largestItem) < 0) {
      BigDecimal given = aboveTheItems(all, own, largestItem);
      if (given != null) {
        return given;
      }
      // the first digit lost (0.36 for 6.36 beside a 2.12 item): a reading that kept it
      for (Read r : all) {
        BigDecimal other = r.fields.amount();
        if (other != null && other.compareTo(largestItem) >= 0 && digitDropped(other, own)) {
          return other;
        }
      }
    }
    long ownVotes = all.stream().filter(r -> same(r, own)).count();
    for (var alternative : first.otherTotals()) {
      long votes = all.stream().filter(r -> same(r, alternative.amount())).count();
      if (votes >= ownVotes + OUTVOTE_MARGIN) {
        return alternative.amount();
      }
    }
    // one misread digit in the total line of most readings (15.96 for 15.90): a figure another
    // reading read as the total and the receipt's arithmetic gives, where it never gives the
    // first's, was read right
    if (arithmeticGiving(all, own) == 0) {
      // the first reading alone read its figure, nothing gives it, and most readings read another
      // figure the arithmetic gives in two of them (41.78 for 1.75: a total line misread whole)
      for (var e : votesByFigure(all).entrySet()) {
        if (e.getKey().compareTo(own) != 0
            && e.getValue() >= ownVotes + OUTVOTE_MARGIN
            && arithmeticGiving(all, e.getKey()) >= 2) {
          return e.getKey();
        }
      }
      for (var e : votesByFigure(all).entrySet()) {
        // one misread digit in the first reading alone: two more readings read the other figure
        if (nearMisread(own, e.getKey()) && e.getValue() >= ownVotes + NEAR_OUTVOTE_MARGIN) {
          return e.getKey();
        }
      }
      for (Read r : all) {
        BigDecimal other = r.fields.amount();
        if (other != null
            && other.compareTo(own) != 0
            && nearMisread(own, other)
            && (independentArithmetic(all, other)
                || all.stream().filter(x -> same(x, other)).count() >= 2
                    && arithmeticGiving(all, other) > 0)) {
          return other;
        }
      }
    }
    return own;
  }

  /**
   * A total below an item's price is impossible without a discount: the figure at least that large
   * which the receipt's arithmetic gives in the most readings (two at least, and more than it gives
   * the total), if any. 7.00 read under a faint TOTAL beside a 7.42 item, where subtotal 7.00 + tax
   * 0.42 gives 7.42 in four readings.
   */
  private static BigDecimal aboveTheItems(List<Read> all, BigDecimal own, BigDecimal largestItem) {
    long ownGiving = arithmeticGiving(all, own);
    BigDecimal best = null;
    long bestGiving = Math.max(1, ownGiving);
    for (Read r : all) {
      for (List<BigDecimal> ways : r.fields.arithmetic()) {
        BigDecimal x = ways.get(0);
        long giving = arithmeticGiving(all, x);
        if (x.compareTo(largestItem) >= 0 && giving > bestGiving) {
          best = x;
          bestGiving = giving;
        }
      }
    }
    return best;
  }

  /** Whether {@code longer} is {@code shorter} with one digit inserted (636 for 36 in cents). */
  static boolean digitDropped(BigDecimal longer, BigDecimal shorter) {
    String x = cents(longer);
    String y = cents(shorter);
    return x.length() == y.length() + 1 && editDistanceAtMostOne(x, y);
  }

  /**
   * A reading that read another total still gives {@code value} by its arithmetic: that figure does
   * not come from the same misread total line.
   */
  private static boolean independentArithmetic(List<Read> all, BigDecimal value) {
    return all.stream().filter(r -> !same(r, value)).anyMatch(r -> arithmeticGives(r, value));
  }

  /** Whether some arithmetic of this reading gives {@code value} by its first figure. */
  private static boolean arithmeticGives(Read r, BigDecimal value) {
    return r.fields.arithmetic().stream().anyMatch(ways -> ways.get(0).compareTo(value) == 0);
  }

  /** Whether some arithmetic of this reading allows only other figures than {@code value}. */
  private static boolean arithmeticDisagrees(Read r, BigDecimal value) {
    return r.fields.arithmetic().stream()
        .anyMatch(ways -> ways.stream().noneMatch(v -> v.compareTo(value) == 0));
  }

  private static Map<BigDecimal, Long> votesByFigure(List<Read> all) {
    Map<BigDecimal, Long> out = new LinkedHashMap<>();
    for (Read r : all) {
      if (r.fields.amount() != null) {
        out.merge(r.fields.amount(), 1L, Long::sum);
      }
    }
    return out;
  }

  /** How many readings' arithmetic gives {@code value} (by its first figure). */
  static long arithmeticGiving(List<Read> all, BigDecimal value) {
    return all.stream().filter(r -> arithmeticGives(r, value)).count();
  }

  static final int OUTVOTE_MARGIN = 2;

  static final int NEAR_OUTVOTE_MARGIN = 2;

  private static boolean unanimous(
      ReceiptFields first, List<Read> all, Map<BigDecimal, List<String>> votes) {
    if (votes.size() != 1 || first.confidence() < GUESS || !unconfirmedOnly(first.doubts())) {
      return false;
    }
    List<Read> agreeing = all.stream().filter(r -> same(r, first.amount())).toList();
    return agreeing.size() >= UNANIMOUS_READINGS
        && agreeing.stream().mapToDouble(r -> r.fields.digitConfidence()).max().orElse(0)
            >= SURE_DIGITS;
  }

  /**
   * The first reading's labelled total, and in at least two other readings the receipt's own
   * arithmetic (cash − change, the card payment, subtotal + tax) gives that figure while in no
   * reading does it give only another: the first's doubt came from a misread line elsewhere (a
   * second total line, the card line) that the other readings read right. The arithmetic rests on
   * other lines than the total's, so it does not share the total's misread digit.
   */
  private static boolean arithmeticElsewhere(ReceiptFields first, List<Read> all) {
    if (first.confidence() < GUESS || first.digitConfidence() <= 0) {
      return false;
    }
    BigDecimal p = first.amount();
    int giving = 0;
    for (Read r : all) {
      if (arithmeticDisagrees(r, p)) {
        return false; // some arithmetic in this reading gives another figure
      }
      // giving it means by its first figure: a subtotal chain also allows the subtotal itself
      // (prices including tax), which must not confirm a subtotal misfiled as the total
      if (r.fields != first && arithmeticGives(r, p)) {
        giving++;
      }
    }
    return giving >= 2;
  }

  /**
   * At least {@value #MAJORITY_READINGS} readings, the first among them, read the same figure with
   * surely read digits, and every other figure is a stray: no reading trusts it, and it is not one
   * misread digit away from the majority's (15.96 against 15.90 is exactly what a shared misread
   * looks like, so a near dissent always keeps the receipt for review). A stray is what a crop or a
   * sparse reading makes of a quantity or a code (4.00, 396.00 against 99.00).
   */
  private static boolean majorityAgainstStrays(
      ReceiptFields first, List<Read> all, Map<BigDecimal, List<String>> votes) {
    BigDecimal p = first.amount();
    List<Read> agreeing = all.stream().filter(r -> same(r, p)).toList();
    if (first.confidence() < GUESS
        || !unconfirmedOnly(first.doubts())
            && !(agreeing.size() >= STRONG_MAJORITY_READINGS && strayTotalLinesOnly(first, all))) {
      return false;
    }
    double digits = agreeing.stream().mapToDouble(r -> r.fields.digitConfidence()).max().orElse(0);
    // three readings need surely read digits; four of five independent readings sharing one figure
    // read under a total label are evidence enough (faint print reads with low word confidence)
    if (agreeing.size() < MAJORITY_READINGS
        || digits <= 0
        || agreeing.size() < STRONG_MAJORITY_READINGS && digits < SURE_DIGITS) {
      return false;
    }
    for (Read r : all) {
      BigDecimal other = r.fields.amount();
      if (other == null || other.compareTo(p) == 0) {
        continue;
      }
      if (r.fields.trusted() || nearMisread(p, other)) {
        return false;
      }
    }
    return votes.size() > 1;
  }

  /**
   * The first reading's doubts, beyond wanting confirmation, are only other total lines whose
   * figure no reading takes for the total and which are no misread of its own ("Total Sales Incl
   * GST 41,78" beside four readings of 1.75).
   */
  private static boolean strayTotalLinesOnly(ReceiptFields first, List<Read> all) {
    BigDecimal p = first.amount();
    String prefix = "totals disagree: " + p.toPlainString() + " vs ";
    for (String d : first.doubts()) {
      if (unconfirmedOnly(List.of(d))) {
        continue;
      }
      if (!d.startsWith(prefix)) {
        return false;
      }
    }
    for (var other : first.otherTotals()) {
      BigDecimal x = other.amount();
      if (nearMisread(p, x) || all.stream().anyMatch(r -> same(r, x))) {
        return false;
      }
    }
    return true;
  }

  /**
   * One digit changed, dropped or added, or a decimal point moved: how OCR misreads a figure (15.96
   * for 15.90, 4.21 for 34.21, 1590 for 15.90).
   */
  static boolean nearMisread(BigDecimal a, BigDecimal b) {
    String x = cents(a);
    String y = cents(b);
    return editDistanceAtMostOne(x, y)
        || x.replaceFirst("0+$", "").equals(y.replaceFirst("0+$", ""));
  }

  private static boolean editDistanceAtMostOne(String x, String y) {
    if (Math.abs(x.length() - y.length()) > 1) {
      return false;
    }
    int i = 0;
    int j = 0;
    int edits = 0;
    while (i < x.length() && j < y.length()) {
      if (x.charAt(i) == y.charAt(j)) {
        i++;
        j++;
        continue;
      }
      if (++edits > 1) {
        return false;
      }
      if (x.length() > y.length()) {
        i++;
      } else if (y.length() > x.length()) {
        j++;
      } else {
        i++;
        j++;
      }
    }
    return edits + (x.length() - i) + (y.length() - j) <= 1;
  }

  /**
   * The first reading's labelled total is read as the total by at least one more reading, and the
   * receipt's arithmetic (other lines than the total's) gives it in at least two readings, while no
   * reading trusts another figure. The first reading may doubt it only for want of confirmation, a
   * faint total line, or its own arithmetic giving another figure: one misread cash or change line
   * (cash 20.00 − change 5.40 for 5.60), which the other readings read right.
   */
  private static boolean pooledArithmetic(ReceiptFields first, List<Read> all) {
    if (first.confidence() < GUESS || first.digitConfidence() <= 0) {
      return false;
    }
    BigDecimal p = first.amount();
    boolean onlyMendableDoubts =
        first.doubts().stream()
            .allMatch(
                d ->
                    unconfirmedOnly(List.of(d))
                        || d.contains(" gives ") && d.endsWith(", not " + p.toPlainString()));
    if (!onlyMendableDoubts) {
      return false;
    }
    long reading = all.stream().filter(r -> same(r, p)).count();
    boolean otherTrusted = all.stream().anyMatch(r -> r.fields.trusted() && !same(r, p));
    return reading >= 2 && !otherTrusted && arithmeticGiving(all, p) >= 2;
  }

  /**
   * At least {@value #STRONG_MAJORITY_READINGS} independent readings read the first's labelled
   * figure, and nothing near it competes: at most one other reading's figure is one misread digit
   * away from it, and the arithmetic gives that figure in no more readings than the majority's; no
   * other total line is one digit away either unless a reading trusts the figure and the arithmetic
   * settles it (TOTAL read 11.00 where cash − change gives the 71.00 all five readings read, one of
   * them on the TOTAL line), and no other reading trusts its own. The first reading's other doubts
   * then rest on lines the readings do not share a misread with: a stray second "total" line (an
   * item called "Accepted total"), a misread cash or subtotal line whose arithmetic disagrees,
   * provided the arithmetic gives the figure in some reading: when it only ever disagrees (TOTAL
   * 12.34, cash 20.00 − change 7.60), the receipt itself may be wrong. A figure read without cents
   * is never confirmed this way: all readings lose the same point.
   */
  private static boolean strongAgreement(ReceiptFields first, List<Read> all) {
    BigDecimal p = first.amount();
    if (first.confidence() < GUESS
        || first.doubts().stream().anyMatch(d -> d.contains("no cents"))) {
      return false;
    }
    if (all.stream().filter(r -> same(r, p)).count() < STRONG_MAJORITY_READINGS) {
      return false;
    }
    int nearDissent = 0;
    for (Read r : all) {
      BigDecimal other = r.fields.amount();
      if (other == null || other.compareTo(p) == 0) {
        continue;
      }
      if (r.fields.trusted()) {
        return false;
      }
      // one reading one digit away is its own misread unless the arithmetic backs it more than
      // the majority (four readings of 15.96 were the shared misread where cash − change gave
      // the one 15.90; four of 68.41 stood against one 68.44 nothing backed)
      if (nearMisread(p, other)
          && (++nearDissent > 1 || arithmeticGiving(all, other) > arithmeticGiving(all, p))) {
        return false;
      }
    }
    boolean contradicted = all.stream().anyMatch(r -> arithmeticDisagrees(r, p));
    if (contradicted && arithmeticGiving(all, p) == 0) {
      return false; // the arithmetic disagrees in every reading that has any: a person decides
    }
    // a second total line one digit away is the total's own line misread, or the figure misread
    // everywhere (or the receipt is wrong: TOTAL 18.50 over cash − change 13.50), unless a reading
    // read the figure on that line and trusts it, and the arithmetic (other lines) gives the figure
    // twice and never the line's
    boolean arithmeticSettles =
        arithmeticGiving(all, p) >= 2
            && all.stream().anyMatch(r -> same(r, p) && r.fields.trusted());
    return first.otherTotals().stream()
        .map(AmountFinding.Alternative::amount)
        .noneMatch(
            x ->
                x.compareTo(p) != 0
                    && nearMisread(p, x)
                    && !(arithmeticSettles && arithmeticGiving(all, x) == 0));
  }

  /**
   * A total below the first reading's largest item price is suspect, unless the "item" is something
   * else: the arithmetic of {@value #MAJORITY_READINGS} readings gives the total (the item is a
   * payment line whose label was misread: cash 50.00 where cash − change gives 6.70), or a reading
   * read the item's figure on a total line ("Accepted total 2.00" under a 1.50 total).
   */
  private static boolean itemExplained(List<Read> all, BigDecimal total, BigDecimal largestItem) {
    return largestItem != null
        && (arithmeticGiving(all, total) >= MAJORITY_READINGS
            || all.stream()
                .anyMatch(
                    r ->
                        r.fields.otherTotals().stream()
                            .anyMatch(o -> o.amount().compareTo(largestItem) == 0)));
  }

  /**
   * Every reading, at least {@value #ALL_READINGS} of them, read the same figure on a total line
   * and doubts it only for want of confirmation: five ways of reading the page found the same label
   * and the same digits (the first reading's faint total line may still score it below a label's
   * usual confidence).
   */
  private static boolean everyReadingLabelled(ReceiptFields first, List<Read> all) {
    BigDecimal p = first.amount();
    return all.size() >= ALL_READINGS
        && all.stream().allMatch(r -> same(r, p) && labelledOnly(r.fields));
  }

  /**
   * No total line was read, but the first reading computed its figure from the receipt's own lines
   * (cash − change, a subtotal), all of which agree; at least {@value #STRONG_MAJORITY_READINGS}
   * readings read that figure, and any other figure is only another reading's guess at the largest
   * amount: no way of reading the page found a total line that says otherwise.
   */
  private static boolean computedAndReadByMost(ReceiptFields first, List<Read> all) {
    BigDecimal p = first.amount();
    boolean computed =
        first.doubts().size() == 1
            && first.doubts().get(0).startsWith(NO_LABEL + COMPUTED)
            && !first.doubts().get(0).endsWith("(which disagree)");
    return computed
        && all.stream().filter(r -> same(r, p)).count() >= STRONG_MAJORITY_READINGS
        && all.stream()
            .allMatch(
                r ->
                    r.fields.amount() == null
                        || same(r, p)
                        || r.fields.doubts().stream()
                            .anyMatch(d -> d.startsWith(NO_LABEL + GUESSED)));
  }

  /**
   * At least {@value #STRONG_MAJORITY_READINGS} readings, the first among them, read the figure on
   * a total line and doubt it only for want of confirmation or a faint line, and every reading that
   * read another figure found no total line at all and guessed the largest amount, not one digit
   * away; no reading's arithmetic gives another figure. A faint TOTAL line the first scored below a
   * label's usual confidence (29.59 on a photo, read on the line by four readings where two others
   * guessed 2.97 and 37.37).
   */
  private static boolean labelledAgainstGuesses(ReceiptFields first, List<Read> all) {
    BigDecimal p = first.amount();
    if (!labelledOnly(first)) {
      return false;
    }
    long labelled = all.stream().filter(r -> same(r, p) && labelledOnly(r.fields)).count();
    if (labelled < STRONG_MAJORITY_READINGS) {
      return false;
    }
    for (Read r : all) {
      if (arithmeticDisagrees(r, p)) {
        return false;
      }
      BigDecimal other = r.fields.amount();
      if (other == null || other.compareTo(p) == 0) {
        continue;
      }
      if (nearMisread(p, other)
          || r.fields.doubts().stream().noneMatch(d -> d.startsWith(NO_LABEL + GUESSED))) {
        return false;
      }
    }
    return true;
  }

  /** Read on a total line, doubted only for want of confirmation or a faint line. */
  private static boolean labelledOnly(ReceiptFields f) {
    return f.doubts().stream().noneMatch(d -> d.startsWith(NO_LABEL))
        && unconfirmedOnly(f.doubts());
  }

  static final int ALL_READINGS = 5;

  private static final String NO_LABEL = "no total label found";

  private static final String COMPUTED = "; the total is computed from ";

  private static final String GUESSED = "; the largest amount is a guess";

  /**
   * A figure proposed over the first reading's own labelled one stands when the evidence against
   * the first is independent and whole: at least {@value #MAJORITY_READINGS} readings read it, one
   * of them on a total line it trusts, the receipt's arithmetic (cash − change, the card payment)
   * gives it in two readings and the first's figure in none (137.45 read twice on a faint line
   * where three readings read 137.15 and cash 150.15 − change 13.00 gives it four times).
   */
  private static boolean overturned(ReceiptFields first, List<Read> all, BigDecimal proposed) {
    if (first.amount() == null || first.confidence() < GUESS) {
      return false; // a guess gave way to the best-supported figure: no evidence against it
    }
    return all.stream().filter(r -> same(r, proposed)).count() >= MAJORITY_READINGS
        && all.stream().anyMatch(r -> same(r, proposed) && r.fields.trusted())
        && arithmeticGiving(all, proposed) >= 2
        && arithmeticGiving(all, first.amount()) == 0;
  }

  /**
   * A figure proposed over the first reading's, one misread digit away from it, stands when a
   * subtotal + tax chain whose tax is the subtotal at a known rate gives it in at least {@value
   * #MAJORITY_READINGS} readings, the arithmetic never gives the first's figure, and no reading
   * trusts another: subtotal 51.42 + GST 3.08 (6 %) gives 54.50 where the TOTAL line reads 64.50.
   * The rate checks the chain itself (a misread subtotal or tax breaks it), which cash − change,
   * misread the same way in every reading (40.00 − 0.55 for a 9.45 receipt), cannot.
   */
  private static boolean taxChecksOverturn(
      ReceiptFields first, List<Read> all, BigDecimal proposed) {
    if (first.amount() == null || first.confidence() < GUESS) {
      return false;
    }
    long checked =
        all.stream()
            .filter(r -> r.fields.taxAtRate().stream().anyMatch(v -> v.compareTo(proposed) == 0))
            .count();
    return nearMisread(first.amount(), proposed)
        && checked >= MAJORITY_READINGS
        && arithmeticGiving(all, first.amount()) == 0
        && all.stream().noneMatch(r -> r.fields.trusted() && !same(r, proposed));
  }

  static final int MAJORITY_READINGS = 3;

  static final int STRONG_MAJORITY_READINGS = 4;

  /** Confidence of a figure most readings share against strays. */
  static final double MAJORITY_CONFIDENCE = 0.72;

  private static boolean selfConsistentTwice(ReceiptFields first, List<Read> all) {
    if (first.confidence() < GUESS) {
      return false;
    }
    List<Read> trusted = all.stream().filter(r -> r.fields.trusted()).toList();
    List<Read> agreeing = trusted.stream().filter(r -> same(r, first.amount())).toList();
    return agreeing.size() >= 2
        && agreeing.size() == trusted.size()
        && agreeing.stream().mapToDouble(r -> r.fields.digitConfidence()).max().orElse(0)
            >= CHECKED_DIGITS;
  }

  private static boolean same(Read r, BigDecimal amount) {
    return r.fields.amount() != null && r.fields.amount().compareTo(amount) == 0;
  }

  /** Doubts that only say nothing else confirmed the total: other readings can supply that. */
  static boolean unconfirmedOnly(List<String> doubts) {
    return doubts.stream()
        .allMatch(
            d ->
                d.startsWith("only one reading of the total")
                    || d.startsWith("the total's line was read with low OCR confidence"));
  }
}
