package io.geolake.pipeline.testing;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.model.DriftMonitor;
import io.geolake.pipeline.model.ModelFeatures;
import io.geolake.pipeline.model.ModelMetrics;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.model.ModelVersion;
import io.geolake.pipeline.model.ModelX;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Real versions of model X in a test lake's registry without a week of data to train on: a
 * logistic regression fitted on eight made-up profiles, registered as training would. For tests
 * of what operators do with versions (list them, make one live), not of what the model learns.
 */
public final class RegisteredVersions {
  private RegisteredVersions() {}

  /** Registers the next version, predicting {@code horizonDays}; {@code aucRoc} is what its metadata says it scored. */
  public static ModelVersion register(SparkSession spark, GeolakeConfig config, int horizonDays, double aucRoc) {
    return register(spark, config, horizonDays, aucRoc, LocalDate.of(2024, 5, 12));
  }

  /** Registers the next version as if trained as of {@code asOf}. */
  public static ModelVersion register(SparkSession spark, GeolakeConfig config, int horizonDays, double aucRoc, LocalDate asOf) {
    return register(spark, config, horizonDays, aucRoc, asOf, () -> {});
  }

  /**
   * Registers the next version; {@code fitted} runs once the model is fitted, before the version is
   * named: tests of overlapping registrations line their threads up there.
   */
  public static ModelVersion register(SparkSession spark, GeolakeConfig config, int horizonDays, double aucRoc, LocalDate asOf, Runnable fitted) {
    List<String> features = ModelFeatures.names();
    Dataset<Row> examples = madeUpExamples(spark);
    GeolakeConfig.Model settings = BaseSparkTest.config(java.nio.file.Path.of("unused"), "model.algorithm=logistic-regression", "model.max-iterations=5").model();
    PipelineModel model = ModelX.fit(examples, settings, features);
    ModelRegistry registry = new ModelRegistry(spark, config);
    ModelMetrics metrics = new ModelMetrics(aucRoc, 0.5, 0.6, 0.25, 8);
    var baseline = DriftMonitor.baseline(examples, ModelX.score(model, examples), features);
    fitted.run();
    return registry.change("register a test's version", () -> {
      ModelVersion version =
          new ModelVersion(registry.nextVersion(), Instant.now(), asOf, "logistic-regression", Map.of(), horizonDays, asOf.minusDays(6),
              asOf.minusDays(3), asOf.minusDays(2), asOf.minusDays(1), 8, 0.5, features, metrics, null, Map.of(), false, "registered by a test");
      registry.register(model, version, baseline);
      return version;
    });
  }

  /** Eight training examples as TrainingSet gives them (feature_date, device, label, the features), half of them positive. */
  public static Dataset<Row> madeUpExamples(SparkSession spark) {
    List<String> features = ModelFeatures.names();
    StructType schema = new StructType().add("feature_date", DataTypes.DateType).add("device", DataTypes.StringType).add("label", DataTypes.DoubleType);
    for (String feature : features) {
      schema = schema.add(feature, DataTypes.DoubleType);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      List<Object> values = new ArrayList<>(List.of(Date.valueOf(LocalDate.of(2024, 5, 6)), "device-" + i, (double) (i % 2)));
      for (int f = 0; f < features.size(); f++) {
        values.add((double) (i % 2) * 10 + f + i);
      }
      rows.add(RowFactory.create(values.toArray()));
    }
    return spark.createDataFrame(rows, schema);
  }
}
