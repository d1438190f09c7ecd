package io.geolake.pipeline.testing;

import io.geolake.core.schema.TableDefinition;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;

/**
 * For tests: the current snapshot of each table, to put every table back after changing it. (Runs
 * themselves write to a branch and never need this.)
 */
public final class TableCheckpoint {
  private final LakehouseCatalog catalog;
  private final Map<TableDefinition, Long> snapshots;

  private TableCheckpoint(LakehouseCatalog catalog, Map<TableDefinition, Long> snapshots) {
    this.catalog = catalog;
    this.snapshots = snapshots;
  }

  public static TableCheckpoint capture(LakehouseCatalog catalog, Collection<TableDefinition> tables) {
    Map<TableDefinition, Long> snapshots = new LinkedHashMap<>();
    for (TableDefinition table : tables) {
      snapshots.put(table, catalog.currentSnapshotId(table));
    }
    return new TableCheckpoint(catalog, snapshots);
  }

  /** Puts every table except {@code keep} back at its captured snapshot. */
  public void rollback(Set<TableDefinition> keep) {
    snapshots.forEach(
        (definition, snapshotId) -> {
          if (keep.contains(definition)) {
            return;
          }
          Table table = catalog.table(definition);
          Snapshot current = table.currentSnapshot();
          if (current == null || (snapshotId != null && current.snapshotId() == snapshotId)) {
            return;
          }
          if (snapshotId != null) {
            table.manageSnapshots().rollbackTo(snapshotId).commit();
          } else {
            // The table was created empty by this run: empty it again.
            table.newDelete().deleteFromRowFilter(Expressions.alwaysTrue()).commit();
          }
        });
  }
}
