package io.geolake.pipeline.quality;

import io.geolake.pipeline.run.DataException;
import java.util.List;
import java.util.stream.Collectors;

/** An error-severity data-quality rule failed: the run stops before scoring. Not retried. */
public final class QualityGateException extends DataException {
  private final QualityResult result;

  public QualityGateException(QualityResult result) {
    super(message(result));
    this.result = result;
  }

  public QualityResult result() {
    return result;
  }

  private static String message(QualityResult result) {
    List<RuleOutcome> errors = result.failures().stream().filter(RuleOutcome::failedError).toList();
    return "Data-quality gate failed for " + result.date() + ": " + errors.size() + " error rule(s) failed, scoring not run:\n  "
        + errors.stream().map(RuleOutcome::describe).collect(Collectors.joining("\n  "))
        + "\nSee ops.quality_results (geolake sql \"SELECT * FROM ops.quality_results WHERE logical_date = DATE '" + result.date()
        + "'\"); fix the data or the rule (quality.rules), then run the date again.";
  }
}
