package io.tracklane.backoffice.receipts.ocr.extract;

import io.tracklane.backoffice.receipts.ocr.OcrLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the total of a till receipt. Every labelled total is a candidate, ranked by its label
 * (grand/rounded total above total due, nett total, total incl. tax, amount paid, plain TOTAL); the
 * receipt's own arithmetic then votes: the same figure under another total label, the card payment,
 * cash tendered minus change, subtotal + tax − discount + rounding. A figure the arithmetic
 * confirms twice outvotes a single label (one misread digit), and any total that disagrees without
 * an explanation sends the receipt to review.
 */
public final class AmountExtractor {
  /** Malaysian, Swiss, Australian… cash totals are rounded to 5 cents. */
  private static final BigDecimal ROUNDING_STEP = new BigDecimal("0.05");

  /** The review threshold: chosen from the calibration curve (bench/CalibrationCurve). */
  public static final double EXTRACTED_THRESHOLD = 0.7;

  private AmountExtractor() {}

  public static AmountFinding extract(List<OcrLine> lines) {
    List<LabelledAmount> amounts = ReceiptLines.label(lines);
    List<LabelledAmount> totals = amounts.stream().filter(a -> a.kind().isTotal()).toList();
    Evidence evidence = new Evidence(amounts);
    if (totals.isEmpty()) {
      return fallback(amounts, evidence);
    }
    Map<BigDecimal, Candidate> candidates = new LinkedHashMap<>();
    for (LabelledAmount total : totals) {
      candidates.computeIfAbsent(total.value(), Candidate::new).labels.add(total);
    }
    for (Derivation derived : evidence.derived()) {
      List<Candidate> matching =
          candidates.values().stream().filter(c -> derived.gives(c.value)).toList();
      if (matching.isEmpty()) {
        if (derived.confirmOnly()) {
          continue; // confirms a figure read elsewhere; never proposes or contests one
        }
        Candidate c = candidates.computeIfAbsent(derived.primary(), Candidate::new);
        c.supports.add(derived.how());
        c.derivedOcr = Math.max(c.derivedOcr, derived.ocrConfidence());
      } else {
        matching.forEach(c -> c.supports.add(derived.how()));
      }
    }
    for (Candidate c : candidates.values()) {
      if (c.labels.size() > 1) {
        c.supports.add("the same figure under " + c.labels.size() + " total labels");
      }
      if (!c.labels.isEmpty() && evidence.appearsUnlabelled(c.value, c.labels)) {
        c.weakSupport = true;
      }
    }
    Candidate best =
        candidates.values().stream()
            .max(
                Comparator.comparingDouble(Candidate::score)
                    .thenComparingInt(Candidate::lastLine)
                    .thenComparing(c -> c.value))
            .orElseThrow();
    if (!best.labels.isEmpty()) {
      // The labelled total and the receipt's arithmetic differ in one digit: OCR swapped a digit
      // (5/6, 3/8, 1/7) in one of the readings. Two agreeing derivations outweigh the label; one
      // outweighs it only when its lines were read more confidently. Always reviewed.
      Candidate labelled = best;
      double labelOcr =
          labelled.labels.stream().mapToDouble(LabelledAmount::lineConfidence).max().orElse(0);
      best =
          candidates.values().stream()
              .filter(c -> c.labels.isEmpty() && oneDigitApart(c.value, labelled.value))
              .filter(
                  c -> c.supports.size() >= 2 || c.supports.size() == 1 && c.derivedOcr > labelOcr)
              .findFirst()
              .orElse(best);
    }
    return judge(best, candidates.values(), evidence);
  }

  /** The largest figure with cents on a line that is no total, tax, payment or other sum. */
  public static Optional<BigDecimal> largestItem(List<OcrLine> lines) {
    return ReceiptLines.label(lines).stream()
        .filter(a -> a.kind() == LineKind.OTHER || a.kind() == LineKind.AMOUNT)
        .filter(a -> a.token().hasCents() && !a.token().negative())
        .map(LabelledAmount::value)
        .max(BigDecimal::compareTo);
  }

