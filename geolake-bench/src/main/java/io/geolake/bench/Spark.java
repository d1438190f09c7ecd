package io.geolake.bench;

import java.util.HashSet;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;

/** Small Spark/Iceberg helpers for the bench. */
final class Spark {
  private Spark() {}

  static Table table(BenchContext ctx, String name) {
    try {
      return Spark3Util.loadIcebergTable(ctx.spark, name);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load " + name, e);
    }
  }

  static Set<Long> snapshotIds(Table table) {
    table.refresh();
    Set<Long> ids = new HashSet<>();
    table.snapshots().forEach(s -> ids.add(s.snapshotId()));
    return ids;
  }

  /** Bytes added and removed by the snapshots committed since {@code before}. */
  static long[] writtenAndRemoved(Table table, Set<Long> before) {
    table.refresh();
    long added = 0;
    long removed = 0;
    for (Snapshot s : table.snapshots()) {
      if (!before.contains(s.snapshotId())) {
        added += Long.parseLong(s.summary().getOrDefault("added-files-size", "0"));
        removed += Long.parseLong(s.summary().getOrDefault("removed-files-size", "0"));
      }
    }
    return new long[] {added, removed};
  }

  /** The scan of staging the merge-mode and maintain cases time before and after changing its files. */
  static final String SCAN_QUERY = "SELECT count(*), count(DISTINCT device_id), avg(latitude), max(event_ts) FROM %s";

  /** Times {@link #SCAN_QUERY} over a table; rows in = the table's rows. */
  static Measurement scan(BenchContext ctx, String name, String table) {
    return ctx.meter.measure(name, () -> ctx.spark.sql(String.format(SCAN_QUERY, table)).first().getLong(0), n -> new long[] {n, 1}).measurement();
  }
}
