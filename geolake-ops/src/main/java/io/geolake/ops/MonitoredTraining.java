package io.geolake.ops;

import io.geolake.ops.alert.Alert;
import io.geolake.ops.alert.Alerter;
import io.geolake.pipeline.model.ModelVersion;
import io.geolake.pipeline.model.TrainResult;
import io.geolake.pipeline.model.TrainingCutOff;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Model X's training with its incident: {@link #run()} as geolake serve runs it on model.schedule
 * and {@link #trainLatest()} as geolake train --latest does, as of the {@link TrainingCutOff} (the
 * newest date whose run succeeded; skipped when a version is already as of it or the lake is too
 * young), and {@link #train(LocalDate)} as geolake train --as-of does. A failure raises a
 * "training failed" incident, since a schedule or cron runs it unattended; the next training that
 * succeeds, by either, closes it. The live version goes on scoring either way.
 */
public final class MonitoredTraining implements Runnable {
  private final Function<LocalDate, TrainResult> trainer;
  private final Supplier<TrainingCutOff> cutOff;
  private final Alerter alerter;
  private final Clock clock;
  private final ZoneId zone;
  private final Consumer<String> log;

  /**
   * @param trainer trains as of a date and registers the version (TrainStep::train)
   * @param cutOff the date {@link #trainLatest()} trains as of, or why it does not ({@link TrainingCutOff#pick})
   * @param zone the zone whose calendar day names the incident (serve.time-zone)
   * @param log where the outcome is told, one line
   */
  public MonitoredTraining(Function<LocalDate, TrainResult> trainer, Supplier<TrainingCutOff> cutOff, Alerter alerter, Clock clock,
      ZoneId zone, Consumer<String> log) {
    this.trainer = trainer;
    this.cutOff = cutOff;
    this.alerter = alerter;
    this.clock = clock;
    this.zone = zone;
    this.log = log;
  }

  @Override
  public void run() {
    trainLatest().ifPresent(result -> {
      ModelVersion v = result.version();
      log.accept(String.format("model X %s trained as of %s: hold-out AUC-ROC %.3f; %s", v.version(), v.asOf(), v.metrics().aucRoc(), v.decision()));
    });
  }

  /** Trains as of the cut-off, or tells why not (log) and returns nothing. */
  public Optional<TrainResult> trainLatest() {
    TrainingCutOff cutOff = this.cutOff.get();
    if (!cutOff.train()) {
      log.accept("model X: " + cutOff.skipped());
      return Optional.empty();
    }
    return Optional.of(train(cutOff.asOf()));
  }

  /** Trains as of {@code asOf}: raises the incident when it fails, closes open ones when it succeeds. */
  public TrainResult train(LocalDate asOf) {
    TrainResult result;
    try {
      result = trainer.apply(asOf);
    } catch (RuntimeException | Error e) {
      String error = String.valueOf(e.getMessage()).lines().limit(5).reduce((a, b) -> a + "\n" + b).orElse("");
      alerter.raise(Alert.trainingFailed(LocalDate.ofInstant(clock.instant(), zone), asOf, error));
      throw e;
    }
    alerter.trainingSucceeded();
    return result;
  }
}
