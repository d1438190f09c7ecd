package io.geolake.pipeline.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.ingest.IngestStep;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.Landing;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDeliveredFiles extends BaseSparkTest {
  private static final LocalDate D = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void filesAreNumberedInFileNameOrderFromRawsMetadataOrElseFromItsRows() {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.csv(D, "part-b.csv", "a,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z");
    landing.csv(D, "part-B.csv", "b,idfa,19.41,-99.11,10,2024-05-06T10:00:00Z");
    landing.jsonl(D, "part-a.jsonl", "{\"device_id\":\"c\",\"latitude\":19.5,\"longitude\":-99.2,\"event_ts\":\"2024-05-06T11:00:00Z\"}");
    new IngestStep(catalog, config).execute(D);
    List<Row> expected = lineageInFileOrder(catalog);
    assertThat(expected).hasSize(3);

    DeliveredFiles fromMetadata = DeliveredFiles.of(catalog.table(Tables.RAW_PINGS), catalog.currentSnapshotId(Tables.RAW_PINGS), D, failingIfRead(catalog));
    assertThat(lookedUp(fromMetadata)).isEqualTo(expected);

    // A lake whose raw files carry 16-character prefixes of the file names (older metrics): the
    // bounds cannot name the files, so the rows are read.
    spark.sql("ALTER TABLE " + catalog.qualified(Tables.RAW_PINGS) + " SET TBLPROPERTIES ('write.metadata.metrics.column._source_file'='truncate(16)')");
    new IngestStep(catalog, config).execute(D);
    assertThat(lookedUp(DeliveredFiles.of(catalog.table(Tables.RAW_PINGS), catalog.currentSnapshotId(Tables.RAW_PINGS), D, rawOf(catalog)))).isEqualTo(expected);
    assertThatThrownBy(() -> DeliveredFiles.of(catalog.table(Tables.RAW_PINGS), catalog.currentSnapshotId(Tables.RAW_PINGS), D, failingIfRead(catalog)))
        .hasMessageContaining("read raw rows");
  }

  @Test
  void aRawTableWithoutSnapshotsHasNoFiles() {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);

    assertThat(catalog.currentSnapshotId(Tables.RAW_PINGS)).isNull();
    assertThat(DeliveredFiles.of(catalog.table(Tables.RAW_PINGS), null, D, failingIfRead(catalog)).count()).isZero();
  }

  @Test
  void aFileUnderTwoLoadIdsIsRefusedNamingIt() throws Exception {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.csv(D, "part-0.csv", "a,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z");
    new IngestStep(catalog, config).execute(D);
    String raw = catalog.qualified(Tables.RAW_PINGS);
    rawOf(catalog).withColumn("_load_id", lit("other-load")).writeTo(raw).append();

    assertThatThrownBy(() -> DeliveredFiles.of(catalog.table(Tables.RAW_PINGS), catalog.currentSnapshotId(Tables.RAW_PINGS), D, rawOf(catalog)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("part-0.csv")
        .hasMessageContaining("other-load")
        .hasMessageContaining("re-ingest " + D);
  }

  /** (file, source, load id) of the date's raw rows as Spark orders the file names. */
  private static List<Row> lineageInFileOrder(LakehouseCatalog catalog) {
    return rawOf(catalog).select("_source_file", "_source", "_load_id").distinct().orderBy("_source_file").collectAsList();
  }

  /** Each number's lineage, in number order, restored by the columns the stage writes with. */
  private static List<Row> lookedUp(DeliveredFiles files) {
    Dataset<Row> numbers = spark.createDataset(IntStream.range(0, files.count()).boxed().toList(), org.apache.spark.sql.Encoders.INT()).toDF(DeliveredFiles.FILE);
    return numbers.orderBy(DeliveredFiles.FILE).select(files.sourceFile(), files.source(), files.loadId()).collectAsList();
  }

  private static Dataset<Row> rawOf(LakehouseCatalog catalog) {
    return spark.table(catalog.qualified(Tables.RAW_PINGS)).where(col("_ingest_date").equalTo(lit(Date.valueOf(D))));
  }

  /** The date's rows, failing the query that reads them. */
  private static Dataset<Row> failingIfRead(LakehouseCatalog catalog) {
    return rawOf(catalog).where(org.apache.spark.sql.functions.raise_error(lit("read raw rows")).isNull());
  }
}
