package io.tracklane.backoffice.receipts.ocr.bench;

import java.util.List;

/**
 * How often a total with a given confidence was right: confidence buckets 0.1 wide, each with its
 * receipts, how many were right and how many passed unreviewed. The review threshold is read from
 * it: the lowest bucket from which every bucket up was at least {@code required} right (e.g. 98 %),
 * so a total is accepted unreviewed only where totals of its score have been right.
 */
public final class CalibrationCurve {
  /** One bucket [low, low + 0.1). */
  public record Bucket(double low, int receipts, int right, int unreviewed) {
    public double shareRight() {
      return receipts == 0 ? 0 : (double) right / receipts;
    }
  }

  private final Bucket[] buckets = new Bucket[10];

  public CalibrationCurve(List<ReceiptAccuracyBenchmark.Scored> scored) {
    for (int b = 0; b < 10; b++) {
      double lo = b / 10.0;
      int n = 0;
      int right = 0;
      int unreviewed = 0;
      for (ReceiptAccuracyBenchmark.Scored s : scored) {
        if (bucket(s.confidence()) == b) {
          n++;
          right += s.right() ? 1 : 0;
          unreviewed += s.extracted() ? 1 : 0;
        }
      }
      buckets[b] = new Bucket(lo, n, right, unreviewed);
    }
  }

  /** Confidences are rounded to 2 decimals; 1.0 falls in the top bucket. */
  private static int bucket(double confidence) {
    return Math.max(0, Math.min(9, (int) Math.floor(confidence * 10 + 1e-9)));
  }

  public List<Bucket> buckets() {
    return List.of(buckets);
  }

  /**
   * The lowest confidence from which every non-empty bucket up was at least {@code required} right;
   * 1.0 when even the top bucket falls short (accept nothing unreviewed).
   */
  public double threshold(double required) {
    double threshold = 1.0;
    for (int b = 9; b >= 0; b--) {
      Bucket bucket = buckets[b];
      if (bucket.receipts() == 0) {
        continue;
      }
      if (bucket.shareRight() < required) {
        break;
      }
      threshold = bucket.low();
    }
    return threshold;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("confidence  receipts  right  share right  unreviewed\n");
    for (Bucket b : buckets) {
      if (b.receipts() > 0) {
        out.append(
            String.format(
                "%.1f–%.1f    %8d  %5d  %10.0f%%  %10d%n",
                b.low(),
                b.low() + 0.1,
                b.receipts(),
                b.right(),
                100 * b.shareRight(),
                b.unreviewed()));
      }
    }
    return out.toString();
  }
}
