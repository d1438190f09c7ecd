package io.geolake.pipeline.run;

/** Where a step of a run stands. */
public enum StepState {
  RUNNING,
  SUCCEEDED,
  FAILED
}
