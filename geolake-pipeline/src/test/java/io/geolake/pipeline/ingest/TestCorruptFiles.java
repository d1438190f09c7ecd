package io.geolake.pipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.Landing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken files of every kind end up in raw.rejects; none of them stops the run. */
class TestCorruptFiles extends BaseSparkTest {
  private static final LocalDate D = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void corruptFilesAreRejectedAndTheRestIsLoaded() throws IOException {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    Landing landing = new Landing(data.resolve("landing"));

    landing.csvGz(D, "valid.csv.gz", "v1,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z", "v2,idfa,19.41,-99.11,10,2024-05-06T10:00:00Z");
    String[] many =
        IntStream.range(0, 5000)
            .mapToObj(i -> "t" + i + ",aaid,19.4,-99.1,10,2024-05-06T10:00:00Z")
            .toArray(String[]::new);
    byte[] fullGzip = Files.readAllBytes(landing.csvGz(D, "whole.csv.gz", many));
    Files.delete(landing.folder(D).resolve("whole.csv.gz"));
    landing.bytes(D, "truncated.csv.gz", Arrays.copyOf(fullGzip, fullGzip.length * 6 / 10));
    byte[] parquet = validParquet(data.resolve("spark-out"));
    landing.bytes(D, "valid.parquet", parquet);
    landing.bytes(D, "truncated.parquet", Arrays.copyOf(parquet, parquet.length / 2));
    byte[] junk = new byte[4096];
    new Random(7).nextBytes(junk);
    landing.bytes(D, "garbage.parquet", junk);
    landing.bytes(D, "binary.csv", junk);
    landing.bytes(D, "empty.csv", new byte[0]);
    landing.bytes(D, "header-only.csv", (Landing.HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    landing.bytes(
        D,
        "utf16.csv",
        (Landing.HEADER + "\nu,idfa,19.4,-99.1,10,2024-05-06T10:00:00Z\n").getBytes(StandardCharsets.UTF_16LE));

    RunReport report = new DailyRun(catalog, config, RunListener.NONE).run(D);

    Map<String, Map<String, Long>> byFile =
        report.ingest().rejectsByFile().entrySet().stream()
            .collect(Collectors.toMap(e -> Path.of(java.net.URI.create(e.getKey())).getFileName().toString(), Map.Entry::getValue));
    assertThat(byFile.get("truncated.csv.gz")).containsExactly(Map.entry("unreadable_file", 1L));
    assertThat(byFile.get("truncated.parquet")).containsExactly(Map.entry("unreadable_file", 1L));
    assertThat(byFile.get("garbage.parquet")).containsExactly(Map.entry("unreadable_file", 1L));
    assertThat(byFile.get("binary.csv")).isNotEmpty();
    assertThat(byFile.get("binary.csv").keySet()).isSubsetOf("invalid_encoding", "missing_columns", "malformed_csv");
    assertThat(byFile.get("utf16.csv")).containsOnlyKeys("invalid_encoding");
    assertThat(byFile).doesNotContainKeys("valid.csv.gz", "valid.parquet", "empty.csv", "header-only.csv");

    String raw = catalog.qualified(Tables.RAW_PINGS);
    List<Row> perFile =
        sql("SELECT regexp_extract(_source_file, '[^/]+$', 0), count(*) FROM %s GROUP BY 1", raw);
    Map<String, Long> rows = perFile.stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(rows).containsEntry("valid.csv.gz", 2L).containsEntry("valid.parquet", 3L);
    // The readable part of the truncated gzip is kept; the rest is one reject naming where it broke.
    assertThat(rows.get("truncated.csv.gz")).isBetween(1L, 4999L);
    String detail =
        sql("SELECT detail FROM %s WHERE _source_file LIKE '%%truncated.csv.gz'", catalog.qualified(Tables.RAW_REJECTS))
            .get(0)
            .getString(0);
    assertThat(detail).startsWith("read failed after line " + (rows.get("truncated.csv.gz") + 1));
    assertThat(count("SELECT count(*) FROM %s WHERE device_id IN ('p1', 'p2', 'p3')", catalog.qualified(Tables.STAGING_PINGS)))
        .isEqualTo(3);
  }

  /** A Parquet file as another tool would deliver it: typed columns, epoch-second times. */
  @Test
  void rejectsAreGatheredWhileParsingAndParsedAgainOnlyWhenTooManyToGather() throws Exception {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.csv(D, "a.csv", "v1,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z", "short,row", "v2,idfa,19.41,-99.11,10,2024-05-06T10:00:00Z", "x,y");
    landing.jsonl(D, "b.jsonl", "{\"device_id\":\"j1\",\"latitude\":19.3,\"longitude\":-99.0,\"event_ts\":\"2024-05-06T09:00:00Z\"}", "{broken");
    String[] many = IntStream.range(0, 300).mapToObj(i -> "t" + i + ",aaid,19.4,-99.1,10,2024-05-06T10:00:00Z").toArray(String[]::new);
    byte[] gzip = Files.readAllBytes(landing.csvGz(D, "c.csv.gz", many));
    landing.bytes(D, "c.csv.gz", Arrays.copyOf(gzip, gzip.length / 2));

    Parses gatheredOnTheSide = ingestCountingParses(catalog, config, SideRejects.DEFAULT_BUDGET_BYTES);
    Parses parsedAgain = ingestCountingParses(catalog, config, 1);

    assertThat(gatheredOnTheSide.rejects()).hasSize(4).isEqualTo(parsedAgain.rejects());
    assertThat(gatheredOnTheSide.rejects()).anyMatch(r -> r.contains("unreadable_file")).anyMatch(r -> r.contains("malformed_json"));
    assertThat(gatheredOnTheSide.stagesParsing()).isEqualTo(1);
    assertThat(parsedAgain.stagesParsing()).isEqualTo(2);
  }

  private record Parses(List<String> rejects, int stagesParsing) {}

  /** Ingests the date; returns raw.rejects and how many Spark stages parsed the delivery. */
  private static Parses ingestCountingParses(LakehouseCatalog catalog, GeolakeConfig config, long rejectBudgetBytes)
      throws java.util.concurrent.TimeoutException {
    java.util.concurrent.atomic.AtomicInteger parsing = new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener listener =
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted completed) {
            boolean parses =
                scala.collection.JavaConverters.seqAsJavaListConverter(completed.stageInfo().rddInfos()).asJava().stream()
                    .anyMatch(rdd -> rdd.scope().isDefined() && rdd.scope().get().name().equals("parallelize"));
            if (parses) {
              parsing.incrementAndGet();
            }
          }
        };
    spark.sparkContext().addSparkListener(listener);
    try {
      new IngestStep(catalog, config, rejectBudgetBytes).execute(D);
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    List<String> rejects =
        spark.table(catalog.qualified(Tables.RAW_REJECTS)).drop("_load_id").orderBy("_source_file", "_row_number")
            .collectAsList().stream().map(Row::toString).toList();
    return new Parses(rejects, parsing.get());
  }

  private static byte[] validParquet(Path out) throws IOException {
    spark
        .sql(
            "SELECT * FROM VALUES"
                + " ('p1', 19.40D, -99.10D, 1714989600L),"
                + " ('p2', 19.41D, -99.11D, 1714989660L),"
                + " ('p3', 19.42D, -99.12D, 1714989720L)"
                + " AS t(device_id, latitude, longitude, event_ts)")
        .coalesce(1)
        .write()
        .parquet(out.toString());
    try (Stream<Path> files = Files.list(out)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      return Files.readAllBytes(part);
    }
  }
}