  private static AmountFinding judge(Candidate best, Collection<Candidate> all, Evidence evidence) {
    List<String> doubts = new ArrayList<>();
    double confidence;
    if (best.labels.isEmpty()) {
      confidence = 0.45;
      LabelledAmount read =
          all.stream()
              .filter(c -> !c.labels.isEmpty())
              .flatMap(c -> c.labels.stream())
              .max(Comparator.comparingInt(a -> a.kind().rank))
              .orElseThrow();
      doubts.add(
          "the total reads "
              + read
              + " but "
              + String.join(" and ", best.supports)
              + " give "
              + best.value.toPlainString());
    } else {
      LabelledAmount label = best.strongestLabel();
      int rank = label.kind().rank;
      confidence = 0.5 + 0.03 * (rank - LineKind.TOTAL.rank);
      confidence += 0.2 * Math.min(2, best.supports.size());
      if (best.weakSupport) {
        confidence += 0.1;
      }
      if (best.supports.isEmpty() && !best.weakSupport && label.lineConfidence() >= 0.85) {
        confidence += 0.15; // one clean, clearly labelled total with nothing against it
      }
      double ocr = best.labels.stream().mapToDouble(LabelledAmount::lineConfidence).max().orElse(0);
      if (ocr < 0.6) {
        confidence -= 0.2;
        doubts.add(
            "the total's line was read with low OCR confidence (" + Math.round(ocr * 100) + "%)");
      } else if (ocr < 0.75) {
        confidence -= 0.1;
      }
      if (!label.token().hasCents()) {
        confidence -= 0.15;
        doubts.add("the total " + label + " has no cents");
      }
      if (label.token().repaired()) {
        confidence -= 0.05;
      }
    }
    for (Candidate other : all) {
      if (other == best || other.labels.isEmpty()) {
        continue;
      }
      if (!explained(best.value, other, evidence)) {
        doubts.add("totals disagree: " + best.value.toPlainString() + " vs " + other.labels.get(0));
        confidence = Math.min(confidence, 0.5);
      }
    }
    for (Derivation derived : evidence.derived()) {
      if (!derived.confirmOnly() && !derived.gives(best.value)) {
        doubts.add(
            derived.how()
                + " gives "
                + derived.primary().toPlainString()
                + ", not "
                + best.value.toPlainString());
        confidence = Math.min(confidence, 0.5);
      }
    }
    if (best.value.signum() <= 0) {
      doubts.add("the total is zero");
      confidence = Math.min(confidence, 0.3);
    }
    confidence = Math.max(0, Math.min(1, confidence));
    if (confidence < EXTRACTED_THRESHOLD && doubts.isEmpty()) {
      doubts.add("only one reading of the total, nothing on the receipt confirms it");
    }
    List<AmountFinding.Alternative> others = new ArrayList<>();
    for (Candidate other : all) {
      if (other != best && other.value.signum() > 0) {
        others.add(
            new AmountFinding.Alternative(
                other.value,
                other.labels.isEmpty()
                    ? String.join(", ", other.supports)
                    : "the line " + other.labels.get(0)));
      }
    }
    double digits =
        best.labels.stream().mapToDouble(LabelledAmount::digitConfidence).max().orElse(0);
    return new AmountFinding(
        best.value,
        confidence,
        doubts,
        others,
        digits,
        arithmetic(evidence.derived()),
        taxAtRate(evidence.derived()));
  }

  /**
   * A different total is fine when the receipt explains the gap (rounding, tax, discount, service).
   */
  private static boolean explained(BigDecimal best, Candidate other, Evidence evidence) {
    BigDecimal v = other.value;
    if (nearlyRounded(v, best)) {
      return true;
    }
    for (BigDecimal adjustment : evidence.adjustments()) {
      if (v.add(adjustment).compareTo(best) == 0 || v.subtract(adjustment).compareTo(best) == 0) {
        return true;
      }
    }
    // A cash-tendered figure misfiled under TOTAL (e.g. "TOTAL CASH 50.00") is larger and paid in
    // round notes.
    return evidence.cash().stream().anyMatch(c -> c.compareTo(v) == 0);
  }

  private static boolean nearlyRounded(BigDecimal a, BigDecimal b) {
    return a.subtract(b).abs().compareTo(ROUNDING_STEP) < 0;
  }

  /** Same length, exactly one digit different: 64.50 vs 54.50. */
  static boolean oneDigitApart(BigDecimal a, BigDecimal b) {
    String x = a.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    String y = b.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    if (x.length() != y.length()) {
      return false;
    }
    int differences = 0;
    for (int i = 0; i < x.length(); i++) {
      differences += x.charAt(i) == y.charAt(i) ? 0 : 1;
    }
    return differences == 1;
  }

