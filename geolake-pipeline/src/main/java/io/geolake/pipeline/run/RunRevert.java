package io.geolake.pipeline.run;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.model.ModelVersion;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Takes back what a date's last run published ({@code geolake revert}), for a delivery found bad
 * after it was published. The newest delivery wins a key, so running a corrected delivery cannot
 * take back the rows of a bad one that the corrected one does not hold; reverting the run first
 * does.
 *
 * <p>Only the lake's latest published changes can be taken back: main of every table must still
 * be at the snapshot the run published, or already back where the run started (a revert that
 * stopped part way is finished by running it again). Anything committed since — a later date's
 * run, maintenance, an erasure — is named and nothing changes: rolling back over it would undo
 * it too. Each table goes back in a commit of its own (Iceberg's rollback makes the earlier
 * snapshot current again; no data file is written); then the run is marked {@link
 * RunState#REVERTED}, which serve's catch-up of missed dates leaves alone.
 */
public final class RunRevert {
  /**
   * One table's part of a revert.
   *
   * @param published the snapshot the run published, main's current one unless already reverted
   * @param startedFrom the snapshot the run's branch began at: main's, or an empty one Iceberg made
   *     for a table that had none
   */
  public record TableChange(String table, Long published, Long startedFrom, long rowsPublished, long rowsBefore, boolean alreadyReverted) {
    public boolean changes() {
      return !alreadyReverted && !Objects.equals(published, startedFrom);
    }
  }

  /**
   * @param tables every table, in the order they are (or would be) reverted
   * @param trainedSince versions of model X trained after the run published ("v0003", "v0004
   *     (live)"): they learned from rows the revert takes back
   */
  public record Result(RunRecord run, List<TableChange> tables, boolean dryRun, List<String> trainedSince) {}

  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  public RunRevert(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.config = requireNonNull(config, "config is null");
  }

  /** @param by who asks, recorded with the run: "cli: ana", "api: root" */
  public Result revert(LocalDate date, boolean dryRun, String by) {
    try (RunLock lock = RunLock.acquire(config, (dryRun ? "a dry run of geolake revert " : "geolake revert ") + date)) {
      RunStore store = new RunStore(config);
      RunRecord run = store.latest(date).orElseThrow(() -> new RevertRefusedException("No run of " + date + " to revert: geolake runs lists the runs."));
      if (run.state() != RunState.SUCCEEDED) {
        throw new RevertRefusedException(
            "The last run of " + date + " (" + run.runId() + ") is " + run.state() + ", not published: only a published run can be reverted"
                + (run.state() == RunState.REVERTED ? " (it was reverted already)." : "; its changes never reached main."));
      }
      Map<String, Long> startedFrom = snapshots(store, run, DailyRun.BRANCH_MADE);
      Map<String, Long> published = snapshots(store, run, "publish");
      List<TableChange> changes = new ArrayList<>();
      List<String> movedOn = new ArrayList<>();
      List<RunRecord> laterRuns = publishedSince(store, run);
      // Commits a later run did not publish (maintain, forget) are listed table by table.
      Map<String, Long> lastPublished = laterRuns.isEmpty() ? published : snapshots(store, laterRuns.get(0), "publish");
      for (TableDefinition definition : Tables.ALL) {
        Table table = catalog.table(definition);
        String name = definition.qualifiedName();
        Long from = startedFrom.get(name);
        Long to = published.get(name);
        Snapshot current = table.currentSnapshot();
        Long main = current == null ? null : current.snapshotId();
        boolean reverted = !Objects.equals(from, to) && Objects.equals(main, from);
        if (!Objects.equals(main, to) && !reverted && (laterRuns.isEmpty() || !Objects.equals(main, lastPublished.get(name)))) {
          movedOn.add(name + ": " + since(table, lastPublished.get(name)));
        }
        // A run's branch starts at a snapshot even on an empty table (Iceberg makes an empty one).
        if (!Objects.equals(from, to) && (from == null || table.snapshot(from) == null) && !reverted) {
          movedOn.add(name + ": the snapshot the run started from (" + from + ") is gone (expired by geolake maintain, maintenance.snapshot-retention)");
        }
        changes.add(new TableChange(name, to, from, records(table, to), records(table, from), reverted));
      }
      if (!laterRuns.isEmpty() || !movedOn.isEmpty()) {
        StringBuilder why = new StringBuilder("Cannot revert the run of " + date + " (" + run.runId() + "): the lake changed after it published, and going back would undo that too.");
        if (!laterRuns.isEmpty()) {
          why.append("\n  Runs published since: ")
              .append(String.join(", ", laterRuns.stream().map(r -> r.date() + " (" + r.runId() + ")").toList()))
              .append(". Revert later dates' runs first, newest first: geolake revert --date ").append(laterRuns.get(0).date()).append('.');
        }
        if (!movedOn.isEmpty()) {
          why.append("\n  Committed since, not by a published run (geolake maintain, geolake forget, the demo's scoring, the evidence a gate published; these cannot be reverted):\n    ").append(String.join("\n    ", movedOn));
        }
        throw new RevertRefusedException(why.toString());
      }
      if (!dryRun) {
        for (int i = 0; i < changes.size(); i++) {
          TableChange change = changes.get(i);
          if (change.changes()) {
            lock.checkHeld();
            catalog.table(Tables.ALL.get(i)).manageSnapshots().rollbackTo(change.startedFrom()).commit();
          }
        }
        store.finish(run, RunState.REVERTED, "reverted by " + by + " at " + java.time.Instant.now() + ": every table is back where the run started");
      }
      ModelRegistry registry = new ModelRegistry(catalog.spark(), config);
      List<ModelVersion> trainedSince = trainedSince(registry, run);
      if (!dryRun) {
        // Scoring with them says so (and alerts) until a version trained afterwards is live.
        trainedSince.forEach(v -> registry.learnedFromReverted(v.version(), run.runId()));
      }
      String live = registry.live().map(ModelVersion::version).orElse(null);
      return new Result(run, changes, dryRun, trainedSince.stream().map(v -> v.version() + (v.version().equals(live) ? " (live)" : "")).toList());
    }
  }

  /** Nothing but the run published since it did, so a version trained since read its rows. */
  private static List<ModelVersion> trainedSince(ModelRegistry registry, RunRecord run) {
    return registry.versions().stream().filter(v -> v.createdAt() != null && v.createdAt().isAfter(run.finishedAt())).toList();
  }

  /** Runs of any date that published after {@code run} did, the last one first. */
  private static List<RunRecord> publishedSince(RunStore store, RunRecord run) {
    return store.runs(null, Integer.MAX_VALUE).stream()
        .filter(r -> r.state() == RunState.SUCCEEDED && r.finishedAt() != null && r.finishedAt().isAfter(run.finishedAt()))
        .sorted(java.util.Comparator.comparing(RunRecord::finishedAt).reversed())
        .toList();
  }

  private static Map<String, Long> snapshots(RunStore store, RunRecord run, String step) {
    StepRecord record =
        store.steps(run.runId()).stream()
            .filter(s -> s.step().equals(step) && s.state() == StepState.SUCCEEDED && s.snapshots() != null)
            .findFirst()
            .orElseThrow(() -> new RevertRefusedException("The run store holds no " + step + " snapshots for run " + run.runId() + ": it cannot say what the run changed."));
    try {
      return RunStore.JSON.readValue(record.snapshots(), new TypeReference<Map<String, Long>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Unreadable snapshots of run " + run.runId() + " step " + step, e);
    }
  }

  /** What was committed to main after {@code published}, newest first, for the refusal. */
  private static String since(Table table, Long published) {
    List<String> commits = new ArrayList<>();
    Snapshot s = table.currentSnapshot();
    while (s != null && !Objects.equals(s.snapshotId(), published) && commits.size() < 3) {
      commits.add(s.operation() + " at " + java.time.Instant.ofEpochMilli(s.timestampMillis()) + " (snapshot " + s.snapshotId() + ")");
      s = s.parentId() == null ? null : table.snapshot(s.parentId());
    }
    return commits.isEmpty() ? "main is not at the run's snapshot " + published : "committed since: " + String.join(", ", commits);
  }

  private static long records(Table table, Long snapshotId) {
    Snapshot s = snapshotId == null ? null : table.snapshot(snapshotId);
    return s == null ? 0 : Long.parseLong(s.summary().getOrDefault("total-records", "0"));
  }
}
