package io.tracklane.fixestable;

import java.math.BigDecimal;

/**
 * Text for DynamoDB's number type. DynamoDB holds magnitudes from 1E-130 to 9.99…E+125 with at most
 * 38 significant digits and refuses the whole request otherwise ("Number underflow"), so a number
 * that gets here must already be in range: the encoding never emits an exponent, never more than 17
 * significant digits (a double's shortest round-trip form), and turns a magnitude below the range
 * into 0 instead of failing.
 */
public final class DynamoNumbers {
  /** The smallest non-zero magnitude DynamoDB stores. */
  public static final double MIN_MAGNITUDE = 1e-130;

  /** Magnitudes at or above this overflow DynamoDB's number type. */
  public static final double MAX_MAGNITUDE = 1e126;

  private DynamoNumbers() {}

  /**
   * @throws IllegalArgumentException for NaN, infinities and magnitudes DynamoDB cannot hold
   */
  public static String encode(double v) {
    if (!Double.isFinite(v)) throw new IllegalArgumentException("not a finite number: " + v);
    double abs = Math.abs(v);
    if (abs < MIN_MAGNITUDE) return "0"; // also turns -0.0 into 0
    if (abs >= MAX_MAGNITUDE)
      throw new IllegalArgumentException("magnitude beyond DynamoDB's number range: " + v);
    // Integral values without ".0" keep the stored text tidy.
    if (v == Math.rint(v) && abs < 1e15) return Long.toString((long) v);
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  public static String encode(long v) {
    return Long.toString(v);
  }
}
