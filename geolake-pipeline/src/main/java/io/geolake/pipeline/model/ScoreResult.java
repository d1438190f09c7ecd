package io.geolake.pipeline.model;

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
 */
public record ScoreResult(
    LocalDate featureDate, String modelVersion, long devices, long predictedPositive, double meanScore, List<String> revertedRunsLearnedFrom) {
  public ScoreResult {
    revertedRunsLearnedFrom = List.copyOf(revertedRunsLearnedFrom);
  }

  static ScoreResult skipped(LocalDate featureDate) {
    return new ScoreResult(featureDate, null, 0, 0, 0, List.of());
  }

  public boolean scored() {
    return modelVersion != null;
  }
}
