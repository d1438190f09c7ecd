package io.geolake.ops.metrics;

import io.geolake.pipeline.quality.RuleOutcome;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunReport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.LocalDate;

/**
 * What the runs did, as Micrometer meters: run and step durations, rows per layer, rejects and
 * quarantined rows by reason, failed quality rules, SLA misses. Prometheus names get the usual
 * suffixes (geolake_run_duration_seconds, geolake_rows_total, ...).
 */
public final class RunMetrics implements RunListener {
  private final MeterRegistry registry;

  public RunMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void stepFinished(LocalDate date, String step, Duration took, Object result) {
    Timer.builder("geolake.step.duration").description("Duration of a run step").tag("step", step).register(registry).record(took);
  }

  @Override
  public void stepRetrying(LocalDate date, String step, int failedAttempt, Duration wait, Throwable error) {
    registry.counter("geolake.step.retries", "step", step).increment();
  }

  public void runSucceeded(RunReport report) {
    runTimer("succeeded").record(report.took());
    rows("raw", report.ingest().rawRows());
    rows("rejected", report.ingest().rejectedRows());
    rows("staging", report.stage().inserted() + report.stage().updated());
    rows("quarantine", report.stage().quarantinedByReason().values().stream().mapToLong(Long::longValue).sum());
    rows("consumption", report.features().stayPoints() + report.features().featureRows() + report.features().profileRows());
    rows("scores", report.score().devices());
    report.ingest().rejectsByReason().forEach((reason, n) -> registry.counter("geolake.rejects", "layer", "raw", "reason", reason).increment(n));
    report.stage().quarantinedByReason().forEach((reason, n) -> registry.counter("geolake.rejects", "layer", "staging", "reason", reason).increment(n));
  }

  public void runFailed(Duration took) {
    runTimer("failed").record(took);
  }

  public void qualityFailed(RuleOutcome outcome) {
    registry.counter("geolake.quality.failures", "rule", outcome.rule(), "severity", outcome.severity()).increment();
  }

  public void slaMissed() {
    registry.counter("geolake.sla.misses").increment();
  }

  private Timer runTimer(String outcome) {
    return Timer.builder("geolake.run.duration").description("Duration of a daily run").tag("outcome", outcome).register(registry);
  }

  private void rows(String layer, long n) {
    registry.counter("geolake.rows", "layer", layer).increment(n);
  }
}
