package io.tracklane.backoffice.receipts.ocr.bench;

import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import io.tracklane.backoffice.receipts.ocr.ReceiptReading;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy of the total on any folder of receipts that holds a {@code totals.csv} ({@code
 * file,total}): exact-match share, share sent to review, share wrong and NOT sent to review (the
 * dangerous one), seconds per receipt. Reads only; writes nothing. {@code -v} prints every receipt.
 *
 * <pre>
 * mvn -B -q -pl backoffice-lambdas/receipts-ocr exec:java -Dexec.args="[-v] folder [folder...]"
 * </pre>
 */
public final class ReceiptAccuracyBenchmark {

  /** One set's outcome. */
  public record SetResult(
      String name,
      int count,
      int exact,
      int review,
      int wrongUnreviewed,
      int failed,
      double secondsPerReceipt) {
    public double accuracy() {
      return share(exact);
    }

    public double reviewShare() {
      return share(review);
    }

    public double wrongUnreviewedShare() {
      return share(wrongUnreviewed);
    }

    private double share(int n) {
      return count == 0 ? 0 : (double) n / count;
    }

    @Override
    public String toString() {
      return String.format(
          "%-12s receipts %3d  exact %5.1f%% (%d)  to review %5.1f%%  wrong & unreviewed %4.1f%% (%d)"
              + "  failed %d  %.2f s/receipt",
          name,
          count,
          100 * accuracy(),
          exact,
          100 * reviewShare(),
          100 * wrongUnreviewedShare(),
          wrongUnreviewed,
          failed,
          secondsPerReceipt);
    }
  }

  private final ReceiptReader reader;
  private final PrintStream out;
  private final boolean verbose;

  public ReceiptAccuracyBenchmark(ReceiptReader reader, PrintStream out, boolean verbose) {
    this.reader = reader;
    this.out = out;
    this.verbose = verbose;
  }

  public static void main(String[] args) throws IOException {
    boolean verbose = false;
    List<Path> folders = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("-v") || arg.equals("--verbose")) {
        verbose = true;
      } else {
        folders.add(Path.of(arg));
      }
    }
    if (folders.isEmpty()) {
      System.err.println(
          "usage: ReceiptAccuracyBenchmark [-v] <folder with totals.csv> [<folder>...]");
      System.exit(2);
    }
    var benchmark =
        new ReceiptAccuracyBenchmark(
            ReceiptReader.fromEnvironment(System.getenv()), System.out, verbose);
    for (Path folder : folders) {
      System.out.println(benchmark.run(folder));
    }
  }

  public SetResult run(Path folder) throws IOException {
    Map<String, BigDecimal> expected = totals(folder.resolve("totals.csv"));
    int exact = 0;
    int review = 0;
    int wrongUnreviewed = 0;
    int failed = 0;
    long nanos = 0;
    for (Map.Entry<String, BigDecimal> entry : expected.entrySet()) {
      byte[] content = Files.readAllBytes(folder.resolve(entry.getKey()));
      long start = System.nanoTime();
      ReceiptReading reading = reader.read(content);
      nanos += System.nanoTime() - start;
      boolean right = reading.amount() != null && reading.amount().compareTo(entry.getValue()) == 0;
      exact += right ? 1 : 0;
      review += reading.status() == ReceiptReading.Status.NEEDS_REVIEW ? 1 : 0;
      failed += reading.status() == ReceiptReading.Status.FAILED ? 1 : 0;
      wrongUnreviewed += !right && reading.status() == ReceiptReading.Status.EXTRACTED ? 1 : 0;
      if (verbose) {
        out.printf(
            "%s %-14s expected %-9s got %-9s %-12s %.2f %s%s%n",
            right ? "ok   " : "WRONG",
            entry.getKey(),
            entry.getValue().toPlainString(),
            reading.amount() == null ? "-" : reading.amount().toPlainString(),
            reading.status(),
            reading.confidence(),
            reading.reviewReasons(),
            reading.failureReason() == null ? "" : " " + reading.failureReason());
      }
    }
    return new SetResult(
        folder.getFileName().toString(),
        expected.size(),
        exact,
        review,
        wrongUnreviewed,
        failed,
        expected.isEmpty() ? 0 : nanos / 1e9 / expected.size());
  }

  /** {@code file,total} with a header line; blank lines and # comments ignored. */
  static Map<String, BigDecimal> totals(Path csv) throws IOException {
    Map<String, BigDecimal> totals = new LinkedHashMap<>();
    for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()
          || trimmed.startsWith("#")
          || trimmed.toLowerCase().startsWith("file,")) {
        continue;
      }
      int comma = trimmed.lastIndexOf(',');
      if (comma <= 0) {
        throw new IOException("bad line in " + csv + ": " + line);
      }
      totals.put(
          trimmed.substring(0, comma).strip(),
          new BigDecimal(trimmed.substring(comma + 1).strip()));
    }
    return totals;
  }
}
