package io.geolake.pipeline.staging;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import io.geolake.core.schema.ColumnType;
import io.geolake.core.schema.PingField;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.sketch.BloomFilter;

/**
 * A Bloom filter of the keys a delivery holds, so that only the staged rows it may match travel
 * to the comparison with staging: in a steady state the comparison range holds several days of
 * staging for one day's delivery, and only the keys of late and re-delivered rows can match.
 * A Bloom filter has no false negatives, so no staged row the delivery holds is left out.
 */
final class DeliveredKeys {
  private static final double FALSE_POSITIVES = 0.01;

  private final List<String> key;
  private final Broadcast<BloomFilter> filter;

  private DeliveredKeys(List<String> key, Broadcast<BloomFilter> filter) {
    this.key = key;
    this.filter = filter;
  }

  /** Reads the delivery's key fields once, typed as the stage types them. */
  static DeliveredKeys of(SparkSession spark, Dataset<Row> raw, long rows, List<String> key) {
    Column[] typed = key.stream().map(k -> expr(Validation.typed(PingField.byColumn(k).orElseThrow())).as(k)).toArray(Column[]::new);
    BloomFilter filter = raw.select(typed).select(hash(key).as("h")).stat().bloomFilter("h", Math.max(1_000, rows), FALSE_POSITIVES);
    return new DeliveredKeys(key, JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(filter));
  }

  /** True for the rows whose key the delivery may hold. */
  Column mightHold() {
    Broadcast<BloomFilter> f = filter;
    UDF1<Long, Boolean> mightContain = h -> f.value().mightContainLong(h);
    return udf(mightContain, DataTypes.BooleanType).apply(hash(key));
  }

  /** One hash of the key's columns; -0.0 is counted as 0.0, as Spark's equality does. */
  private static Column hash(List<String> key) {
    return xxhash64(
        key.stream()
            .map(k -> PingField.byColumn(k).orElseThrow().stagedType() == ColumnType.DOUBLE ? col(k).plus(0.0) : col(k))
            .toArray(Column[]::new));
  }
}
