package io.geolake.pipeline.run;

import io.geolake.pipeline.features.FeaturesResult;
import io.geolake.pipeline.model.ScoreResult;
import io.geolake.pipeline.quality.QualityResult;
import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.staging.StageResult;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The outcome of one successful daily run.
 *
 * @param attempt 1 for a run that went through at once, more when it was resumed
 */
public record RunReport(
    LocalDate date,
    String runId,
    int attempt,
    IngestResult ingest,
    StageResult stage,
    FeaturesResult features,
    QualityResult quality,
    ScoreResult score,
    Duration took) {}
