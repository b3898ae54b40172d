package io.tracklane.backoffice.receipts.ocr.bench;

import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import io.tracklane.backoffice.receipts.ocr.ReceiptReading;
import io.tracklane.backoffice.receipts.ocr.extract.AmountExtractor;
import io.tracklane.backoffice.receipts.ocr.image.ImageIntake;
import io.tracklane.backoffice.receipts.ocr.image.PhotoPreparation;
import io.tracklane.backoffice.receipts.ocr.provider.TesseractOcr;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy of the total on any folder of receipts that holds a {@code totals.csv} ({@code
 * file,total}): exact-match share, share sent to review, share wrong and NOT sent to review (the
 * dangerous one), seconds per receipt (median, 90th percentile), then a calibration table
 * (confidence bucket → share right) over all folders. {@code -v} prints every receipt; {@code
 * --photos} also runs each folder's phone-photo variants ({@link PhotoVariantGenerator}, written
 * under target/photo-variants, never beside the data) right after its scans; {@code --limit N}
 * reads only the first N receipts of each folder; {@code --ocr-cache DIR} keeps Tesseract's
 * readings in DIR ({@link CachingOcrProvider}: for iterating on the extraction, never for timing).
 *
 * <pre>
 * mvn -B -q -pl backoffice-lambdas/receipts-ocr exec:java \
 *     -Dexec.args="[-v] [--photos] [--limit N] [--ocr-cache DIR] folder [folder...]"
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
      double secondsPerReceipt,
      double medianSeconds,
      double p90Seconds,
      List<Scored> scored) {
    public SetResult {
      scored = List.copyOf(scored);
    }

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
              + "  failed %d  s/receipt median %.2f p90 %.2f",
          name,
          count,
          100 * accuracy(),
          exact,
          100 * reviewShare(),
          100 * wrongUnreviewedShare(),
          wrongUnreviewed,
          failed,
          medianSeconds,
          p90Seconds);
    }
  }

  /** One receipt's confidence and whether its total was right: the calibration's raw data. */
  public record Scored(double confidence, boolean right, boolean extracted) {}

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
    boolean photos = false;
    int limit = 0;
    Path ocrCache = null;
    List<Path> folders = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-v") || arg.equals("--verbose")) {
        verbose = true;
      } else if (arg.equals("--photos")) {
        photos = true;
      } else if (arg.equals("--ocr-cache")) {
        ocrCache = Path.of(args[++i]);
      } else if (arg.equals("--limit")) {
        limit = Integer.parseInt(args[++i]);
      } else {
        folders.add(Path.of(arg));
      }
    }
    if (folders.isEmpty()) {
      System.err.println(
          "usage: ReceiptAccuracyBenchmark [-v] [--photos] [--limit N] [--ocr-cache DIR] <folder with totals.csv> [<folder>...]");
      System.exit(2);
    }
    ReceiptReader reader = ReceiptReader.fromEnvironment(System.getenv());
    if (ocrCache != null && reader.provider() instanceof TesseractOcr tesseract) {
      var cached = new CachingOcrProvider(tesseract, ocrCache);
      reader =
          new ReceiptReader(
              cached,
              new ImageIntake(),
              new PhotoPreparation(
                  cached::readingConfidence, cached::readingConfidenceWithChinese));
    }
    var benchmark = new ReceiptAccuracyBenchmark(reader, System.out, verbose);
    List<SetResult> results = new ArrayList<>();
    var generator = new PhotoVariantGenerator(PHOTO_SEED);
    for (Path folder : folders) {
      SetResult scan = benchmark.run(folder, folder.getFileName().toString(), limit);
      System.out.println(scan);
      results.add(scan);
      if (photos) {
        Path variants = generator.generate(folder, photoFolder(folder), limit);
        SetResult photo = benchmark.run(variants, folder.getFileName() + "-photo", limit);
        System.out.println(photo);
        results.add(photo);
      }
    }
    System.out.println();
    for (SetResult r : results) {
      System.out.println(r);
    }
    System.out.println();
    System.out.print(calibration(results.stream().flatMap(r -> r.scored().stream()).toList()));
  }

  /** The seed of the photo variants the benchmark and the real-data test read. */
  public static final long PHOTO_SEED = 19;

  /** Photo variants live under the build's target/ folder, regenerated when absent. */
  public static Path photoFolder(Path scans) {
    return Path.of("target", "photo-variants", scans.getFileName() + "-photo-s" + PHOTO_SEED)
        .toAbsolutePath();
  }

  public SetResult run(Path folder) throws IOException {
    return run(folder, folder.getFileName().toString());
  }

  public SetResult run(Path folder, String name) throws IOException {
    return run(folder, name, 0);
  }

  /** The first {@code limit} receipts of the folder (all when {@code limit <= 0}). */
  public SetResult run(Path folder, String name, int limit) throws IOException {
    Map<String, BigDecimal> expected = totals(folder.resolve("totals.csv"));
    if (limit > 0 && expected.size() > limit) {
      Map<String, BigDecimal> first = new LinkedHashMap<>();
      expected.entrySet().stream().limit(limit).forEach(e -> first.put(e.getKey(), e.getValue()));
      expected = first;
    }
    int exact = 0;
    int review = 0;
    int wrongUnreviewed = 0;
    int failed = 0;
    List<Double> seconds = new ArrayList<>();
    List<Scored> scored = new ArrayList<>();
    for (Map.Entry<String, BigDecimal> entry : expected.entrySet()) {
      byte[] content = Files.readAllBytes(folder.resolve(entry.getKey()));
      long start = System.nanoTime();
      ReceiptReading reading = reader.read(content);
      seconds.add((System.nanoTime() - start) / 1e9);
      boolean right = reading.amount() != null && reading.amount().compareTo(entry.getValue()) == 0;
      exact += right ? 1 : 0;
      review += reading.status() == ReceiptReading.Status.NEEDS_REVIEW ? 1 : 0;
      failed += reading.status() == ReceiptReading.Status.FAILED ? 1 : 0;
      wrongUnreviewed += !right && reading.status() == ReceiptReading.Status.EXTRACTED ? 1 : 0;
      scored.add(
          new Scored(
              reading.confidence(), right, reading.status() == ReceiptReading.Status.EXTRACTED));
      if (verbose) {
        out.printf(
            "%s %-14s expected %-9s got %-9s %-12s %.2f %5.2fs %s%s%n",
            right ? "ok   " : "WRONG",
            entry.getKey(),
            entry.getValue().toPlainString(),
            reading.amount() == null ? "-" : reading.amount().toPlainString(),
            reading.status(),
            reading.confidence(),
            seconds.get(seconds.size() - 1),
            reading.reviewReasons(),
            reading.failureReason() == null ? "" : " " + reading.failureReason());
      }
    }
    return new SetResult(
        name,
        expected.size(),
        exact,
        review,
        wrongUnreviewed,
        failed,
        seconds.stream().mapToDouble(Double::doubleValue).average().orElse(0),
        percentile(seconds, 0.5),
        percentile(seconds, 0.9),
        scored);
  }

  /** Nearest-rank percentile; 0 for none. */
  static double percentile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /**
   * Confidence bucket (0.1 wide) → receipts, share right, and how many of them passed unreviewed:
   * the curve the review threshold is read from, then that threshold (buckets at least {@value
   * #REQUIRED_SHARE_RIGHT} right) beside the reader's.
   */
  public static String calibration(List<Scored> scored) {
    CalibrationCurve curve = new CalibrationCurve(scored);
    return curve
        + String.format(
            "review threshold from this curve (every bucket above it >= %.0f%% right): %.1f;"
                + " the reader's: %.2f%n",
            100 * REQUIRED_SHARE_RIGHT,
            curve.threshold(REQUIRED_SHARE_RIGHT),
            AmountExtractor.EXTRACTED_THRESHOLD);
  }

  /** A total is accepted unreviewed only in score buckets at least this often right on dev. */
  public static final double REQUIRED_SHARE_RIGHT = 0.98;

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
