package io.geolake.pipeline.run;

/** Where a step of a run stands. */
public enum StepState {
  /** Not started yet: the run has not reached it, or stopped before it and can resume it. */
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Will not run in this run: a gate upstream (reject guard, quality gate) stopped the run for good. */
  SKIPPED
}
