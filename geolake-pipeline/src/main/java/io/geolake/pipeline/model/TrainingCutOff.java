package io.geolake.pipeline.model;

import io.geolake.pipeline.run.RunStore;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Optional;

/**
 * The cut-off of a training nobody dated by hand (serve's model.schedule, {@code geolake train
 * --latest}): the newest date whose latest run succeeded, so it learns from everything published
 * and nothing half-written. When a version is already trained as of that date or later, training
 * again would only repeat that fit: {@code skipped} says why instead.
 */
public record TrainingCutOff(LocalDate asOf, String skipped) {

  public static TrainingCutOff pick(RunStore store, ModelRegistry registry) {
    Optional<LocalDate> newest = store.newestSucceededDate();
    if (newest.isEmpty()) {
      return new TrainingCutOff(null, "no date has run successfully yet, nothing to train on");
    }
    LocalDate asOf = newest.get();
    Optional<ModelVersion> latest =
        registry.versions().stream().max(Comparator.comparing(ModelVersion::asOf).thenComparing(ModelVersion::version));
    if (latest.isPresent() && !latest.get().asOf().isBefore(asOf)) {
      return new TrainingCutOff(asOf, "nothing new to learn from: " + latest.get().version() + " was trained as of " + latest.get().asOf()
          + ", the newest date that ran successfully is " + asOf);
    }
    return new TrainingCutOff(asOf, null);
  }

  public boolean train() {
    return skipped == null;
  }
}
