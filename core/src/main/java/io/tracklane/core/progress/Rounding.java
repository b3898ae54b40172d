package io.tracklane.core.progress;

/** Rounding for the wire form: metres to decimetres, percent and speeds to hundredths. */
final class Rounding {
  private Rounding() {}

  static double tenths(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static double hundredths(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static Double hundredths(Double v) {
    return v == null ? null : hundredths(v.doubleValue());
  }
}
