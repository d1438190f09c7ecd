package io.geolake.pipeline.model;

import io.geolake.pipeline.quality.RuleOutcome;
import java.time.LocalDate;
import java.util.List;

/**
 * What scoring wrote for one feature date.
 *
 * @param modelVersion the live version that scored, or null when none was live (nothing written)
 * @param devices devices scored
 * @param predictedPositive devices with predicted_label 1
 * @param meanScore mean score over the devices
 * @param revertedRunsLearnedFrom runs the scoring version learned from that were taken back since
 *     (geolake revert): the scores still carry what those runs' rows taught it, until it is trained again
 * @param drift how far each feature and the scores moved from the version's training data (population
 *     stability index, warn-severity checks); empty for versions trained before baselines were kept
 */
public record ScoreResult(
    LocalDate featureDate, String modelVersion, long devices, long predictedPositive, double meanScore, List<String> revertedRunsLearnedFrom,
    List<RuleOutcome> drift) {
  public ScoreResult {
    revertedRunsLearnedFrom = revertedRunsLearnedFrom == null ? List.of() : List.copyOf(revertedRunsLearnedFrom);
    drift = drift == null ? List.of() : List.copyOf(drift);
  }

  static ScoreResult skipped(LocalDate featureDate) {
    return new ScoreResult(featureDate, null, 0, 0, 0, List.of(), List.of());
  }

  /** The drift checks that failed: features (or scores) whose distribution moved past model.drift-max-psi. */
  public List<RuleOutcome> driftFailures() {
    return drift.stream().filter(o -> !o.passed()).toList();
  }

  public boolean scored() {
    return modelVersion != null;
  }
}
