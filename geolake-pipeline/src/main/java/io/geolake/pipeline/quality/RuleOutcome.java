package io.geolake.pipeline.quality;

/**
 * One rule checked for one date: the metric, the bounds it had to keep (null for none) and whether
 * it did. A null metric (nothing to measure) passes only checks that hold vacuously.
 */
public record RuleOutcome(
    String rule, String table, String check, String severity, Double metric, Double lowerBound, Double upperBound, boolean passed, String detail) {

  public boolean failedError() {
    return !passed && severity.equals("error");
  }

  /** "staging_fresh (warn): 30.5, above the maximum 24 — hours from ..." */
  public String describe() {
    String verdict;
    if (metric == null) {
      verdict = "no value";
    } else if (lowerBound != null && metric < lowerBound) {
      verdict = format(metric) + ", below the minimum " + format(lowerBound);
    } else if (upperBound != null && metric > upperBound) {
      verdict = format(metric) + ", above the maximum " + format(upperBound);
    } else {
      verdict = format(metric);
    }
    return rule + " (" + severity + "): " + verdict + " — " + detail;
  }

  static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.format(java.util.Locale.ROOT, "%.4g", value);
  }
}
