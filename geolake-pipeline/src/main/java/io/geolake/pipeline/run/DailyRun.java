package io.geolake.pipeline.run;

import static java.util.Objects.requireNonNull;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.features.FeaturesResult;
import io.geolake.pipeline.features.FeaturesStep;
import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.ingest.IngestStep;
import io.geolake.pipeline.model.ScoreResult;
import io.geolake.pipeline.model.ScoreStep;
import io.geolake.pipeline.quality.QualityGateException;
import io.geolake.pipeline.quality.QualityResult;
import io.geolake.pipeline.quality.QualityStep;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.RejectGuardException;
import io.geolake.pipeline.staging.StageResult;
import io.geolake.pipeline.staging.StageStep;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The daily run for one delivery date, a fixed sequence of steps: ingest (landing to raw), stage
 * (raw to staging), features (staging to consumption), quality (the data-quality gate), score
 * (the live model X, if any), publish.
 *
 * <p>Every step writes to the run's Iceberg branch of each table; {@code publish} fast-forwards
 * main to it. So a run that fails leaves main — what everyone reads — exactly as it was, and its
 * finished steps stay on the branch: the next run of the date resumes from the first unfinished
 * step (unless forced to start over). A run whose process was killed is resumed the same way. Each
 * step's state, attempts, times, rows and snapshot ids are recorded in the {@link RunStore}. When
 * the reject guard trips, raw.rejects and staging.quarantine are published alone, for inspection;
 * when the quality gate fails, those and ops.quality_results.
 *
 * <p>Running a date again after it succeeded is a new run and yields the same tables. One run at a
 * time holds the lake's {@link RunLock}; a second one is refused with the holder's name.
 */
public final class DailyRun implements DateRunner {
  static final List<String> STEPS = List.of("ingest", "stage", "features", "quality", "score", "publish");

  /** The run store's record of where the run's branch started (recorded like a step). */
  static final String BRANCH_MADE = "branch";

  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;
  private final RunListener listener;

