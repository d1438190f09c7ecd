package io.geolake.pipeline.model;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.run.RunStore;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Optional;

/**
 * The cut-off of a training nobody dated by hand (serve's model.schedule, {@code geolake train
 * --latest}): the newest date whose latest run succeeded, so it learns from everything published
 * and nothing half-written. {@code skipped} says why it does not train instead: a version is already
 * trained as of that date or later (training again would only repeat that fit), or the lake is too
 * young for a training date (a schedule started with the lake would otherwise fail, and raise an
 * incident, every time it fires in the first weeks).
 */
public record TrainingCutOff(LocalDate asOf, String skipped) {

  public static TrainingCutOff pick(RunStore store, ModelRegistry registry, GeolakeConfig.Model model) {
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
    LocalDate first = store.firstDate().orElse(asOf);
    LocalDate firstCutOff = TrainingSet.firstCutOff(model, first);
    if (asOf.isBefore(firstCutOff)) {
      return new TrainingCutOff(asOf, "not enough history yet: a training as of " + asOf + " learns from feature dates up to "
          + TrainingSet.trainTo(model, asOf) + ", and the lake's first date is " + first + "; the first training can be as of " + firstCutOff
          + " (model.horizon-days " + model.horizonDays() + ", model.holdout-days " + model.holdoutDays() + ")");
    }
    return new TrainingCutOff(asOf, null);
  }

  public boolean train() {
    return skipped == null;
  }
}
