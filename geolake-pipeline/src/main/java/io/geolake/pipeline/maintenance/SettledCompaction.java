package io.geolake.pipeline.maintenance;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.iceberg.types.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Bin-packs the small data files of settled day partitions — older than the table's newest day by
 * more than the lookback window — into files of the table's target size, and applies any
 * merge-on-read deletes while at it. Recent days are left alone: late rows still MERGE into them,
 * and copy-on-write rewrites every file holding a changed key, so one big file per day would turn a
 * few late rows into a rewrite of the whole day. A day is compacted once it has at least 5 small
 * files (Iceberg's min-input-files); after that it has few, large ones.
 */
final class SettledCompaction {
  private final SparkSession spark;
  private final int lookbackDays;

  SettledCompaction(SparkSession spark, int lookbackDays) {
    this.spark = spark;
    this.lookbackDays = lookbackDays;
  }

  /** Empty when no day is settled yet (or the table has no data). */
  Optional<RewriteDataFiles.Result> compact(Table table, String qualifiedName) {
    return settledBefore(table, qualifiedName).map(filter -> SparkActions.get(spark)
        .rewriteDataFiles(table)
        .binPack()
        .filter(filter)
        .option(RewriteDataFiles.PARTIAL_PROGRESS_ENABLED, "true") // a long compaction keeps what it finished
        .option("delete-file-threshold", "1")
        .execute());
  }

  /** Rows of days before the newest day minus the lookback window, on the partition's source column. */
  private Optional<Expression> settledBefore(Table table, String qualifiedName) {
    PartitionField day = table.spec().fields().get(0);
    Row newest = spark.sql("SELECT max(partition.`" + day.name() + "`) FROM " + qualifiedName + ".partitions").first();
    if (newest.isNullAt(0)) {
      return Optional.empty();
    }
    Object value = newest.get(0);
    LocalDate before = (value instanceof LocalDate d ? d : ((java.sql.Date) value).toLocalDate()).minusDays(lookbackDays);
    String column = table.schema().findColumnName(day.sourceId());
    Type type = table.schema().findType(day.sourceId());
    return Optional.of(
        type.typeId() == Type.TypeID.DATE
            ? Expressions.lessThan(column, (int) before.toEpochDay())
            : Expressions.lessThan(column, before.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L));
  }
}
