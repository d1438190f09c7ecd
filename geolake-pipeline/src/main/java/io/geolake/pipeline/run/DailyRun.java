package io.geolake.pipeline.run;

import static java.util.Objects.requireNonNull;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.features.FeaturesResult;
import io.geolake.pipeline.features.FeaturesStep;
import io.geolake.pipeline.model.ScoreResult;
import io.geolake.pipeline.model.ScoreStep;
import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.ingest.IngestStep;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.RejectGuardException;
import io.geolake.pipeline.staging.StageResult;
import io.geolake.pipeline.staging.StageStep;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The daily run for one delivery date: ingest (landing to raw), stage (raw to staging), features
 * (staging to consumption), then scoring of the date's profiles with the live model X, if any.
 * Running a date again yields the same tables. If any step fails, every table goes back to its
 * snapshot from before the run; only when the reject guard trips are raw.rejects and
 * staging.quarantine kept, for inspection. One run at a time holds the data folder's {@link
 * RunLock}; a second one is refused with the holder's name.
 */
public final class DailyRun {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;
  private final RunListener listener;

  public DailyRun(LakehouseCatalog catalog, GeolakeConfig config, RunListener listener) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.config = requireNonNull(config, "config is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  public RunReport run(LocalDate date) {
    try (RunLock lock = RunLock.acquire(Locations.of(config), "the run of " + date)) {
      return runLocked(date);
    }
  }

  private RunReport runLocked(LocalDate date) {
    long started = System.nanoTime();
    catalog.ensureTables(config);
    FeaturesStep featuresStep = new FeaturesStep(catalog, config); // reads the places file: fail before writing
    TableCheckpoint checkpoint = TableCheckpoint.capture(catalog, Tables.ALL);
    try {
      IngestResult ingest = step(date, "ingest", () -> new IngestStep(catalog, config).execute(date));
      StageResult stage = step(date, "stage", () -> new StageStep(catalog, config).execute(date, ingest));
      FeaturesResult features = step(date, "features", () -> featuresStep.execute(date, stage));
      ScoreResult score = step(date, "score", () -> new ScoreStep(catalog, config).execute(date));
      return new RunReport(date, ingest, stage, features, score, Duration.ofNanos(System.nanoTime() - started));
    } catch (RejectGuardException e) {
      checkpoint.rollback(Set.of(Tables.RAW_REJECTS, Tables.STAGING_QUARANTINE));
      throw e;
    } catch (RuntimeException | Error e) {
      try {
        checkpoint.rollback(Set.of());
      } catch (RuntimeException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
  }

  private <T> T step(LocalDate date, String name, Supplier<T> body) {
    listener.stepStarted(date, name);
    long started = System.nanoTime();
    T result;
    try {
      result = body.get();
    } finally {
      // Job descriptions are thread-local; later jobs of this thread must not inherit the step's.
      catalog.spark().sparkContext().setJobDescription(null);
    }
    listener.stepFinished(date, name, Duration.ofNanos(System.nanoTime() - started), result);
    return result;
  }
}
