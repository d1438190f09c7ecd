package io.geolake.pipeline.maintenance;

import static java.util.Objects.requireNonNull;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.run.RunLock;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.actions.ExpireSnapshots;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Keeps the lake from growing without bound: every daily run leaves snapshots behind, and with
 * them the data files its MERGE and overwrites replaced. For each geolake table this compacts the
 * small files of settled days ({@link SettledCompaction}), expires snapshots older than {@code
 * maintenance.snapshot-retention} (keeping the {@code retain-last} newest of each branch), deletes
 * the files only expired snapshots needed, and deletes orphan files — in the table's folder,
 * referenced by no snapshot, older than {@code orphan-file-age} (what a killed or failed write
 * leaves).
 *
 * <p>Two kinds of snapshot are never expired: those an unfinished run resumes from (its branch and
 * everything since main's snapshot it started from) and the inputs of registered model versions,
 * which are tagged {@code model-x-<version>} first, so a model's training data stays readable
 * ({@code VERSION AS OF 'model-x-v0001'}). Runs of the lake are held off by the run lock.
 */
public final class TableMaintenance {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  public TableMaintenance(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.config = requireNonNull(config, "config is null");
  }

  /**
   * Maintains every geolake table that exists, reporting each when done.
   *
   * @param dryRun report what would be expired and deleted, change nothing
   */
  public List<TableMaintenanceResult> run(Instant now, boolean dryRun, Consumer<TableMaintenanceResult> progress) {
    GeolakeConfig.Maintenance settings = config.maintenance();
    List<TableMaintenanceResult> results = new ArrayList<>();
    try (RunLock lock = RunLock.acquire(config, dryRun ? "a dry run of geolake maintain" : "geolake maintain")) {
      Map<String, Map<String, Long>> modelInputs = ModelInputTags.wanted(catalog, config, now);
      for (TableDefinition definition : Tables.ALL) {
        if (!exists(definition)) {
          continue;
        }
        lock.checkHeld();
        catalog.spark().sparkContext().setJobDescription("geolake maintain " + definition.qualifiedName());
        Map<String, Long> wantedTags = modelInputs.getOrDefault(definition.qualifiedName(), Map.of());
        List<String> tagged = dryRun ? List.of() : ModelInputTags.create(catalog.table(definition), wantedTags);
        List<String> released = ModelInputTags.release(catalog.table(definition), wantedTags, dryRun);
        Table table = catalog.table(definition);
        long expireBefore = expiryCutoff(table, now.minus(settings.snapshotRetention()).toEpochMilli());
        TableMaintenanceResult result =
            dryRun
                ? dryRun(definition, table, now, expireBefore, now.minus(settings.orphanFileAge()).toEpochMilli(), released)
                : maintain(definition, table, now, expireBefore, now.minus(settings.orphanFileAge()).toEpochMilli(), tagged, released);
        results.add(result);
        progress.accept(result);
      }
    } finally {
      catalog.spark().sparkContext().setJobDescription(null);
    }
    return results;
  }

  private TableMaintenanceResult maintain(
      TableDefinition definition, Table table, Instant now, long expireBefore, long orphansBefore, List<String> tagged, List<String> released) {
    // Retention and compaction commit to main; an unfinished run's branch would then no longer
    // extend main and the run would start over instead of resuming. Its table waits for the run.
    boolean deferCompaction = unfinishedRun(table);
    TableMaintenanceResult.Retention retention =
        deferCompaction ? null : new DataRetention(catalog.spark(), config).apply(definition, table, catalog.qualified(definition), now, false).orElse(null);
    Optional<RewriteDataFiles.Result> compacted =
        deferCompaction ? Optional.empty() : new SettledCompaction(catalog.spark(), config.staging().lookbackDays()).compact(table, catalog.qualified(definition));
    int before = count(catalog.table(definition).snapshots());
    // The compaction's own snapshot is new, so expiry keeps it and the files it replaced stay
    // readable by time travel until they too are older than the retention.
    ExpireSnapshots.Result expired =
        SparkActions.get(catalog.spark()).expireSnapshots(catalog.table(definition)).expireOlderThan(expireBefore)
            .retainLast(config.maintenance().retainLast()).execute();
    // Orphans are listed after expiry, against the snapshots that are left.
    DeleteOrphanFiles.Result orphans =
        SparkActions.get(catalog.spark()).deleteOrphanFiles(catalog.table(definition)).olderThan(orphansBefore).execute();
    Table after = catalog.table(definition);
    return new TableMaintenanceResult(
        definition.qualifiedName(),
        before,
        count(after.snapshots()),
        compacted.map(RewriteDataFiles.Result::rewrittenDataFilesCount).orElse(0),
        compacted.map(RewriteDataFiles.Result::addedDataFilesCount).orElse(0),
        deferCompaction,
        expired.deletedDataFilesCount() + expired.deletedPositionDeleteFilesCount() + expired.deletedEqualityDeleteFilesCount(),
        expired.deletedManifestsCount() + expired.deletedManifestListsCount() + expired.deletedStatisticsFilesCount(),
        paths(orphans),
        tagged,
        released,
        Instant.ofEpochMilli(expireBefore),
        retention,
        false);
  }

  /** What {@link #maintain} would do: the snapshots expiry would drop, and the orphans found. */
  private TableMaintenanceResult dryRun(TableDefinition definition, Table table, Instant now, long expireBefore, long orphansBefore, List<String> released) {
    int before = count(table.snapshots());
    TableMaintenanceResult.Retention retention =
        unfinishedRun(table) ? null : new DataRetention(catalog.spark(), config).apply(definition, table, catalog.qualified(definition), now, true).orElse(null);
    // apply() computes the expiry without committing it and returns the snapshots it would remove.
    List<Snapshot> expired = table.expireSnapshots().expireOlderThan(expireBefore).retainLast(config.maintenance().retainLast()).apply();
    DeleteOrphanFiles.Result orphans =
        SparkActions.get(catalog.spark()).deleteOrphanFiles(table).olderThan(orphansBefore).deleteWith(path -> {}).execute();
    return new TableMaintenanceResult(
        definition.qualifiedName(), before, before - expired.size(), 0, 0, unfinishedRun(table), 0, 0, paths(orphans), List.of(), released, Instant.ofEpochMilli(expireBefore), retention, true);
  }

  /**
   * The expiry cutoff moved back to the oldest snapshot an unfinished run may reset its branch to:
   * the snapshot of main its branch started from. Iceberg keeps a branch's head, but would expire
   * the older snapshots of its history that a resumed step starts again from.
   */
  static long expiryCutoff(Table table, long cutoff) {
    Snapshot main = table.currentSnapshot();
    Set<Long> mainHistory = new HashSet<>();
    if (main != null) {
      SnapshotUtil.ancestorIds(main, table::snapshot).forEach(mainHistory::add);
    }
    long earliest = cutoff;
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      if (!ref.getValue().isBranch() || ref.getKey().equals(SnapshotRef.MAIN_BRANCH)) {
        continue;
      }
      Snapshot start = null;
      for (Snapshot s : SnapshotUtil.ancestorsOf(ref.getValue().snapshotId(), table::snapshot)) {
        start = s;
        if (mainHistory.contains(s.snapshotId())) {
          break;
        }
      }
      if (start != null) {
        earliest = Math.min(earliest, start.timestampMillis());
      }
    }
    return earliest;
  }

  /** Whether the table has a branch besides main: a run's, left by a run that did not publish. */
  private static boolean unfinishedRun(Table table) {
    return table.refs().entrySet().stream().anyMatch(ref -> ref.getValue().isBranch() && !ref.getKey().equals(SnapshotRef.MAIN_BRANCH));
  }

  private boolean exists(TableDefinition definition) {
    return catalog.spark().catalog().tableExists(catalog.qualified(definition));
  }

  private static List<String> paths(DeleteOrphanFiles.Result orphans) {
    List<String> paths = new ArrayList<>();
    orphans.orphanFileLocations().forEach(paths::add);
    return paths;
  }

  private static int count(Iterable<Snapshot> snapshots) {
    int n = 0;
    for (Snapshot ignored : snapshots) {
      n++;
    }
    return n;
  }
}
