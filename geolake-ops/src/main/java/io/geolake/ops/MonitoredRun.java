package io.geolake.ops;

import io.geolake.ops.alert.Alert;
import io.geolake.ops.alert.Alerter;
import io.geolake.ops.metrics.RunMetrics;
import io.geolake.pipeline.model.ScoreResult;
import io.geolake.pipeline.quality.QualityGateException;
import io.geolake.pipeline.quality.RuleOutcome;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.DateRunner;
import io.geolake.pipeline.run.RunLockedException;
import io.geolake.pipeline.run.RunRecord;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.run.StepRecord;
import io.geolake.pipeline.run.StepState;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A daily run as operations sees it: a failure raises a "run failed" incident (the step, the
 * error, where to look), failed quality rules raise theirs, a success closes the date's open
 * incidents ("recovered"), and both feed the metrics. Used by run, backfill and serve alike.
 */
public final class MonitoredRun implements DateRunner {
  private final DailyRun run;
  private final RunStore store;
  private final Alerter alerter;
  private final RunMetrics metrics;

  public MonitoredRun(DailyRun run, RunStore store, Alerter alerter, RunMetrics metrics) {
    this.run = run;
    this.store = store;
    this.alerter = alerter;
    this.metrics = metrics;
  }

  @Override
  public RunReport run(LocalDate date, boolean startOver) {
    long started = System.nanoTime();
    RunReport report;
    try {
      report = run.run(date, startOver);
    } catch (RunLockedException e) {
      throw e; // another run is busy with the lake: not an incident
    } catch (RuntimeException | Error e) {
      metrics.runFailed(Duration.ofNanos(System.nanoTime() - started));
      if (e instanceof QualityGateException gate) {
        gate.result().failures().forEach(o -> qualityFailed(date, o));
      }
      Optional<RunRecord> failed = store.latest(date);
      String runId = failed.map(RunRecord::runId).orElse("(not recorded)");
      String step =
          failed.flatMap(r -> store.steps(r.runId()).stream().filter(s -> s.state() == StepState.FAILED).map(StepRecord::step).reduce((a, b) -> b))
              .orElse("(before the first step)");
      String log = "geolake runs --date " + date + " (every step's state and error); the log of " + failed.map(RunRecord::holder).orElse("this process");
      alerter.raise(Alert.runFailed(date, runId, step, firstLines(String.valueOf(e.getMessage())), log));
      throw e;
    }
    // Warn-severity failures of a run that succeeded: raised, and kept open by the "recovered" below,
    // which closes what earlier runs of the date left open.
    java.util.Set<String> stillFailing = new java.util.HashSet<>();
    java.util.stream.Stream.concat(report.quality().failures().stream(), report.score().driftFailures().stream())
        .forEach(o -> stillFailing.add(qualityFailed(date, o)));
    metrics.runSucceeded(report);
    alerter.recovered(date, report.runId(), stillFailing);
    // After "recovered", which closes the date's incidents: this one lasts until the model is trained again.
    ScoreResult score = report.score();
    if (score.scored() && !score.revertedRunsLearnedFrom().isEmpty()) {
      alerter.raise(Alert.modelLearnedFromReverted(date, score.modelVersion(), score.revertedRunsLearnedFrom()));
    } else if (score.scored()) {
      alerter.modelScoresClean();
    }
    return report;
  }

  /** Raises the rule's incident; returns its key. */
  private String qualityFailed(LocalDate date, RuleOutcome outcome) {
    metrics.qualityFailed(outcome);
    Alert alert = Alert.qualityFailed(date, outcome.rule(), outcome.severity(), outcome.describe());
    alerter.raise(alert);
    return alert.incident();
  }

  private static String firstLines(String message) {
    return message.lines().limit(8).reduce((a, b) -> a + "\n" + b).orElse(message);
  }
}