  public DailyRun(LakehouseCatalog catalog, GeolakeConfig config, RunListener listener) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.config = requireNonNull(config, "config is null");
    this.listener = requireNonNull(listener, "listener is null");
  }

  /** Runs the date, resuming its unfinished run if there is one. */
  public RunReport run(LocalDate date) {
    return run(date, false);
  }

  /**
   * @param startOver abandon an unfinished run of the date and start from the first step
   */
  @Override
  public RunReport run(LocalDate date, boolean startOver) {
    try (RunLock lock = RunLock.acquire(config, "the run of " + date)) {
      return runLocked(date, startOver, lock);
    }
  }

  private RunReport runLocked(LocalDate date, boolean startOver, RunLock lock) {
    long started = System.nanoTime();
    catalog.ensureTables(config);
    FeaturesStep featuresStep = new FeaturesStep(catalog, config); // reads the places file: fail before writing
    RunStore store = new RunStore(config);
    String holder = "process " + ManagementFactory.getRuntimeMXBean().getName();
    Optional<RunRecord> previous = store.latest(date);
    // We hold the lock, so a previous run still marked RUNNING lost its process.
    boolean unfinished = previous.isPresent() && (previous.get().state() == RunState.RUNNING || previous.get().state() == RunState.FAILED);
    RunRecord run;
    Map<String, StepRecord> done = new HashMap<>();
    // A later date published since the run stopped: its branch no longer extends main. Start over.
    boolean resumable = unfinished && new RunBranch(catalog, previous.get().branch()).extendsMain();
    if (unfinished && !startOver && resumable) {
      run = store.resume(previous.get(), holder);
      for (StepRecord step : store.steps(run.runId())) {
        if (step.state() == StepState.SUCCEEDED) {
          done.put(step.step(), step);
        }
      }
    } else {
      if (unfinished) {
        new RunBranch(catalog, previous.get().branch()).drop();
        store.finish(
            previous.get(),
            RunState.FAILED,
            resumable ? "abandoned: the date was run again from the start (--force)" : "abandoned: its branch no longer extends main (another run published since it stopped, or a gate published its evidence)");
      }
      run = store.start(date, holder, STEPS);
    }
    RunBranch branch = new RunBranch(catalog, run.branch());
    branch.create();
    if (!done.containsKey(BRANCH_MADE)) {
      // Where the branch started: what the first step starts from, again if it has to run again.
      store.stepStarted(run.runId(), BRANCH_MADE);
      store.stepSucceeded(run.runId(), BRANCH_MADE, null, null, branch.snapshots(), 0);
      done.put(BRANCH_MADE, store.steps(run.runId()).stream().filter(st -> st.step().equals(BRANCH_MADE)).findFirst().orElseThrow());
    }
    Steps steps = new Steps(store, run, branch, done, date, lock);
    try {
      branch.activate();
      IngestResult ingest =
          steps.run("ingest", IngestResult.class, () -> new IngestStep(catalog, config).execute(date), r -> r.rawRows(), r -> r.rawRows());
      StageResult stage =
          steps.run("stage", StageResult.class, () -> new StageStep(catalog, config).execute(date, ingest), r -> ingest.rawRows(), r -> r.inserted() + r.updated());
      FeaturesResult features =
          steps.run("features", FeaturesResult.class, () -> featuresStep.execute(date, stage), r -> stage.inserted() + stage.updated(), r -> r.stayPoints() + r.featureRows() + r.profileRows());
      QualityResult quality =
          steps.run("quality", QualityResult.class, () -> new QualityStep(catalog, config).execute(date, run.runId()), r -> (long) r.outcomes().size(), r -> r.passed());
      ScoreResult score =
          steps.run("score", ScoreResult.class, () -> new ScoreStep(catalog, config).execute(date, run.runId()), r -> r.devices(), r -> r.devices());
      branch.deactivate();
      steps.run("publish", Integer.class, () -> {
        branch.publish(Tables.ALL);
        return Tables.ALL.size();
      }, r -> null, r -> null);
      branch.drop();
      store.finish(run, RunState.SUCCEEDED, null);
      return new RunReport(date, run.runId(), run.attempt(), ingest, stage, features, quality, score, Duration.ofNanos(System.nanoTime() - started));
    } catch (RejectGuardException e) {
      branch.deactivate();
      branch.publish(List.of(Tables.RAW_REJECTS, Tables.STAGING_QUARANTINE));
      branch.drop(); // part of it is on main now: the next run of the date starts over
      skipRemaining(store, run, "not run: the reject guard stopped the run");
      store.finish(run, RunState.FAILED, e.getMessage());
      throw e;
    } catch (QualityGateException e) {
      // The evidence is published for inspection; the data that failed the gate is not.
      branch.deactivate();
      branch.publish(List.of(Tables.RAW_REJECTS, Tables.STAGING_QUARANTINE, Tables.QUALITY_RESULTS));
      branch.drop(); // part of it is on main now: the next run of the date starts over
      skipRemaining(store, run, "not run: the quality gate failed");
      store.finish(run, RunState.FAILED, e.getMessage());
      throw e;
    } catch (RuntimeException | Error e) {
      try {
        branch.deactivate();
        store.finish(run, RunState.FAILED, String.valueOf(e.getMessage()));
      } catch (RuntimeException recordFailure) {
        e.addSuppressed(recordFailure);
      }
      throw e;
    } finally {
      branch.deactivate();
    }
  }

  /** Marks the run's pending steps skipped: a gate stopped it, and the date starts over next time. */
  private static void skipRemaining(RunStore store, RunRecord run, String reason) {
    for (StepRecord step : store.steps(run.runId())) {
      if (step.state() == StepState.PENDING) {
        store.stepSkipped(run.runId(), step.step(), reason);
      }
    }
  }

  /** Runs steps in order, recording each, and skips those a resumed run already finished. */
  private final class Steps {
    private final RunStore store;
    private final RunRecord run;
    private final RunBranch branch;
    private final Map<String, StepRecord> done;
    private final LocalDate date;
    private final RunLock lock;

    /** Every table's snapshot on the branch after the last finished step: where the next one starts. */
    private Map<String, Long> checkpoint;

    Steps(RunStore store, RunRecord run, RunBranch branch, Map<String, StepRecord> done, LocalDate date, RunLock lock) {
      this.lock = lock;
      this.store = store;
      this.run = run;
      this.branch = branch;
      this.done = done;
      this.date = date;
      this.checkpoint = snapshots(done.get(BRANCH_MADE));
    }

    <T> T run(String name, Class<T> type, Supplier<T> body, java.util.function.Function<T, Long> rowsIn, java.util.function.Function<T, Long> rowsOut) {
      StepRecord finished = done.get(name);
      if (finished != null) {
        T result = read(finished, type);
        checkpoint = snapshots(finished);
        listener.stepSkipped(date, name, result);
        return result;
      }
      GeolakeConfig.Retry policy = config.runs().retry();
      long started = System.nanoTime();
      T result;
      for (int attempt = 1; ; attempt++) {
        lock.checkHeld();
        branch.resetTo(checkpoint); // every attempt starts where the first one started
        store.stepStarted(run.runId(), name);
        try {
          listener.stepStarted(date, name);
          result = body.get();
          break;
        } catch (RuntimeException | Error e) {
          boolean retry = attempt < policy.maxAttempts() && e instanceof RuntimeException && TransientErrors.isTransient(e);
          Duration wait = backoff(policy, attempt);
          try {
            store.stepFailed(run.runId(), name, (retry ? "attempt " + attempt + " failed, retrying in " + wait + ": " : "") + e.getMessage());
          } catch (RuntimeException recordFailure) {
            e.addSuppressed(recordFailure);
          }
          if (!retry) {
            throw e;
          }
          listener.stepRetrying(date, name, attempt, wait, e);
          sleep(wait);
        } finally {
          // Job descriptions are thread-local; later jobs of this thread must not inherit the step's.
          catalog.spark().sparkContext().setJobDescription(null);
        }
      }
      checkpoint = branch.snapshots();
      store.stepSucceeded(run.runId(), name, rowsIn.apply(result), rowsOut.apply(result), checkpoint, result);
      listener.stepFinished(date, name, Duration.ofNanos(System.nanoTime() - started), result);
      return result;
    }

    /** Exponential: backoff before the second attempt, doubled before each further one, capped. */
    private Duration backoff(GeolakeConfig.Retry retry, int failedAttempt) {
      Duration wait = retry.backoff().multipliedBy(1L << Math.min(failedAttempt - 1, 20));
      return wait.compareTo(retry.maxBackoff()) > 0 ? retry.maxBackoff() : wait;
    }

    private void sleep(Duration wait) {
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting to retry", e);
      }
    }

    private Map<String, Long> snapshots(StepRecord step) {
      try {
        return RunStore.JSON.readValue(step.snapshots(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Long>>() {});
      } catch (java.io.IOException e) {
        throw new IllegalStateException("Cannot resume run " + run.runId() + ": the snapshots recorded for step " + step.step()
            + " do not read back (" + e.getMessage() + "). Run the date again with --force to start over.", e);
      }
    }

    private <T> T read(StepRecord step, Class<T> type) {
      try {
        return RunStore.JSON.readValue(step.result(), type);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "Cannot resume run " + run.runId() + ": the recorded result of step " + step.step() + " does not read back (" + e.getMessage()
                + "). Run the date again with --force to start over.", e);
      }
    }
  }
}
