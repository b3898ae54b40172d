package io.tracklane.backoffice.receipts.ocr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import io.tracklane.backoffice.receipts.ocr.bench.ReceiptAccuracyBenchmark.SetResult;
import io.tracklane.backoffice.receipts.ocr.testing.RequiresTesseract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real-data test: the accuracy benchmark over ../shared/data/receipts (public receipts and VAT
 * invoices kept outside the repository, licence terms in its README). Skipped when the folder is
 * absent, except under CI=true, where it is beside the clone.
 */
class ReceiptAccuracyRealDataTest {
  // JUnit runs the two tests one after the other (the default), so one log buffer is enough.
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
  void sroieEnglishReceipts() throws Exception {
    LOG.reset();
    SetResult r = benchmark.run(data.resolve("sroie-dev"));
    System.out.println(LOG.toString(StandardCharsets.UTF_8) + r);
    assertEquals(30, r.count());
    assertTrue(r.accuracy() >= 0.85, r.toString());
    assertTrue(r.wrongUnreviewedShare() <= 0.05, r.toString());
    assertTrue(r.secondsPerReceipt() <= 3.0 * slack(), r.toString());
  }

  @Test
  void chineseVatInvoices() throws Exception {
    LOG.reset();
    SetResult r = benchmark.run(data.resolve("fapiao-dev"));
    System.out.println(LOG.toString(StandardCharsets.UTF_8) + r);
    assertEquals(4, r.count());
    assertTrue(r.exact() >= 3, r.toString());
    assertTrue(r.wrongUnreviewedShare() <= 0.05, r.toString());
    assertTrue(r.secondsPerReceipt() <= 3.0 * slack(), r.toString());
  }

  /** The 3 s target is for a quiet 2-core machine; a CI runner busy with other modules gets 2x. */
  private static double slack() {
    return 2.0;
  }
}
