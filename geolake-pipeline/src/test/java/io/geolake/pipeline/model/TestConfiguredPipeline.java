package io.geolake.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.geolake.core.config.ConfigException;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.RegisteredVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** model.algorithm pipeline: a user's saved, unfitted MLlib Pipeline as model X, and what is refused with which message. */
class TestConfiguredPipeline extends BaseSparkTest {
  private static Path dir;
  private static Dataset<Row> examples;

  @BeforeAll
  static void examples() throws Exception {
    dir = Files.createTempDirectory("geolake-pipeline");
    examples = RegisteredVersions.madeUpExamples(spark);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    org.apache.commons.io.FileUtils.deleteDirectory(dir.toFile());
  }

  @Test
  void aSavedPipelineIsFittedBehindTheFeatureVectorAndScoresAsABuiltInDoes() {
    String location = save("scaled-lr", new StandardScaler().setInputCol("features").setOutputCol("scaled"),
        new LogisticRegression().setFeaturesCol("scaled").setMaxIter(7).setRegParam(0.01));
    ConfiguredPipeline configured = ConfiguredPipeline.load(location);
    assertThat(configured.name()).isEqualTo("pipeline(StandardScaler, LogisticRegression)");

    PipelineModel model = ModelX.fit(examples, configured, ModelFeatures.names());
    assertThat(model.stages()[0]).isInstanceOf(VectorAssembler.class);
    assertThat(((VectorAssembler) model.stages()[0]).getOutputCol()).isEqualTo("features");
    assertThat(((VectorAssembler) model.stages()[0]).getInputCols()).containsExactlyElementsOf(ModelFeatures.names());
    assertThat(model.stages()[2]).isInstanceOf(LogisticRegressionModel.class);
    assertThat(((LogisticRegressionModel) model.stages()[2]).getRegParam()).isEqualTo(0.01);
    // The made-up positives have larger values in every feature: the scores rank them first.
    List<Row> scored = ModelX.score(model, examples).orderBy("score").select("label", "score").collectAsList();
    assertThat(scored).allSatisfy(r -> assertThat(r.getDouble(1)).isBetween(0.0, 1.0));
    assertThat(scored.subList(0, 4)).allSatisfy(r -> assertThat(r.getDouble(0)).isEqualTo(0.0));
    assertThat(scored.subList(4, 8)).allSatisfy(r -> assertThat(r.getDouble(0)).isEqualTo(1.0));

    // version.json keeps what was set on each stage, since the file at model.pipeline may change later.
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> stages = (List<Map<String, Object>>) configured.description().get("stages");
    assertThat(configured.description()).containsEntry("pipeline", location);
    assertThat(stages).extracting(s -> s.get("stage")).containsExactly("StandardScaler", "LogisticRegression");
    assertThat(stages.get(1).get("params").toString()).contains("maxIter=7", "regParam=0.01", "featuresCol=\"scaled\"");
  }

  @Test
  void nothingAtTheLocationIsAConfigErrorNamingTheKeyAndHowToSaveOne() {
    Throwable thrown = catchThrowable(() -> ConfiguredPipeline.load(dir.resolve("missing").toString()));
    assertThat(thrown).isInstanceOf(ConfigException.class)
        .hasMessageContaining("model.pipeline " + dir.resolve("missing"))
        .hasMessageContaining("nothing there")
        .hasMessageContaining(".save(path)");
  }

  @Test
  void aFittedPipelineModelIsRefusedWithWhatToSaveInstead() throws Exception {
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(ModelFeatures.names().toArray(String[]::new)).setOutputCol("features"),
        new LogisticRegression().setMaxIter(3)}).fit(examples);
    String location = dir.resolve("fitted").toString();
    fitted.write().overwrite().save(location);
    assertThat(catchThrowable(() -> ConfiguredPipeline.load(location)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fitted PipelineModel")
        .hasMessageContaining("before fit()");
  }

  @Test
  void aPipelineWithoutAClassifierCannotScoreAndSaysWhatItGives() {
    ConfiguredPipeline scalerOnly = ConfiguredPipeline.load(save("scaler-only", new StandardScaler().setInputCol("features").setOutputCol("scaled")));
    assertThat(catchThrowable(() -> ModelX.fit(examples, scalerOnly, ModelFeatures.names())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no 'probability' column")
        .hasMessageContaining("probabilistic classifier")
        .hasMessageContaining("scaled");
  }

  @Test
  void aStageReadingAColumnTheExamplesLackNamesTheColumnsItCanRead() {
    ConfiguredPipeline wrongColumn = ConfiguredPipeline.load(save("wrong-column", new LogisticRegression().setFeaturesCol("my_vector")));
    assertThat(catchThrowable(() -> ModelX.fit(examples, wrongColumn, ModelFeatures.names())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("failed to fit on model X's examples")
        .hasMessageContaining("my_vector")
        .hasMessageContaining("'features' (the vector of all 14 features)")
        .hasMessageContaining("radius_of_gyration_m");
  }

  @Test
  void trainingReadsThePipelineBeforeAnyData() {
    // An empty lake: were the pipeline read after the training set, this would say "no training examples".
    GeolakeConfig config = config(dir.resolve("lake"), "model.algorithm=pipeline", "model.pipeline=" + dir.resolve("nowhere"));
    assertThat(catchThrowable(() -> new TrainStep(catalog(config), config).train(LocalDate.of(2024, 5, 12))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("model.pipeline");
  }

  @Test
  void theReadmeNamesTheFeaturesAPipelineSeesInTheVectorsOrder() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String list = readme.substring(readme.indexOf("derived from the device's"), readme.indexOf("in the vector's order"));
    List<String> named = java.util.regex.Pattern.compile("`([a-z0-9_]+)`").matcher(list).results().map(m -> m.group(1)).toList();
    assertThat(named).containsExactlyElementsOf(ModelFeatures.names());
  }

  private static String save(String name, PipelineStage... stages) {
    String location = dir.resolve(name).toString();
    try {
      new Pipeline().setStages(stages).write().overwrite().save(location);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return location;
  }
}
