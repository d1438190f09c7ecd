package io.geolake.pipeline.quality;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The expected range of a daily count from its recent history: median ± k·MAD (median absolute
 * deviation), robust to the odd outlier day that a mean ± k·sd would absorb. The MAD is floored at
 * 5% of the median so that a perfectly steady history does not flag a one-row change.
 */
public record RowCountBaseline(double median, double mad, double lower, double upper) {
  static final int MIN_HISTORY = 3;
  static final double MAD_FLOOR_SHARE = 0.05;

  /** Empty while fewer than {@link #MIN_HISTORY} earlier values are known. */
  public static Optional<RowCountBaseline> of(List<Double> history, double k) {
    if (history.size() < MIN_HISTORY) {
      return Optional.empty();
    }
    double median = median(history.stream().mapToDouble(Double::doubleValue).toArray());
    double mad = median(history.stream().mapToDouble(v -> Math.abs(v - median)).toArray());
    double spread = k * Math.max(mad, MAD_FLOOR_SHARE * Math.abs(median));
    return Optional.of(new RowCountBaseline(median, mad, median - spread, median + spread));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
