package io.geolake.pipeline.model;

import io.geolake.core.config.GeolakeConfig.PromotionMetric;

/**
 * Whether a new version of model X goes live: only if it is not worse than the live version on
 * the same hold-out by the configured metric (model.promotion-metric), give or take a tolerance.
 *
 * @param decision what was decided and on which numbers, for the registry and the console
 */
public record Promotion(boolean promote, String decision) {
  public static Promotion decide(ModelMetrics candidate, String liveVersion, ModelMetrics live, PromotionMetric metric, double tolerance) {
    if (live == null) {
      return new Promotion(true, "live: no version was live");
    }
    double mine = value(candidate, metric);
    double theirs = value(live, metric);
    boolean promote = metric.higherIsBetter() ? mine >= theirs - tolerance : mine <= theirs + tolerance;
    return new Promotion(
        promote,
        String.format(
            "%s: hold-out %s %.4f vs live %s %.4f on the same hold-out (tolerance %.4f%s)",
            promote ? "live" : "kept " + liveVersion, metric.label(), mine, liveVersion, theirs, tolerance,
            metric.higherIsBetter() ? "" : ", lower is better"));
  }

  private static double value(ModelMetrics metrics, PromotionMetric metric) {
    return switch (metric) {
      case AUC_ROC -> metrics.aucRoc();
      case AUC_PR -> metrics.aucPr();
      case LOG_LOSS -> metrics.logLoss();
    };
  }
}
