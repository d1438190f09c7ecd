package io.geolake.pipeline.maintenance;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.spark.sql.SparkSession;

/**
 * Deletes a table's days older than its {@code maintenance.data-retention}: every row whose
 * partition day (ingest date, event day, feature or start day) is before the cutoff. The
 * predicate falls on day-partition boundaries, so Iceberg drops whole files from the table's
 * metadata and rewrites none; older snapshots keep the rows until expiry removes them.
 */
final class DataRetention {
  private final SparkSession spark;
  private final GeolakeConfig config;

  DataRetention(SparkSession spark, GeolakeConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /** Empty when the table has no retention configured. */
  Optional<TableMaintenanceResult.Retention> apply(TableDefinition definition, Table table, String qualifiedName, Instant now, boolean dryRun) {
    Optional<Duration> kept = config.maintenance().dataRetention(definition.layer().namespace(), definition.name());
    if (kept.isEmpty()) {
      return Optional.empty();
    }
    LocalDate before = LocalDate.ofInstant(now.minus(kept.get()), ZoneOffset.UTC);
    String where = " FROM " + qualifiedName + " WHERE " + olderThan(table, before);
    long rows = spark.sql("SELECT count(*)" + where).first().getLong(0);
    if (rows > 0 && !dryRun) {
      spark.sql("DELETE" + where);
    }
    return Optional.of(new TableMaintenanceResult.Retention(before, rows));
  }

  /** Rows of partition days before {@code day}, on the partition's source column (UTC days). */
  static String olderThan(Table table, LocalDate day) {
    PartitionField partition = table.spec().fields().get(0);
    String column = "`" + table.schema().findColumnName(partition.sourceId()) + "`";
    Type type = table.schema().findType(partition.sourceId());
    return type.typeId() == Type.TypeID.DATE
        ? column + " < DATE '" + day + "'"
        : column + " < TIMESTAMP '" + day + " 00:00:00'";
  }
}
