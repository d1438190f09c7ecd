package io.geolake.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.geolake.core.config.Locations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.SparkSession;

/**
 * Versions of model X on the warehouse storage (local, HDFS or S3 through Hadoop's FileSystem):
 *
 * <pre>
 * &lt;warehouse&gt;/_registry/model_x/versions/v0001/model/          Spark ML pipeline
 * &lt;warehouse&gt;/_registry/model_x/versions/v0001/baseline.json   {@link ModelBaseline}: training distributions, for drift
 * &lt;warehouse&gt;/_registry/model_x/versions/v0001/version.json    {@link ModelVersion}
 * &lt;warehouse&gt;/_registry/model_x/versions/v0001/learned_from_reverted_runs.json   ["2024-05-07-1"], when a run it read was reverted
 * &lt;warehouse&gt;/_registry/model_x/live.json                      {"version": "v0002", "history": [{@link LiveChange}, ...]}
 * </pre>
 *
 * A version exists once its version.json is written, after the model: a training run that died
 * halfway leaves a folder without it, which is ignored.
 */
public final class ModelRegistry {
  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final SparkSession spark;
  private final Path root;
  private final FileSystem fs;

  public ModelRegistry(SparkSession spark, Locations locations) {
    this.spark = spark;
    URI uri = Locations.child(Locations.child(locations.warehouse(), "_registry"), "model_x");
    this.root = new Path(uri);
    try {
      this.fs = FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the model registry at " + uri + ": " + e.getMessage(), e);
    }
  }

  public String location() {
    return root.toString();
  }

  /** Registered versions, oldest first. */
  public List<ModelVersion> versions() {
    List<ModelVersion> versions = new ArrayList<>();
    for (String name : versionFolders()) {
      Path metadata = new Path(new Path(versionsRoot(), name), "version.json");
      try {
        if (fs.exists(metadata)) {
          try (InputStream in = fs.open(metadata)) {
            versions.add(JSON.readValue(in, ModelVersion.class));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + metadata + ": " + e.getMessage(), e);
      }
    }
    versions.sort(Comparator.comparing(ModelVersion::version));
    return versions;
  }

  public Optional<ModelVersion> live() {
    String version = livePointer().version();
    return version == null ? Optional.empty() : versions().stream().filter(v -> v.version().equals(version)).findFirst();
  }

  /** Every change of the live version, oldest first (empty for registries from before it was kept). */
  public List<LiveChange> liveHistory() {
    return livePointer().history();
  }

  private LivePointer livePointer() {
    Path pointer = livePath();
    try {
      if (!fs.exists(pointer)) {
        return new LivePointer(null, List.of());
      }
      try (InputStream in = fs.open(pointer)) {
        LivePointer read = JSON.readValue(in, LivePointer.class);
        return new LivePointer(read.version(), read.history() == null ? List.of() : read.history());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + pointer + ": " + e.getMessage(), e);
    }
  }

  /** The next version's name; names sort in the order versions were made. */
  public String nextVersion() {
    int highest = versionFolders().stream().mapToInt(n -> Integer.parseInt(n.substring(1))).max().orElse(0);
    return String.format("v%04d", highest + 1);
  }

  /** Stores the model and its baseline, then its metadata; the version exists from the last write on. */
  public void register(PipelineModel model, ModelVersion version, ModelBaseline baseline) {
    Path folder = new Path(versionsRoot(), version.version());
    try {
      model.write().overwrite().save(new Path(folder, "model").toString());
      writeJson(new Path(folder, "baseline.json"), baseline);
      writeJson(new Path(folder, "version.json"), version);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot register model version " + version.version() + " in " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes a registered version the one that scores, and records who did it and why in the same
   * write: the pointer and its history never disagree.
   */
  public LiveChange makeLive(String version, String by, String reason) {
    LivePointer current = livePointer();
    LiveChange change = new LiveChange(version, current.version(), Instant.now(), by, reason);
    List<LiveChange> history = new ArrayList<>(current.history());
    history.add(change);
    try {
      writeJson(livePath(), new LivePointer(version, history));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make model version " + version + " live: " + e.getMessage(), e);
    }
    return change;
  }

  private Path livePath() {
    return new Path(root, "live.json");
  }

  /** live.json: the live version and how it came to be live. */
  record LivePointer(@JsonProperty("version") String version, @JsonProperty("history") List<LiveChange> history) {}

  /**
   * The runs whose rows this version learned from and that were taken back since (geolake
   * revert), in the order they were; empty for most versions.
   */
  public List<String> revertedRunsLearnedFrom(String version) {
    Path marks = revertedRunsFile(version);
    try {
      if (!fs.exists(marks)) {
        return List.of();
      }
      try (InputStream in = fs.open(marks)) {
        return List.of(JSON.readValue(in, String[].class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + marks + ": " + e.getMessage(), e);
    }
  }

  /** Records that the version learned from rows of a run since taken back; the version itself stays as it was trained. */
  public void learnedFromReverted(String version, String runId) {
    List<String> runs = new ArrayList<>(revertedRunsLearnedFrom(version));
    if (runs.contains(runId)) {
      return;
    }
    runs.add(runId);
    try {
      writeJson(revertedRunsFile(version), runs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot mark model version " + version + " as trained on reverted run " + runId + ": " + e.getMessage(), e);
    }
  }

  private Path revertedRunsFile(String version) {
    return new Path(new Path(versionsRoot(), version), "learned_from_reverted_runs.json");
  }

  /** The distributions the version was trained on; empty for versions registered before baselines were kept. */
  public Optional<ModelBaseline> baseline(String version) {
    Path file = new Path(new Path(versionsRoot(), version), "baseline.json");
    try {
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        return Optional.of(JSON.readValue(in, ModelBaseline.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public PipelineModel load(String version) {
    return PipelineModel.load(new Path(new Path(versionsRoot(), version), "model").toString());
  }

  private Path versionsRoot() {
    return new Path(root, "versions");
  }

  private List<String> versionFolders() {
    try {
      if (!fs.exists(versionsRoot())) {
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (FileStatus status : fs.listStatus(versionsRoot())) {
        String name = status.getPath().getName();
        if (status.isDirectory() && name.matches("v\\d+")) {
          names.add(name);
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list model versions in " + root + ": " + e.getMessage(), e);
    }
  }

  /** Writes to a temporary file and renames it, so readers never see half a file. */
  private void writeJson(Path target, Object value) throws IOException {
    Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try (OutputStream out = fs.create(temp, true)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, value);
    }
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      throw new IOException("Cannot rename " + temp + " to " + target);
    }
  }
}
