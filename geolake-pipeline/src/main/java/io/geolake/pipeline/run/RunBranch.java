package io.geolake.pipeline.run;

import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Iceberg branch a run writes to (write-audit-publish). While it is active, every write and
 * read of the session goes to the branch of each table (spark.wap.branch), so readers of main see
 * nothing of a run until it publishes: main of every table is fast-forwarded to the branch, one
 * table at a time — each an atomic commit, and repeating it is harmless, so a run killed while
 * publishing publishes the rest when resumed.
 */
final class RunBranch {
  private static final String WAP_BRANCH = "spark.wap.branch";

  private final LakehouseCatalog catalog;
  private final String name;

  RunBranch(LakehouseCatalog catalog, String name) {
    this.catalog = catalog;
    this.name = name;
  }

  /** Creates the branch on every table that lacks it, at main's current snapshot. */
  void create() {
    for (TableDefinition table : Tables.ALL) {
      catalog.spark().sql("ALTER TABLE " + catalog.qualified(table) + " CREATE BRANCH IF NOT EXISTS `" + name + "`");
    }
  }

  void activate() {
    catalog.spark().conf().set(WAP_BRANCH, name);
  }

  void deactivate() {
    catalog.spark().conf().unset(WAP_BRANCH);
  }

  /** Fast-forwards main of the given tables to the branch. */
  void publish(Collection<TableDefinition> tables) {
    for (TableDefinition table : tables) {
      catalog.spark().sql(
          "CALL " + catalog.name() + ".system.fast_forward(table => '" + table.qualifiedName() + "', branch => 'main', to => '" + name + "')");
    }
  }

  /** Drops the branch from every table (after publishing, or to abandon a run). */
  void drop() {
    for (TableDefinition table : Tables.ALL) {
      catalog.spark().sql("ALTER TABLE " + catalog.qualified(table) + " DROP BRANCH IF EXISTS `" + name + "`");
    }
  }

  /**
   * Whether the branch still extends main of every table: false once another run published since
   * the branch was made (main would then not fast-forward to it).
   */
  boolean extendsMain() {
    for (TableDefinition definition : Tables.ALL) {
      org.apache.iceberg.Table table = catalog.table(definition);
      var ref = table.refs().get(name);
      org.apache.iceberg.Snapshot main = table.currentSnapshot();
      if (ref == null) {
        return false;
      }
      if (main != null && !org.apache.iceberg.util.SnapshotUtil.isAncestorOf(table, ref.snapshotId(), main.snapshotId())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves the branch of every table back to the given snapshot ids (those a step started from), so
   * a step that is run again — resumed after a kill or a failure — starts from exactly the state
   * its first attempt started from, not on top of what that attempt committed before it stopped.
   */
  void resetTo(Map<String, Long> snapshots) {
    for (TableDefinition definition : Tables.ALL) {
      org.apache.iceberg.Table table = catalog.table(definition);
      var ref = table.refs().get(name);
      Long target = snapshots.get(definition.qualifiedName());
      if (ref != null && target != null && ref.snapshotId() != target) {
        table.manageSnapshots().replaceBranch(name, target).commit();
      }
    }
  }

  /** Each table's snapshot id on the branch. */
  Map<String, Long> snapshots() {
    Map<String, Long> snapshots = new LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      var ref = catalog.table(table).refs().get(name);
      snapshots.put(table.qualifiedName(), ref == null ? null : ref.snapshotId());
    }
    return snapshots;
  }
}