  /**
   * A figure the receipt's arithmetic gives for the total; {@code values}: the first, then
   * acceptable variants.
   */
  record Derivation(
      String how,
      List<BigDecimal> values,
      double ocrConfidence,
      boolean confirmOnly,
      boolean taxAtRate) {
    Derivation(String how, List<BigDecimal> values, double ocrConfidence) {
      this(how, values, ocrConfidence, false, false);
    }

    Derivation(String how, List<BigDecimal> values, double ocrConfidence, boolean confirmOnly) {
      this(how, values, ocrConfidence, confirmOnly, false);
    }

    BigDecimal primary() {
      return values.get(0);
    }

    boolean gives(BigDecimal total) {
      return values.stream().anyMatch(v -> v.compareTo(total) == 0);
    }
  }

  private static List<List<BigDecimal>> arithmetic(List<Derivation> derivations) {
    return derivations.stream().filter(d -> !d.confirmOnly()).map(Derivation::values).toList();
  }

  /** What a subtotal chain whose tax is its subtotal at a known rate gives (its first figure). */
  private static List<BigDecimal> taxAtRate(List<Derivation> derivations) {
    return derivations.stream().filter(Derivation::taxAtRate).map(Derivation::primary).toList();
  }

  /**
   * Sales tax rates the receipts carry: Malaysian GST and service tax 6 %, sales tax 10 % and 5 %,
   * the usual VAT invoice rates 13 %, 9 % and 3 %.
   */
  private static final List<BigDecimal> TAX_RATES =
      List.of("0.06", "0.10", "0.05", "0.13", "0.09", "0.03").stream()
          .map(BigDecimal::new)
          .toList();

  /**
   * Whether {@code tax} is {@code net} at one of {@link #TAX_RATES}, to the cent either way (tax
   * summed per item rounds differently from tax on the sum).
   */
  static boolean taxAtKnownRate(BigDecimal net, BigDecimal tax) {
    if (tax.signum() <= 0) {
      return false;
    }
    BigDecimal cent = new BigDecimal("0.01");
    return TAX_RATES.stream()
        .anyMatch(
            rate ->
                net.multiply(rate)
                        .setScale(2, RoundingMode.HALF_UP)
                        .subtract(tax)
                        .abs()
                        .compareTo(cent)
                    <= 0);
  }

  /** No labelled total: the largest plausible amount, for a person to check. */
  private static AmountFinding fallback(List<LabelledAmount> amounts, Evidence evidence) {
    List<Derivation> derivations =
        evidence.derived().stream().filter(d -> !d.confirmOnly()).toList();
    if (!derivations.isEmpty()) {
      Derivation first = derivations.get(0);
      boolean agreed = derivations.stream().allMatch(d -> d.gives(first.primary()));
      return new AmountFinding(
          first.primary(),
          0.4,
          List.of(
              "no total label found; the total is computed from "
                  + derivations.stream().map(Derivation::how).collect(Collectors.joining(", "))
                  + (agreed ? "" : " (which disagree)")),
          List.of(),
          0,
          arithmetic(derivations),
          taxAtRate(derivations));
    }
    BigDecimal cashCap = evidence.cash().stream().max(BigDecimal::compareTo).orElse(null);
    return amounts.stream()
        .filter(
            a ->
                a.kind() == LineKind.OTHER
                    || a.kind() == LineKind.AMOUNT
                    || a.kind() == LineKind.CARD)
        .filter(a -> a.token().hasCents())
        .map(LabelledAmount::value)
        .filter(v -> cashCap == null || v.compareTo(cashCap) <= 0)
        .max(BigDecimal::compareTo)
        .map(
            v ->
                new AmountFinding(
                    v, 0.2, List.of("no total label found; the largest amount is a guess")))
        .orElse(AmountFinding.none("no amount found"));
  }

  /** One distinct figure: the total lines that show it and the arithmetic that confirms it. */
  private static final class Candidate {
    final BigDecimal value;
    final List<LabelledAmount> labels = new ArrayList<>();
    final Set<String> supports = new LinkedHashSet<>();
    boolean weakSupport;

    /** For a figure only derived: the OCR confidence of the weakest line it was derived from. */
    double derivedOcr;

    Candidate(BigDecimal value) {
      this.value = value;
    }

    LabelledAmount strongestLabel() {
      return labels.stream()
          .max(
              Comparator.comparingInt((LabelledAmount a) -> a.kind().rank)
                  .thenComparingInt(LabelledAmount::line))
          .orElseThrow();
    }

    double score() {
      int rank = labels.isEmpty() ? 0 : strongestLabel().kind().rank;
      return rank + 4.0 * supports.size() + (weakSupport ? 1 : 0);
    }

