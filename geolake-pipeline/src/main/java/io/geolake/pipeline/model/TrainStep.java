package io.geolake.pipeline.model;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.run.DataException;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains model X as of a cut-off date, registers the new version, and makes it live if it is not
 * worse than the live version on the same hold-out (by model.promotion-metric, within model.promotion-tolerance).
 */
public final class TrainStep {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;
  private final ModelRegistry registry;

  public TrainStep(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.config = config;
    this.registry = new ModelRegistry(catalog.spark(), config);
  }

  public TrainResult train(LocalDate asOf) {
    long started = System.nanoTime();
    GeolakeConfig.Model settings = config.model();
    // A user's pipeline is read first: a wrong model.pipeline fails before the training set is built.
    ConfiguredPipeline configured =
        settings.algorithm() == GeolakeConfig.Algorithm.PIPELINE ? ConfiguredPipeline.load(settings.pipeline()) : null;
    catalog.ensureTables(config);
    Map<String, Long> snapshots = new LinkedHashMap<>();
    for (TableDefinition input : List.of(Tables.DEVICE_PROFILES, Tables.VISITS)) {
      snapshots.put(input.qualifiedName(), catalog.currentSnapshotId(input));
    }
    catalog.spark().sparkContext().setJobDescription("geolake train as of " + asOf + ": training set");
    TrainingSet set = TrainingSet.asOf(catalog, settings, asOf);
    Dataset<Row> training = set.training().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> holdout = set.holdout().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row counts = training.selectExpr("count(*)", "coalesce(sum(label), 0)").first();
      long rows = counts.getLong(0);
      double positives = counts.getDouble(1);
      if (positives == 0 || positives == rows) {
        throw new DataException(
            "Cannot train model X as of " + asOf + ": the " + rows + " training examples (feature dates " + set.trainFrom() + " to "
                + set.trainTo() + ") have " + (positives == 0 ? "no visit" : "only visits") + " in their " + settings.horizonDays()
                + "-day horizon. Run the pipeline for more dates first"
                + (config.features().places().configured() ? "" : ", with features.places.geofences set (no places, no visits)")
                + ", or move --as-of.");
      }
      if (holdout.isEmpty()) {
        throw new DataException(
            "Cannot train model X as of " + asOf + ": no device profiles for the hold-out feature dates " + set.holdoutFrom() + " to "
                + set.holdoutTo() + ". Run the pipeline for those dates first, or move --as-of.");
      }
      List<String> features = ModelFeatures.names();
      String algorithm =
          configured != null ? configured.name() : settings.algorithm().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      catalog.spark().sparkContext().setJobDescription("geolake train as of " + asOf + ": fit " + algorithm);
      PipelineModel model = configured != null ? ModelX.fit(training, configured, features) : ModelX.fit(training, settings, features);
      catalog.spark().sparkContext().setJobDescription("geolake train as of " + asOf + ": evaluate");
      // Scored once for the metrics and for the drift baseline.
      Dataset<Row> scored = ModelX.score(model, holdout).select("score", "label").persist(StorageLevel.MEMORY_AND_DISK());
      try {
        ModelMetrics metrics = ModelMetrics.of(scored);
        catalog.spark().sparkContext().setJobDescription("geolake train as of " + asOf + ": baseline for drift");
        ModelBaseline baseline = DriftMonitor.baseline(training, scored, features);
        // Compared with the version live at registration, named and registered in the same change:
        // a promotion or training that overlaps this one happens wholly before or after it.
        return registry.change("register model X trained as of " + asOf, () -> {
          catalog.spark().sparkContext().setJobDescription("geolake train as of " + asOf + ": compare with the live version");
          Optional<ModelVersion> live = registry.live();
          ModelMetrics liveMetrics = live.map(v -> ModelMetrics.of(ModelX.score(registry.load(v.version()), holdout))).orElse(null);
          Promotion promotion =
              Promotion.decide(metrics, live.map(ModelVersion::version).orElse(null), liveMetrics, settings.promotionMetric(), settings.promotionTolerance());
          ModelVersion version =
              new ModelVersion(
                  registry.nextVersion(),
                  Instant.now(),
                  asOf,
                  algorithm,
                  parameters(settings, configured),
                  settings.horizonDays(),
                  set.trainFrom(),
                  set.trainTo(),
                  set.holdoutFrom(),
                  set.holdoutTo(),
                  rows,
                  positives / rows,
                  features,
                  metrics,
                  liveMetrics,
                  snapshots,
                  promotion.promote(),
                  promotion.decision());
          registry.register(model, version, baseline);
          if (promotion.promote()) {
            registry.makeLive(version.version(), "geolake train --as-of " + asOf, promotion.decision());
          }
          return new TrainResult(version, live.map(ModelVersion::version).orElse(null), Duration.ofNanos(System.nanoTime() - started));
        });
      } finally {
        scored.unpersist();
      }
    } finally {
      training.unpersist();
      holdout.unpersist();
      catalog.spark().sparkContext().setJobDescription(null);
    }
  }

  public ModelRegistry registry() {
    return registry;
  }

  private static Map<String, Object> parameters(GeolakeConfig.Model settings, ConfiguredPipeline configured) {
    Map<String, Object> p = new LinkedHashMap<>();
    if (configured != null) {
      p.putAll(configured.description());
    } else {
      p.put("max_iterations", settings.maxIterations());
      p.put("max_depth", settings.maxDepth());
      p.put("min_instances_per_node", settings.minInstancesPerNode());
      p.put("learning_rate", settings.learningRate());
      p.put("seed", settings.seed());
    }
    p.put("threshold", settings.threshold());
    p.put("training_days", settings.trainingDays());
    p.put("holdout_days", settings.holdoutDays());
    return p;
  }
}
