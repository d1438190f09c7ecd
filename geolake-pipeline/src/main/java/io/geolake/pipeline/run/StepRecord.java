package io.geolake.pipeline.run;

import java.time.Instant;

/**
 * One step of a run as the run store keeps it.
 *
 * @param snapshots JSON object: table to the snapshot id the step left on the run's branch
 * @param result JSON of the step's result, which a resumed run reads instead of redoing the step
 */
public record StepRecord(
    String runId,
    String step,
    StepState state,
    int attempts,
    Instant startedAt,
    Instant finishedAt,
    Long rowsIn,
    Long rowsOut,
    String snapshots,
    String result,
    String error) {}
