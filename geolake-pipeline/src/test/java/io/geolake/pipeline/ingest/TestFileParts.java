package io.geolake.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.Landing;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large uncompressed text files are read in byte ranges, with the same result as read whole. */
class TestFileParts extends BaseSparkTest {
  private static final LocalDate D = LocalDate.of(2024, 5, 6);
  private static final String SPLIT = "spark.sql.files.maxPartitionBytes";

  @TempDir Path data;

  @Test
  void filesReadInPartsGiveTheRowsRejectsAndLineNumbersOfFilesReadWhole() {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    Landing landing = new Landing(data.resolve("landing"));
    // CRLF endings, blank lines (also before the header), a short row, bad UTF-8 and a bare CR.
    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    write(csv, "\r\n" + Landing.HEADER + "\r\n");
    for (int i = 0; i < 40; i++) {
      write(csv, "c" + i + ",idfa,19.4" + i + ",-99.1,10,2024-05-06T10:" + (10 + i) + ":00Z\r\n");
      if (i % 9 == 0) {
        write(csv, "\r\nshort,row\r\n");
      }
    }
    csv.writeBytes(new byte[] {'c', 'x', ',', (byte) 0xC3, (byte) 0x28, ',', '1', '\n'});
    write(csv, "cr,idfa,19.5,-99.2,10,2024-05-06T11:00:00Z\rlast,aaid,19.6,-99.3,10,2024-05-06T12:00:00Z\n");
    landing.bytes(D, "part-0.csv", csv.toByteArray());
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      json.append("{\"device_id\":\"j").append(i).append("\",\"id_type\":\"aaid\",\"latitude\":19.3,\"longitude\":-99.0,")
          .append("\"horizontal_accuracy\":5,\"event_ts\":\"2024-05-06T09:").append(10 + i).append(":00Z\"}\n");
      if (i % 13 == 0) {
        json.append("{not json\n\n");
      }
    }
    landing.bytes(D, "part-1.jsonl", json.toString().getBytes(StandardCharsets.UTF_8));
    landing.csvGz(D, "part-2.csv.gz", "g1,idfa,19.4,-99.1,10,2024-05-06T10:00:00Z");
    landing.bytes(D, "part-3.parquet",
        parquetInRowGroups("concat('p', id) AS device_id", "19.4 + id / 1000 AS latitude", "-99.1D AS longitude", "1714989600L + id AS event_ts"));
    landing.bytes(D, "part-4.parquet", parquetInRowGroups("concat('q', id) AS device_id", "19.4 + id / 1000 AS latitude", "concat('note ', id) AS note"));

    List<String> whole = ingestedRows(catalog, config, null, SideRejects.DEFAULT_BUDGET_BYTES);
    assertThat(whole).hasSize(42 + 40 + 1 + 5 + 4 + 1 + 400 + 1);
    assertThat(whole).anyMatch(r -> r.startsWith("reject") && r.contains("missing_columns"));
    assertThat(whole).anyMatch(r -> r.startsWith("reject") && r.contains("invalid_encoding"));
    for (String splitBytes : List.of("41", "100")) {
      List<FilePart> parts =
          FileParts.plan(JavaSparkContext.fromSparkContext(spark.sparkContext()), files(config), Long.parseLong(splitBytes));
      assertThat(parts).as("parts of %s bytes", splitBytes).hasSizeGreaterThan(20);
      assertThat(parts.get(0).file().uri()).as("the compressed file is read whole, first").endsWith("part-2.csv.gz");
      assertThat(parts.stream().filter(p -> p.file().uri().endsWith("part-3.parquet"))).as("row-group runs").hasSizeGreaterThan(3);
      assertThat(parts.stream().filter(p -> p.file().uri().endsWith("part-4.parquet"))).as("row-group runs").hasSizeGreaterThan(1);
      // In parts of 100 bytes the rejects are parsed again rather than gathered (SideRejects).
      long rejectBudget = splitBytes.equals("100") ? 1 : SideRejects.DEFAULT_BUDGET_BYTES;
      assertThat(ingestedRows(catalog, config, splitBytes, rejectBudget)).as("read in parts of %s bytes", splitBytes).isEqualTo(whole);
    }
  }

  /** raw.pings and raw.rejects of the date, one line per row, in file and line order. */
  private static List<String> ingestedRows(LakehouseCatalog catalog, GeolakeConfig config, String splitBytes, long rejectBudget) {
    if (splitBytes != null) {
      spark.conf().set(SPLIT, splitBytes);
    }
    try {
      new IngestStep(catalog, config, rejectBudget).execute(D);
    } finally {
      spark.conf().unset(SPLIT);
    }
    List<String> rows = new java.util.ArrayList<>();
    spark.table(catalog.qualified(Tables.RAW_PINGS)).drop("_load_id").orderBy("_source_file", "_row_number")
        .collectAsList().forEach(r -> rows.add("ping " + r));
    spark.table(catalog.qualified(Tables.RAW_REJECTS)).drop("_load_id").orderBy("_source_file", "_row_number", "reason")
        .collectAsList().forEach(r -> rows.add("reject " + r));
    return rows;
  }

  /** 400 rows in row groups of a few hundred bytes. */
  private byte[] parquetInRowGroups(String... columns) {
    Path out = data.resolve("spark-out-" + System.nanoTime());
    spark.range(400).selectExpr(columns).coalesce(1)
        .write().option("parquet.block.size", "1024").option("parquet.page.size", "512").parquet(out.toString());
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(out)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      return java.nio.file.Files.readAllBytes(part);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<DeliveryFile> files(GeolakeConfig config) {
    return new DeliveryScanner(spark.sparkContext().hadoopConfiguration()).scan(config, D).get(0).files();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
