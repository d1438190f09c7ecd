package io.geolake.pipeline.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolake.core.config.ConfigException;
import io.geolake.core.config.Locations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.types.StructType;

/**
 * A user's own model X: an unfitted Spark MLlib Pipeline saved at model.pipeline (with {@code
 * Pipeline.save} from Scala, Java or PySpark). Its stages see every feature as a column, the
 * assembled {@code features} vector and the 0/1 {@code label}, and must end in a probabilistic
 * classifier, since scores are its {@code probability} of class 1.
 */
final class ConfiguredPipeline {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String location;
  private final List<PipelineStage> stages;

  private ConfiguredPipeline(String location, List<PipelineStage> stages) {
    this.location = location;
    this.stages = stages;
  }

  static ConfiguredPipeline load(String location) {
    String uri = Locations.toUri(location).toString();
    Pipeline pipeline;
    try {
      pipeline = Pipeline.load(uri);
    } catch (Exception e) { // Hadoop's IOExceptions come through Scala undeclared
      throw new ConfigException("Cannot load model.pipeline " + location + " as an unfitted Spark MLlib Pipeline: " + loadProblem(e)
          + ". Save one there with Pipeline(stages=[...]).save(path) (PySpark) or new Pipeline().setStages(...).save(path).", e);
    }
    List<PipelineStage> stages = Arrays.asList(pipeline.getStages());
    if (stages.isEmpty()) {
      throw new ConfigException("model.pipeline " + location + " has no stages; it needs at least a probabilistic classifier.");
    }
    return new ConfiguredPipeline(location, stages);
  }

  List<PipelineStage> stages() {
    return stages;
  }

  /** How the version was made, for its version.json: the location and each stage's explicitly set parameters. */
  Map<String, Object> description() {
    List<Map<String, Object>> described = new ArrayList<>();
    for (PipelineStage stage : stages) {
      Map<String, Object> params = new LinkedHashMap<>();
      for (Param<?> param : stage.params()) {
        if (stage.isSet(param)) {
          params.put(param.name(), jsonValue(stage, param));
        }
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("stage", stage.getClass().getSimpleName());
      entry.put("params", params);
      described.add(entry);
    }
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("pipeline", location);
    description.put("stages", described);
    return description;
  }

  /** The stage classes, e.g. {@code pipeline(StandardScaler, LogisticRegression)}: the version's algorithm. */
  String name() {
    return "pipeline(" + String.join(", ", stages.stream().map(s -> s.getClass().getSimpleName()).toList()) + ")";
  }

  /** Refuses a fitted pipeline whose output has no class probabilities to score with. */
  void requireProbabilities(StructType output) {
    if (!Arrays.asList(output.fieldNames()).contains("probability")) {
      throw new ConfigException("model.pipeline " + location + " (" + name() + ") gives no 'probability' column, so it cannot score:"
          + " its last stage must be a probabilistic classifier (e.g. LogisticRegression, GBTClassifier,"
          + " RandomForestClassifier). Its output columns: " + String.join(", ", output.fieldNames()));
    }
  }

  /** Wraps a failure to fit, saying what the examples hold. */
  ConfigException fitFailed(RuntimeException e) {
    return new ConfigException("model.pipeline " + location + " (" + name() + ") failed to fit on model X's examples: " + e.getMessage()
        + ". The examples hold 'features' (the vector of all " + ModelFeatures.names().size() + " features), 'label' (0 or 1)"
        + " and each feature as a column of its own", e);
  }

  @SuppressWarnings("unchecked")
  private static Object jsonValue(PipelineStage stage, Param<?> param) {
    String json = ((Param<Object>) param).jsonEncode(stage.getOrDefault(param));
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String loadProblem(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("PipelineModel")) {
      return "it holds a fitted PipelineModel; save the Pipeline before fit() instead";
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.io.FileNotFoundException || String.valueOf(cause.getMessage()).contains("does not exist")) {
        return "nothing there (" + cause.getMessage() + ")";
      }
    }
    return message;
  }
}
