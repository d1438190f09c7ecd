package io.geolake.ops.alert;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something an operator must hear about. {@code incident} identifies the underlying problem, so
 * the same failure recurring is one incident, not a stream of messages.
 *
 * @param facts named details (step, error, log, rule, deadline...) in the order they read best
 */
public record Alert(AlertKind kind, LocalDate date, String incident, String title, Map<String, String> facts, Instant at) {

  public static Alert runFailed(LocalDate date, String runId, String step, String error, String log) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("run", runId);
    facts.put("step", step);
    facts.put("error", error);
    facts.put("log", log);
    facts.put("next", "fix the cause, then: geolake run --date " + date + " (resumes from " + step + ")");
    return new Alert(AlertKind.RUN_FAILED, date, "run:" + date, "geolake run of " + date + " failed in step " + step, facts, Instant.now());
  }

  public static Alert qualityFailed(LocalDate date, String rule, String severity, String description) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("rule", rule);
    facts.put("severity", severity);
    facts.put("result", description);
    facts.put("query", "SELECT * FROM ops.quality_results WHERE logical_date = DATE '" + date + "'");
    return new Alert(AlertKind.QUALITY_FAILED, date, "quality:" + date + ":" + rule, "Data-quality rule " + rule + " failed for " + date + " (" + severity + ")",
        facts, Instant.now());
  }

  public static Alert slaMissed(LocalDate date, Instant deadline, String state) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("deadline", deadline.toString());
    facts.put("state", state);
    return new Alert(AlertKind.SLA_MISSED, date, "sla:" + date, "Scores for " + date + " were not published by " + deadline, facts, Instant.now());
  }

  public static Alert recovered(LocalDate date, String runId, String openIncidents) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("run", runId);
    facts.put("closed", openIncidents);
    return new Alert(AlertKind.RUN_RECOVERED, date, "recovered:" + date + ":" + runId, "geolake run of " + date + " recovered", facts, Instant.now());
  }

  /** Scheduled maintenance failed on {@code day}; one incident a day however often it is retried. */
  public static Alert maintenanceFailed(LocalDate day, String error) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("error", error);
    facts.put("next", "fix the cause, then: geolake maintain --dry-run, then geolake maintain (or wait for maintenance.schedule)");
    return new Alert(AlertKind.MAINTENANCE_FAILED, day, "maintenance:" + day, "geolake maintenance failed on " + day, facts, Instant.now());
  }

  /** Scheduled training of model X as of {@code asOf} failed on {@code day}; one incident a day. */
  public static Alert trainingFailed(LocalDate day, LocalDate asOf, String error) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("as of", asOf.toString());
    facts.put("error", error);
    facts.put("next", "fix the cause, then: geolake train --as-of " + asOf + " (or wait for model.schedule); the live version scores meanwhile");
    return new Alert(AlertKind.TRAINING_FAILED, day, "training:" + day, "Training model X as of " + asOf + " failed on " + day, facts, Instant.now());
  }

  /**
   * The live model scored {@code date} though it learned from runs taken back since (geolake
   * revert); one incident per version, closed when another version scores.
   */
  public static Alert modelLearnedFromReverted(LocalDate date, String version, java.util.List<String> runs) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("model", "model X " + version + " (live)");
    facts.put("reverted runs", String.join(", ", runs));
    facts.put("next", "train again once the dates are run again: geolake train --as-of <latest date> (scores go on with " + version + " until then)");
    return new Alert(AlertKind.MODEL_LEARNED_FROM_REVERTED, date, "model-reverted:" + version,
        "Model X " + version + " scored " + date + " but learned from rows since reverted (" + String.join(", ", runs) + ")", facts, Instant.now());
  }

  /** The message as plain text: title, then one "name: value" line per fact. */
  public String text() {
    StringBuilder b = new StringBuilder("[").append(kind.label()).append("] ").append(title);
    facts.forEach((name, value) -> b.append('\n').append(name).append(": ").append(value));
    return b.toString();
  }
}
