package io.geolake.pipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables made by an older geolake get the write settings of the current one, data untouched. */
class TestLakehouseCatalog extends BaseSparkTest {
  @TempDir Path data;

  @Test
  void aCatalogThatCannotBeReachedFailsAtOnceNamingItsKeyAndHidingThePassword() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog(config(data, "catalog.type=rest", "catalog.uri=http://127.0.0.1:" + closed + "/")))
        .hasMessageContaining("Cannot open the Iceberg REST catalog at http://127.0.0.1:" + closed + "/ (catalog.uri)")
        .hasMessageContaining("Connection refused");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog(config(data,
            "catalog.uri=jdbc:postgresql://127.0.0.1:" + closed + "/geolake?user=geolake&password=hunter2")))
        .hasMessageContaining("Cannot open the Iceberg catalog database jdbc:postgresql://127.0.0.1:" + closed + "/geolake?user=geolake&password=**** (catalog.uri)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void aSecondSessionSeesWhatAnotherWriterCommitsAfterItOpened() {
    GeolakeConfig config = config(data);
    LakehouseCatalog writer = catalog(config);
    writer.ensureTables(config);
    // serve's users query in a session of their own; the embedded catalog is SQLite in WAL mode.
    org.apache.spark.sql.SparkSession users = spark.newSession();
    LakehouseCatalog reader = LakehouseCatalog.register(users, config);
    String refs = "SELECT snapshot_id FROM " + reader.qualified(Tables.QUALITY_RESULTS) + ".refs WHERE name = 'main'";
    assertThat(users.sql(refs).collectAsList()).isEmpty();

    Table table = writer.table(Tables.QUALITY_RESULTS);
    table.newAppend().commit();
    long first = table.currentSnapshot().snapshotId();
    assertThat(users.sql(refs).first().getLong(0)).isEqualTo(first);
    table.newAppend().commit();
    assertThat(users.sql(refs).first().getLong(0)).isEqualTo(table.currentSnapshot().snapshotId());
    table.manageSnapshots().rollbackTo(first).commit();
    assertThat(users.sql(refs).first().getLong(0)).isEqualTo(first);
  }

  @Test
  void existingTablesGetTheCurrentPropertiesAndKeepTheirRows() {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    String rowGroup = "write.parquet.row-group-size-bytes";
    String expected = Tables.RAW_PINGS.properties().get(rowGroup);
    assertThat(expected).as("raw.pings sets its row-group size").isNotNull();
    // What a lake from before the setting looks like: the property absent, wap off, one load.
    Table raw = catalog.table(Tables.RAW_PINGS);
    raw.updateProperties().remove(rowGroup).set("write.wap.enabled", "false").commit();
    Map<String, String> values =
        Map.of("device_id", "'d1'", "_source", "'pings'", "_source_file", "'file:/a.csv'", "_row_number", "2",
            "_ingest_date", "DATE '2024-05-06'", "_load_id", "'load-1'");
    String row =
        Tables.RAW_PINGS.columns().stream()
            .map(c -> values.getOrDefault(c.name(), "CAST(NULL AS " + c.type().sql() + ")"))
            .collect(Collectors.joining(", "));
    spark.sql("INSERT INTO " + catalog.qualified(Tables.RAW_PINGS) + " SELECT " + row);
    long snapshot = catalog.table(Tables.RAW_PINGS).currentSnapshot().snapshotId();

    catalog.ensureTables(config);

    Table upgraded = catalog.table(Tables.RAW_PINGS);
    assertThat(upgraded.properties()).containsEntry(rowGroup, expected).containsEntry("write.wap.enabled", "true")
        .containsEntry("write.metadata.delete-after-commit.enabled", "true");
    assertThat(upgraded.currentSnapshot().snapshotId()).isEqualTo(snapshot);
    assertThat(count("SELECT count(*) FROM %s WHERE device_id = 'd1'", catalog.qualified(Tables.RAW_PINGS))).isEqualTo(1);
  }

  @Test
  void stagingGetsTheConfiguredMergeModeWhenCreatedAndWhenTheSettingChanges() {
    GeolakeConfig mergeOnRead = config(data, "staging.merge-mode=merge-on-read");
    LakehouseCatalog catalog = catalog(mergeOnRead);
    catalog.ensureTables(mergeOnRead);
    assertThat(catalog.table(Tables.STAGING_PINGS).properties())
        .containsEntry("write.merge.mode", "merge-on-read")
        .containsEntry("write.update.mode", "merge-on-read")
        .containsEntry("write.delete.mode", "merge-on-read");
    assertThat(catalog.table(Tables.RAW_PINGS).properties()).doesNotContainKey("write.merge.mode");

    catalog.ensureTables(config(data, "catalog.name=" + catalog.name(), "staging.merge-mode=copy-on-write"));

    assertThat(catalog.table(Tables.STAGING_PINGS).properties())
        .containsEntry("write.merge.mode", "copy-on-write")
        .containsEntry("write.update.mode", "copy-on-write")
        .containsEntry("write.delete.mode", "copy-on-write");
  }

  @Test
  void rawPingsAreWrittenWithoutDictionariesOrStatisticsOfDeliveredTextAndStagingWithBoth() throws Exception {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    for (var table : java.util.List.of(Tables.RAW_PINGS, Tables.STAGING_PINGS)) {
      String row =
          table.columns().stream()
              .map(c -> switch (c.name()) {
                case "device_id" -> "'d1'";
                case "_source" -> "'pings'";
                case "_source_file" -> "'file:/a.csv'";
                case "_ingest_date" -> "DATE '2024-05-06'";
                case "_load_id" -> "'load-1'";
                case "_row_number" -> "CAST(id AS BIGINT)";
                case "event_ts" -> "TIMESTAMP '2024-05-06 10:00:00'";
                default -> c.type().sql().equals("DOUBLE") ? "1.5" : c.type().sql().equals("STRING") ? "'x'" : "CAST(NULL AS " + c.type().sql() + ")";
              })
              .collect(Collectors.joining(", "));
      spark.sql("INSERT INTO " + catalog.qualified(table) + " SELECT " + row + " FROM range(100)");
    }

    assertThat(columnChunks(catalog.table(Tables.RAW_PINGS), chunk -> chunk.hasDictionaryPage())).isEmpty();
    assertThat(columnChunks(catalog.table(Tables.STAGING_PINGS), chunk -> chunk.hasDictionaryPage())).contains("device_id");
    java.util.Set<String> rawWithStatistics = columnChunks(catalog.table(Tables.RAW_PINGS), TestLakehouseCatalog::hasMinMax);
    assertThat(rawWithStatistics).contains("_row_number", "_source_file");
    assertThat(rawWithStatistics).doesNotContainAnyElementsOf(
        java.util.Arrays.stream(io.geolake.core.schema.PingField.values()).map(io.geolake.core.schema.PingField::column).toList());
    assertThat(columnChunks(catalog.table(Tables.STAGING_PINGS), TestLakehouseCatalog::hasMinMax)).contains("device_id", "event_ts");
  }

  private static boolean hasMinMax(org.apache.parquet.hadoop.metadata.ColumnChunkMetaData chunk) {
    return chunk.getStatistics() != null && chunk.getStatistics().hasNonNullValue();
  }

  /** Columns of which any chunk in the table's data files matches. */
  private static java.util.Set<String> columnChunks(
      Table table, java.util.function.Predicate<org.apache.parquet.hadoop.metadata.ColumnChunkMetaData> matching) throws java.io.IOException {
    java.util.Set<String> columns = new java.util.TreeSet<>();
    try (var tasks = table.newScan().planFiles()) {
      for (var task : tasks) {
        var input = org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(task.file().path().toString()), spark.sparkContext().hadoopConfiguration());
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(input)) {
          for (var block : reader.getFooter().getBlocks()) {
            for (var chunk : block.getColumns()) {
              if (matching.test(chunk)) {
                columns.add(chunk.getPath().toDotString());
              }
            }
          }
        }
      }
    }
    return columns;
  }
}