    int lastLine() {
      return labels.stream().mapToInt(LabelledAmount::line).max().orElse(-1);
    }
  }

  /**
   * The receipt's arithmetic: figures derived from subtotal, tax, discount, rounding, cash, change,
   * card.
   */
  private static final class Evidence {
    private final List<LabelledAmount> amounts;

    Evidence(List<LabelledAmount> amounts) {
      this.amounts = amounts;
    }

    List<BigDecimal> values(LineKind kind) {
      return amounts.stream().filter(a -> a.kind() == kind).map(LabelledAmount::value).toList();
    }

    List<BigDecimal> cash() {
      return values(LineKind.CASH);
    }

    /** Amounts that legitimately separate one total from another. */
    List<BigDecimal> adjustments() {
      List<BigDecimal> out = new ArrayList<>();
      for (LineKind kind : List.of(LineKind.TAX, LineKind.DISCOUNT, LineKind.ROUNDING)) {
        out.addAll(values(kind));
      }
      return out.stream().filter(v -> v.signum() > 0).toList();
    }

    /** Each derivation of the total that the receipt's figures allow. */
    List<Derivation> derived() {
      List<Derivation> out = new ArrayList<>();
      Optional<BigDecimal> cash = last(LineKind.CASH);
      Optional<BigDecimal> change = last(LineKind.CHANGE);
      if (cash.isPresent()
          && change.isPresent()
          && cash.get().compareTo(change.get()) > 0
          && change.get().signum() > 0) {
        out.add(
            new Derivation(
                "cash " + cash.get().toPlainString() + " − change " + change.get().toPlainString(),
                List.of(cash.get().subtract(change.get())),
                Math.min(
                    lastOf(LineKind.CASH).lineConfidence(),
                    lastOf(LineKind.CHANGE).lineConfidence())));
      }
      last(LineKind.CARD)
          .filter(v -> v.signum() > 0)
          .ifPresent(
              v ->
                  out.add(
                      new Derivation(
                          "the card payment " + v.toPlainString(),
                          List.of(v),
                          lastOf(LineKind.CARD).lineConfidence())));
      Optional<Derivation> chain = subtotalChain();
      chain.ifPresent(out::add);
      totalPlusRounding().ifPresent(out::add);
      itemsSum(chain).ifPresent(out::add);
      return out;
    }

    /**
     * The item lines above the subtotal summing to it exactly: the subtotal was read right, and so
     * is the total the subtotal chain gives. Only ever confirms: item lines also hold unit prices
     * and codes, so a sum that does not match says nothing. Items summing to a first total line do
     * not count: that is often the figure before rounding or service ("Total Amount 8.48" above
     * "Nett Total 8.50"), and confirming it would promote it over the final total.
     */
    private Optional<Derivation> itemsSum(Optional<Derivation> chain) {
      int end = -1;
      for (int i = 0; i < amounts.size() && end < 0; i++) {
        LineKind kind = amounts.get(i).kind();
        if (kind == LineKind.SUBTOTAL || kind == LineKind.TOTAL_EXCL_TAX || kind.isTotal()) {
          end = i;
        }
      }
      if (end < 2 || amounts.get(end).kind().isTotal() || chain.isEmpty()) {
        return Optional.empty();
      }
      BigDecimal sum = BigDecimal.ZERO;
      int items = 0;
      for (LabelledAmount a : amounts.subList(0, end)) {
        if ((a.kind() == LineKind.OTHER || a.kind() == LineKind.AMOUNT)
            && a.token().hasCents()
            && !a.token().negative()) {
          sum = sum.add(a.value());
          items++;
        }
      }
      LabelledAmount target = amounts.get(end);
      if (items < 2 || sum.compareTo(target.value()) != 0) {
        return Optional.empty();
      }
      return Optional.of(
          new Derivation(
              items + " item lines summing to the subtotal " + sum.toPlainString(),
              chain.get().values(),
              target.lineConfidence(),
              true));
    }

