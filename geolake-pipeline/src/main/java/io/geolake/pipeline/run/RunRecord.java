package io.geolake.pipeline.run;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One run of a logical date as the run store keeps it.
 *
 * @param attempt how many times the run was started: 1, plus one per resume
 * @param branch the Iceberg branch every table's changes go to until the run publishes them
 * @param holder who runs it: process and host
 */
public record RunRecord(
    String runId,
    LocalDate date,
    int attempt,
    RunState state,
    String branch,
    String holder,
    Instant startedAt,
    Instant finishedAt,
    String error) {}
