package io.geolake.pipeline.run;

/** Where a run stands. A RUNNING run whose process is gone is resumed by the next run of its date. */
public enum RunState {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /** Published, then taken back by {@code geolake revert}: every table is where the run started. */
  REVERTED
}