    /**
     * Subtotal + every tax or service charge below it − discounts ± rounding. Prices that include
     * tax (GST "included") make the subtotal itself the total, so that variant is accepted too.
     */
    private Optional<Derivation> subtotalChain() {
      int at = -1;
      for (int i = 0; i < amounts.size(); i++) {
        LineKind kind = amounts.get(i).kind();
        if (kind == LineKind.SUBTOTAL || kind == LineKind.TOTAL_EXCL_TAX) {
          at = i;
        }
      }
      if (at < 0) {
        return Optional.empty();
      }
      BigDecimal base = amounts.get(at).value();
      BigDecimal taxes = BigDecimal.ZERO;
      BigDecimal discounts = BigDecimal.ZERO;
      BigDecimal rounding = BigDecimal.ZERO;
      boolean roundingSigned = false;
      double ocr = amounts.get(at).lineConfidence();
      for (int i = at + 1;
          i < amounts.size() && amounts.get(i).line() - amounts.get(at).line() <= 8;
          i++) {
        LabelledAmount a = amounts.get(i);
        switch (a.kind()) {
          case TAX -> {
            taxes = taxes.add(a.value());
            ocr = Math.min(ocr, a.lineConfidence());
          }
          case DISCOUNT -> {
            discounts = discounts.add(a.value());
            ocr = Math.min(ocr, a.lineConfidence());
          }
          case ROUNDING -> {
            rounding = a.token().signed();
            roundingSigned = a.token().negative();
          }
          case CASH, CHANGE, CARD, TAX_SUMMARY -> i = amounts.size();
          default -> {}
        }
      }
      if (taxes.compareTo(base) >= 0
          || discounts.compareTo(base) > 0
          || rounding.abs().compareTo(ROUNDING_STEP) >= 0) {
        return Optional.empty();
      }
      BigDecimal net = base.subtract(discounts);
      List<BigDecimal> values = new ArrayList<>();
      values.add(net.add(taxes).add(rounding));
      if (!roundingSigned) {
        values.add(net.add(taxes).subtract(rounding));
      }
      values.add(net.add(rounding));
      values.add(net);
      if (taxes.signum() == 0) {
        // no tax line read (or none printed): the total may still be the subtotal at a known rate
        // (subtotal 103.77 and TOTAL 110.00 at 6 % GST, its tax line lost to a fold)
        for (BigDecimal rate : TAX_RATES) {
          values.add(net.add(net.multiply(rate)).setScale(2, RoundingMode.HALF_UP));
        }
      }
      String how =
          "subtotal "
              + base.toPlainString()
              + (taxes.signum() > 0 ? " + tax " + taxes.toPlainString() : "")
              + (discounts.signum() > 0 ? " − discount " + discounts.toPlainString() : "");
      return Optional.of(new Derivation(how, values, ocr, false, taxAtKnownRate(net, taxes)));
    }

    /** A total, then a rounding adjustment: the rounded total must be their sum. */
    private Optional<Derivation> totalPlusRounding() {
      for (int i = 0; i + 1 < amounts.size(); i++) {
        LabelledAmount total = amounts.get(i);
        LabelledAmount next = amounts.get(i + 1);
        if (total.kind().isTotal()
            && total.kind() != LineKind.ROUNDED_TOTAL
            && next.kind() == LineKind.ROUNDING
            && next.value().compareTo(ROUNDING_STEP) < 0) {
          BigDecimal r = next.token().signed();
          List<BigDecimal> values =
              next.token().negative() || r.signum() == 0
                  ? List.of(total.value().add(r))
                  : List.of(total.value().add(r), total.value().subtract(r));
          return Optional.of(
              new Derivation(
                  "total " + total.value().toPlainString() + " with rounding " + r.toPlainString(),
                  values,
                  Math.min(total.lineConfidence(), next.lineConfidence())));
        }
      }
      return Optional.empty();
    }

    /**
     * The figure also stands elsewhere (a single item's price, a payment line) — a weak
     * confirmation.
     */
    boolean appearsUnlabelled(BigDecimal value, List<LabelledAmount> except) {
      return amounts.stream()
          .filter(a -> !except.contains(a))
          .filter(
              a ->
                  a.kind() == LineKind.OTHER
                      || a.kind() == LineKind.CASH
                      || a.kind() == LineKind.AMOUNT
                      || a.kind() == LineKind.SUBTOTAL)
          .anyMatch(a -> a.value().compareTo(value) == 0);
    }

    private LabelledAmount lastOf(LineKind kind) {
      LabelledAmount found = null;
      for (LabelledAmount a : amounts) {
        if (a.kind() == kind) {
          found = a;
        }
      }
      return found;
    }

    private Optional<BigDecimal> last(LineKind kind) {
      List<BigDecimal> v = values(kind);
      return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    @Override
    public String toString() {
      return amounts.stream().map(a -> a.kind() + ":" + a).collect(Collectors.joining(", "));
    }
  }
}
