package io.geolake.pipeline.model;

import java.time.LocalDate;

/**
 * What scoring wrote for one feature date.
 *
 * @param modelVersion the live version that scored, or null when none was live (nothing written)
 * @param devices devices scored
 * @param predictedPositive devices with predicted_label 1
 * @param meanScore mean score over the devices
 */
public record ScoreResult(LocalDate featureDate, String modelVersion, long devices, long predictedPositive, double meanScore) {
  static ScoreResult skipped(LocalDate featureDate) {
    return new ScoreResult(featureDate, null, 0, 0, 0);
  }

  public boolean scored() {
    return modelVersion != null;
  }
}
