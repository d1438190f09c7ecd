package io.geolake.bench;

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
}
