package io.tracklane.backoffice.receipts.ocr.bench;

import static io.tracklane.backoffice.receipts.ocr.bench.ReceiptAccuracyBenchmark.PHOTO_SEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import io.tracklane.backoffice.receipts.ocr.bench.ReceiptAccuracyBenchmark.SetResult;
import io.tracklane.backoffice.receipts.ocr.extract.AmountExtractor;
import io.tracklane.backoffice.receipts.ocr.testing.RequiresTesseract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real-data test: the accuracy benchmark over ../shared/data/receipts (public receipts and VAT
 * invoices kept outside the repository, licence terms in its README). Skipped when the folder is
 * absent, except under CI=true, where it is beside the clone. Scans of sroie-dev and fapiao-dev,
 * and phone-photo variants of fapiao-dev and of sroie-dev's first ten receipts: accuracy and
 * wrong-and-unreviewed, never timing (the benchmark reports that).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReceiptAccuracyRealDataTest {
  // JUnit runs the tests one after the other (the default), so one log buffer is enough.
  private static Path data;
  private static ReceiptAccuracyBenchmark benchmark;
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  @BeforeAll
  static void locate() {
    Path root = Path.of("").toAbsolutePath();
    Path found = null;
    for (Path p = root; p != null && found == null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("data/receipts");
      if (Files.isDirectory(candidate.resolve("sroie-dev"))) {
        found = candidate;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(found != null, "../shared/data/receipts must exist beside the clone under CI");
    }
    Assumptions.assumeTrue(found != null, "real data not present: ../shared/data/receipts");
    RequiresTesseract.check();
    data = found;
    benchmark =
        new ReceiptAccuracyBenchmark(
            ReceiptReader.fromEnvironment(Map.of()),
            new PrintStream(LOG, true, StandardCharsets.UTF_8),
            true);
  }

  @Test
  @Order(1)
  void sroieEnglishReceipts() throws Exception {
    SetResult r = run(data.resolve("sroie-dev"), "sroie-dev", 0);
    assertEquals(30, r.count());
    assertTrue(r.accuracy() >= SCAN_EXACT, r.toString());
    assertTrue(r.reviewShare() <= SCAN_REVIEW, r.toString());
    assertTrue(r.wrongUnreviewedShare() <= WRONG_UNREVIEWED, r.toString());
  }

  @Test
  @Order(2)
  void chineseVatInvoices() throws Exception {
    SetResult r = run(data.resolve("fapiao-dev"), "fapiao-dev", 0);
    assertEquals(4, r.count());
    assertEquals(4, r.exact(), r.toString());
    assertEquals(0, r.wrongUnreviewed(), r.toString());
  }

  /** The 30 receipts of sroie-dev as phone photos (the benchmark's generator and seed). */
  @Test
  @Order(3)
  void sroiePhotoVariants() throws Exception {
    SetResult r = run(photos("sroie-dev", 0), "sroie-dev-photo", 0);
    assertEquals(30, r.count());
    assertTrue(r.accuracy() >= PHOTO_EXACT, r.toString());
    assertTrue(r.reviewShare() <= PHOTO_REVIEW, r.toString());
    assertEquals(0, r.wrongUnreviewed(), r.toString());
  }

  /** The four invoices as phone photos: all four read exactly, none wrong and unreviewed. */
  @Test
  @Order(4)
  void chineseVatInvoicePhotoVariants() throws Exception {
    SetResult r = run(photos("fapiao-dev", 0), "fapiao-dev-photo", 0);
    assertEquals(4, r.count());
    assertEquals(4, r.exact(), r.toString());
    assertEquals(0, r.wrongUnreviewed(), r.toString());
  }

  /**
   * The README's figures of 2026-12-04 (late evening): sroie-dev scans 28 of 30 exact and 6 of 30
   * to review, photos 26 of 30 and 10 of 30, fapiao-dev scans and photos 4 of 4. The issue's
   * targets, all met on these sets and asserted as such: ≥ 92 % exact and ≤ 25 % to review on
   * scans, ≥ 85 % exact and ≤ 35 % to review on photos, wrong and unreviewed ≤ 2 % (none here),
   * fapiao-dev 4 of 4 on scans and photos.
   */
  static final double SCAN_EXACT = 0.92;

  static final double SCAN_REVIEW = 0.25;
  static final double PHOTO_EXACT = 0.85;
  static final double PHOTO_REVIEW = 0.35;
  static final double WRONG_UNREVIEWED = 0.02;

  /**
   * Over every receipt the tests above read: each confidence bucket at or above the reader's review
   * threshold was at least 98 % right, so the threshold is one the calibration curve allows.
   */
  @Test
  @Order(5)
  void calibrationCurveAllowsTheReviewThreshold() {
    assertTrue(
        SCORED.size() >= 40, "scores the readings of the ordered tests above; run the class");
    CalibrationCurve curve = new CalibrationCurve(SCORED);
    double threshold = curve.threshold(ReceiptAccuracyBenchmark.REQUIRED_SHARE_RIGHT);
    System.out.println(curve + "threshold from the curve: " + threshold);
    assertTrue(threshold <= AmountExtractor.EXTRACTED_THRESHOLD + 1e-9, curve.toString());
  }

  private static final List<ReceiptAccuracyBenchmark.Scored> SCORED = new ArrayList<>();

  private static SetResult run(Path folder, String name, int limit) throws Exception {
    LOG.reset();
    SetResult r = benchmark.run(folder, name, limit);
    SCORED.addAll(r.scored());
    System.out.println(LOG.toString(StandardCharsets.UTF_8) + r);
    return r;
  }

  /** Photo variants generated under target/ (never beside the data: its licence). */
  private static Path photos(String folder, int limit) throws Exception {
    Path out =
        Path.of("target", "photo-variants-test", folder + "-photo-s" + PHOTO_SEED + "-" + limit)
            .toAbsolutePath();
    return new PhotoVariantGenerator(PHOTO_SEED).generate(data.resolve(folder), out, limit);
  }
}
