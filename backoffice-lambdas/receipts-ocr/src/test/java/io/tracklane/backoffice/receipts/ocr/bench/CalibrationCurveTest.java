package io.tracklane.backoffice.receipts.ocr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.bench.ReceiptAccuracyBenchmark.Scored;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationCurveTest {

  private static void add(List<Scored> out, double confidence, int right, int wrong) {
    for (int i = 0; i < right; i++) {
      out.add(new Scored(confidence, true, confidence >= 0.7));
    }
    for (int i = 0; i < wrong; i++) {
      out.add(new Scored(confidence, false, confidence >= 0.7));
    }
  }

  /**
   * 0.9–1.0 and 0.7–0.8 all right, 0.8–0.9 empty, 0.6–0.7 one wrong in ten: the threshold is 0.7,
   * the lowest bucket from which every bucket up was at least 98 % right.
   */
  @Test
  void thresholdIsTheLowestBucketFromWhichEveryBucketUpIsRightEnough() {
    List<Scored> scored = new ArrayList<>();
    add(scored, 1.0, 20, 0);
    add(scored, 0.75, 10, 0);
    add(scored, 0.66, 9, 1);
    add(scored, 0.5, 30, 10);
    CalibrationCurve curve = new CalibrationCurve(scored);
    assertEquals(0.7, curve.threshold(0.98), 1e-9);
    assertEquals(0.6, curve.threshold(0.9), 1e-9);
    assertEquals(20, curve.buckets().get(9).receipts());
    assertTrue(curve.toString().contains("0.6–0.7"), curve.toString());
  }

  /** One wrong total high up moves the threshold above it: nothing below is trusted either. */
  @Test
  void aWrongTotalHighUpRaisesTheThresholdAboveIt() {
    List<Scored> scored = new ArrayList<>();
    add(scored, 0.95, 10, 0);
    add(scored, 0.85, 9, 1);
    add(scored, 0.75, 10, 0);
    assertEquals(0.9, new CalibrationCurve(scored).threshold(0.98), 1e-9);
    add(scored, 0.95, 0, 1);
    assertEquals(1.0, new CalibrationCurve(scored).threshold(0.98), 1e-9);
  }
}
