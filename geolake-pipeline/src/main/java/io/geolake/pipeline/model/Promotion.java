package io.geolake.pipeline.model;

/**
 * Whether a new version of model X goes live: only if its hold-out AUC-ROC is at least the live
 * version's on the same hold-out, minus a tolerance.
 *
 * @param decision what was decided and on which numbers, for the registry and the console
 */
public record Promotion(boolean promote, String decision) {
  public static Promotion decide(ModelMetrics candidate, String liveVersion, ModelMetrics live, double tolerance) {
    if (live == null) {
      return new Promotion(true, "live: no version was live");
    }
    boolean promote = candidate.aucRoc() >= live.aucRoc() - tolerance;
    return new Promotion(
        promote,
        String.format(
            "%s: hold-out AUC-ROC %.4f vs live %s %.4f on the same hold-out (tolerance %.4f)",
            promote ? "live" : "kept " + liveVersion, candidate.aucRoc(), liveVersion, live.aucRoc(), tolerance));
  }
}
