package io.geolake.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.pipeline.run.RunLock;
import io.geolake.pipeline.run.RunLockedException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
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
 *
 * <p>Changes (a version's name and registration, the live pointer and its history, marks of
 * reverted runs) are made one at a time across threads and processes — serve's scheduled
 * training, {@code geolake train}, {@code geolake promote} and the API may overlap — under {@link
 * #change}; reads take no lock and never see a pointer half-replaced.
 */
public final class ModelRegistry {
  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** How long a change waits for another one (a registration writes a model: seconds). */
  static final Duration CHANGE_PATIENCE = Duration.ofMinutes(5);

  /** Threads of this process change a registry in turn; the lake's lock then orders processes. */
  private static final Map<String, ReentrantLock> CHANGES_IN_PROCESS = new ConcurrentHashMap<>();

  private final GeolakeConfig config;
  private final Path root;
  private final FileSystem fs;

  public ModelRegistry(SparkSession spark, GeolakeConfig config) {
    this.config = config;
    URI uri = Locations.child(Locations.child(Locations.of(config).warehouse(), "_registry"), "model_x");
    this.root = new Path(uri);
    try {
      FileSystem files = FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
      // Locally, without Hadoop's .crc files: replacing live.json is then one rename(2), which
      // readers see whole or not at all; with checksums the .crc follows a moment later.
      this.fs = files instanceof LocalFileSystem local ? local.getRawFileSystem() : files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the model registry at " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Makes a change while no other thread or process changes the registry, waiting up to {@link
   * #CHANGE_PATIENCE} for one that does. Nests: a change may call register and makeLive.
   *
   * @param purpose what is changed, for a holder's name ("register model X as of 2024-05-12")
   * @throws RunLockedException when another change held it for longer than that
   */
  public <T> T change(String purpose, Supplier<T> change) {
    ReentrantLock inProcess = CHANGES_IN_PROCESS.computeIfAbsent(root.toString(), r -> new ReentrantLock());
    try {
      if (!inProcess.tryLock(CHANGE_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new RunLockedException("Cannot " + purpose + ": another change of the model registry in this process has taken over "
            + CHANGE_PATIENCE.toMinutes() + " min. Try again once it is done.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunLockedException("Cannot " + purpose + ": interrupted while waiting for the model registry.");
    }
    try {
      if (inProcess.getHoldCount() > 1) {
        return change.get();
      }
      try (RunLock lock = RunLock.await(config, "model-registry", "the model registry of " + root, purpose, CHANGE_PATIENCE)) {
        return change.get();
      }
    } finally {
      inProcess.unlock();
    }
  }

  public String location() {
    return root.toString();
  }

  /** Registered versions, oldest first. */
  public List<ModelVersion> versions() {
    List<ModelVersion> versions = new ArrayList<>();
    for (String name : versionFolders()) {
      readJson(new Path(new Path(versionsRoot(), name), "version.json"), ModelVersion.class).ifPresent(versions::add);
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
    return readJson(livePath(), LivePointer.class)
        .map(read -> new LivePointer(read.version(), read.history() == null ? List.of() : read.history()))
        .orElseGet(() -> new LivePointer(null, List.of()));
  }

  /** The next version's name; names sort in the order versions were made. */
  public String nextVersion() {
    int highest = versionFolders().stream().mapToInt(n -> Integer.parseInt(n.substring(1))).max().orElse(0);
    return String.format("v%04d", highest + 1);
  }

  /**
   * Stores the model and its baseline, then its metadata; the version exists from the last write
   * on. Name it with {@link #nextVersion} within the same {@link #change}: a name registered
   * already is refused.
   */
  public void register(PipelineModel model, ModelVersion version, ModelBaseline baseline) {
    change("register model X " + version.version(), () -> {
      Path folder = new Path(versionsRoot(), version.version());
      try {
        if (fs.exists(new Path(folder, "version.json"))) {
          throw new IllegalStateException("Model X " + version.version() + " is registered already in " + root
              + ": name a version with nextVersion() in the change that registers it.");
        }
        model.write().overwrite().save(new Path(folder, "model").toString());
        writeJson(new Path(folder, "baseline.json"), baseline);
        writeJson(new Path(folder, "version.json"), version);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot register model version " + version.version() + " in " + root + ": " + e.getMessage(), e);
      }
      return null;
    });
  }

  /**
   * Makes a registered version the one that scores, and records who did it and why in the same
   * write: the pointer and its history never disagree.
   */
  public LiveChange makeLive(String version, String by, String reason) {
    return change("make model X " + version + " live", () -> {
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
    });
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
    return readJson(revertedRunsFile(version), String[].class).map(List::of).orElse(List.of());
  }

  /** Records that the version learned from rows of a run since taken back; the version itself stays as it was trained. */
  public void learnedFromReverted(String version, String runId) {
    change("mark model X " + version + " as trained on reverted run " + runId, () -> {
      List<String> runs = new ArrayList<>(revertedRunsLearnedFrom(version));
      if (runs.contains(runId)) {
        return null;
      }
      runs.add(runId);
      try {
        writeJson(revertedRunsFile(version), runs);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot mark model version " + version + " as trained on reverted run " + runId + ": " + e.getMessage(), e);
      }
      return null;
    });
  }

  private Path revertedRunsFile(String version) {
    return new Path(new Path(versionsRoot(), version), "learned_from_reverted_runs.json");
  }

  /** The distributions the version was trained on; empty for versions registered before baselines were kept. */
  public Optional<ModelBaseline> baseline(String version) {
    return readJson(new Path(new Path(versionsRoot(), version), "baseline.json"), ModelBaseline.class);
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

  /**
   * Writes to a temporary file and renames it over the target, so readers never see half a file.
   * Stores that do not rename over a file (HDFS, S3A) get it deleted first; a reader in between
   * finds the temporary file and waits for the rename (see {@link #readJson}).
   */
  private void writeJson(Path target, Object value) throws IOException {
    Path temp = temporary(target);
    try (OutputStream out = fs.create(temp, true)) {
      JSON.writerWithDefaultPrettyPrinter().writeValue(out, value);
    }
    if (!fs.rename(temp, target)) {
      fs.delete(target, false);
      if (!fs.rename(temp, target)) {
        throw new IOException("Cannot rename " + temp + " to " + target);
      }
    }
  }

  /**
   * The file's value, or empty when there is none. A file missing while its temporary file exists
   * is being replaced on a store that deletes first: it is read again once renamed.
   */
  private <T> Optional<T> readJson(Path file, Class<T> type) {
    try {
      for (int attempt = 0; ; attempt++) {
        try (InputStream in = fs.open(file)) {
          return Optional.of(JSON.readValue(in, type));
        } catch (FileNotFoundException missing) {
          if (attempt == 50 || !fs.exists(temporary(file))) {
            return Optional.empty();
          }
          Thread.sleep(20);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException("Interrupted reading " + file, new java.io.InterruptedIOException());
    }
  }

  private static Path temporary(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".tmp");
  }
}
