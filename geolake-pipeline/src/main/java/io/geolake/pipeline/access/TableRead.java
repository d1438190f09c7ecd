package io.geolake.pipeline.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.plans.logical.LeafNode;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.catalog.CatalogPlugin;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * A leaf of an analyzed plan that reads data: which table of our catalog (null when it is outside
 * it), which of its metadata tables (null for the table's own rows, a branch, tag or snapshot of
 * them included), and the columns it yields (null when it yields none, as DESCRIBE).
 */
record TableRead(String table, String metadata, List<Attribute> output, String what) {
  static Optional<TableRead> of(LogicalPlan node, String catalogName) {
    if (node instanceof DataSourceV2Relation r) {
      return Optional.of(named(catalogName, r.catalog(), r.identifier(), new ArrayList<>(JavaConverters.seqAsJavaList(r.output())), r.table().name()));
    }
    if (node instanceof ResolvedTable t) {
      return Optional.of(named(catalogName, Option.apply(t.catalog()), Option.apply(t.identifier()), null, t.identifier().toString()));
    }
    if (node instanceof LeafNode && isFileOrForeignRelation(node)) {
      return Optional.of(new TableRead(null, null, null, node.nodeName()));
    }
    return Optional.empty();
  }

  /** Whether it reads rows of one of our tables (not a metadata table of it). */
  boolean readsRowsOf() {
    return table != null && metadata == null && output != null;
  }

  /** File sources (parquet.`path`), Hive and streaming relations: data the catalog does not govern. */
  private static boolean isFileOrForeignRelation(LogicalPlan leaf) {
    String name = leaf.getClass().getName();
    return name.endsWith(".LogicalRelation") || name.endsWith(".HiveTableRelation") || name.contains("Streaming")
        || name.endsWith(".LogicalRDD") || name.endsWith(".ExternalRDD");
  }

  private static TableRead named(String catalogName, Option<CatalogPlugin> catalog, Option<Identifier> identifier, List<Attribute> output, String what) {
    if (catalog.isEmpty() || identifier.isEmpty() || !catalog.get().name().equals(catalogName)) {
      return new TableRead(null, null, null, what);
    }
    String[] namespace = identifier.get().namespace();
    if (namespace.length == 1) {
      return new TableRead(namespace[0] + "." + identifier.get().name(), null, output, what);
    }
    if (namespace.length == 2) {
      // layer.table.suffix: a metadata table (snapshots, files, ...) or a branch, tag or snapshot
      // of the table, whose rows are the table's own.
      String suffix = identifier.get().name();
      boolean rowsOfTable = suffix.startsWith("branch_") || suffix.startsWith("tag_") || suffix.startsWith("snapshot_id_") || suffix.startsWith("at_timestamp_");
      return new TableRead(namespace[0] + "." + namespace[1], rowsOfTable ? null : suffix, output, what);
    }
    return new TableRead(String.join(".", namespace) + "." + identifier.get().name(), null, output, what);
  }
}
