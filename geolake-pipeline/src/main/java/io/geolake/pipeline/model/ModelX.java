package io.geolake.pipeline.model;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;

import io.geolake.core.config.GeolakeConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Model X as a Spark MLlib pipeline: the feature vector, then the configured classifier. */
public final class ModelX {
  private ModelX() {}

  /** Fits the configured built-in classifier on examples with the feature columns and a 0/1 {@code label}. */
  public static PipelineModel fit(Dataset<Row> training, GeolakeConfig.Model settings, List<String> features) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("raw_features"));
    switch (settings.algorithm()) {
      case PIPELINE -> throw new IllegalArgumentException("model.algorithm pipeline: fit with the ConfiguredPipeline");
      case GBT ->
          stages.add(
              new GBTClassifier()
                  .setFeaturesCol("raw_features")
                  .setMaxIter(settings.maxIterations())
                  .setMaxDepth(settings.maxDepth())
                  .setMinInstancesPerNode(settings.minInstancesPerNode())
                  .setStepSize(settings.learningRate())
                  // Each round sees 80% of the examples: less variance on small training sets.
                  .setSubsamplingRate(0.8)
                  .setSeed(settings.seed()));
      case RANDOM_FOREST ->
          stages.add(
              new RandomForestClassifier()
                  .setFeaturesCol("raw_features")
                  .setNumTrees(settings.maxIterations())
                  .setMaxDepth(settings.maxDepth())
                  .setMinInstancesPerNode(settings.minInstancesPerNode())
                  .setSeed(settings.seed()));
      case LOGISTIC_REGRESSION -> {
        stages.add(new StandardScaler().setInputCol("raw_features").setOutputCol("scaled_features"));
        stages.add(new LogisticRegression().setFeaturesCol("scaled_features").setMaxIter(settings.maxIterations()));
      }
    }
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(ordered(training));
  }

  /**
   * Fits a user's pipeline (model.pipeline) behind a VectorAssembler of the features into {@code
   * features}, so the fitted model scores profiles exactly as a built-in one does. The whole chain's
   * schema is checked before fitting: a missing column or a last stage without probabilities fails
   * in seconds, not after the fit.
   */
  static PipelineModel fit(Dataset<Row> training, ConfiguredPipeline configured, List<String> features) {
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new VectorAssembler().setInputCols(features.toArray(String[]::new)).setOutputCol("features"));
    stages.addAll(configured.stages());
    Pipeline pipeline = new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
    Dataset<Row> examples = ordered(training);
    try {
      configured.requireProbabilities(pipeline.transformSchema(examples.schema()));
      return pipeline.fit(examples);
    } catch (IllegalArgumentException e) {
      throw configured.fitFailed(e);
    }
  }

  /**
   * The same examples in the same partitions and order whatever files they were read from, so
   * seeded subsampling, and with it the model, repeat exactly.
   */
  private static Dataset<Row> ordered(Dataset<Row> training) {
    return training.repartition(col("feature_date"), col("device")).sortWithinPartitions("feature_date", "device");
  }

  /** The rows with a {@code score} column: the predicted probability of a visit. */
  public static Dataset<Row> score(PipelineModel model, Dataset<Row> rows) {
    Dataset<Row> predicted = model.transform(rows);
    return predicted.withColumn("score", vector_to_array(col("probability"), "float64").getItem(1));
  }
}
