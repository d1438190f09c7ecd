package io.geolake.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.quality.QualityResults;
import io.geolake.pipeline.quality.RuleOutcome;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Scores every device profile of a feature date with the live version of model X into
 * consumption.model_scores, replacing that date's scores. Without a live version it does nothing.
 */
public final class ScoreStep {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;
  private final ModelRegistry registry;

  public ScoreStep(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.config = config;
    this.registry = new ModelRegistry(catalog.spark(), config);
  }

  /** Scores outside a run (the demo, tests): the drift checks are returned, not recorded. */
  public ScoreResult execute(LocalDate featureDate) {
    return execute(featureDate, null);
  }

  /**
   * Scores the feature date and checks drift against the version's baseline; a run ({@code runId}
   * not null) records the checks in ops.quality_results.
   */
  public ScoreResult execute(LocalDate featureDate, String runId) {
    Optional<ModelVersion> live = registry.live();
    if (live.isEmpty()) {
      return ScoreResult.skipped(featureDate);
    }
    ModelVersion version = live.get();
    catalog.spark().sparkContext().setJobDescription("geolake score " + featureDate + " with model X " + version.version());
    Dataset<Row> profiles =
        catalog.spark().sql(
            "SELECT " + ModelFeatures.selectList() + " FROM " + catalog.qualified(Tables.DEVICE_PROFILES)
                + " WHERE feature_date = DATE '" + featureDate + "'");
    Dataset<Row> scored = ModelX.score(registry.load(version.version()), profiles).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> scores =
          scored.select(
              col("feature_date"),
              col("device"),
              col("score"),
              col("score").geq(lit(config.model().threshold())).cast("bigint").as("predicted_label"),
              lit(version.version()).as("model_version"),
              lit(Timestamp.from(Instant.now())).as("scored_at"));
      Row summary = scores.selectExpr("count(*)", "coalesce(sum(predicted_label), 0)", "avg(score)").first();
      catalog.overwrite(Tables.MODEL_SCORES, scores, col("feature_date").equalTo(lit(Date.valueOf(featureDate))));
      long devices = summary.getLong(0);
      List<RuleOutcome> drift = List.of();
      Optional<ModelBaseline> baseline = registry.baseline(version.version());
      if (devices > 0 && baseline.isPresent()) {
        catalog.spark().sparkContext().setJobDescription("geolake score " + featureDate + ": drift against " + version.version() + "'s training data");
        drift = DriftMonitor.check(baseline.get(), scored, version.version(), config.model().driftMaxPsi());
        if (runId != null) {
          QualityResults.append(catalog, featureDate, runId, drift);
        }
      }
      return new ScoreResult(featureDate, version.version(), devices, summary.getLong(1), summary.isNullAt(2) ? 0 : summary.getDouble(2),
          registry.revertedRunsLearnedFrom(version.version()), drift);
    } finally {
      scored.unpersist();
    }
  }
}
