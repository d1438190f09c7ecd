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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A vendor that nests its fields: sources.*.fields map them by dotted paths in JSON lines and Parquet. */
class TestNestedFields extends BaseSparkTest {
  private static final LocalDate D = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void dottedPathsReachIntoNestedObjectsAndStructsAndAFileWithoutThemIsRejectedNamingThePath() throws IOException {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0", "sources.pings.fields.device_id=device.id",
        "sources.pings.fields.latitude=location.lat", "sources.pings.fields.longitude=location.lon",
        "sources.pings.fields.horizontal_accuracy=location.accuracy", "sources.pings.fields.event_ts=ts");
    LakehouseCatalog catalog = catalog(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.jsonl(D, "a.jsonl",
        "{\"device\":{\"id\":\"n1\",\"os\":\"ios\"},\"location\":{\"lat\":19.40,\"lon\":-99.10,\"accuracy\":8},\"ts\":\"2024-05-06T10:00:00Z\"}",
        "{\"device\":{\"id\":\"n2\"},\"location\":null,\"ts\":\"2024-05-06T10:05:00Z\"}",
        // A top-level key spelling the whole name wins over the path.
        "{\"device.id\":\"n3\",\"device\":{\"id\":\"not-n3\"},\"location\":{\"lat\":19.42,\"lon\":-99.12},\"ts\":\"2024-05-06T10:10:00Z\"}");
    landing.bytes(D, "b.parquet", parquet("SELECT named_struct('id', 'p1') AS device,"
        + " named_struct('lat', 19.41D, 'lon', -99.11D, 'accuracy', 5.0D) AS location, 1714989600L AS ts"));
    landing.bytes(D, "c.parquet", parquet("SELECT named_struct('id', 'p2') AS device, named_struct('lon', -99.11D) AS location, 1714989600L AS ts"));

    RunReport report = new DailyRun(catalog, config, RunListener.NONE).run(D);

    Map<String, Row> staged = sql("SELECT device_id, latitude, longitude, horizontal_accuracy, event_ts FROM %s", catalog.qualified(Tables.STAGING_PINGS))
        .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    assertThat(staged).containsOnlyKeys("n1", "n3", "p1");
    assertThat(staged.get("n1").getDouble(1)).isEqualTo(19.40);
    assertThat(staged.get("n1").getDouble(3)).isEqualTo(8.0);
    assertThat(staged.get("p1").getDouble(2)).isEqualTo(-99.11);
    assertThat(staged.get("p1").getDouble(3)).isEqualTo(5.0);
    assertThat(staged.get("p1").getTimestamp(4).toInstant()).hasToString("2024-05-06T10:00:00Z");
    assertThat(report.stage().quarantinedByReason()).containsEntry("invalid_coordinates", 1L);
    // Nothing delivered is lost: the nested objects are kept whole in raw's _extra.
    assertThat(sql("SELECT _extra['device'] FROM %s WHERE device_id = 'n1'", catalog.qualified(Tables.RAW_PINGS)).get(0).getString(0))
        .isEqualTo("{\"id\":\"n1\",\"os\":\"ios\"}");

    List<Row> rejects = sql("SELECT reason, detail FROM %s WHERE _source_file LIKE '%%c.parquet'", catalog.qualified(Tables.RAW_REJECTS));
    assertThat(rejects).singleElement().satisfies(r -> {
      assertThat(r.getString(0)).isEqualTo("missing_columns");
      assertThat(r.getString(1)).isEqualTo("schema lacks required column(s) [location.lat]; found [device.id, location.lon, ts]");
    });
  }

  private byte[] parquet(String select) throws IOException {
    Path out = Files.createTempDirectory(data, "parquet");
    Files.delete(out);
    spark.sql(select).coalesce(1).write().parquet(out.toString());
    try (Stream<Path> files = Files.list(out)) {
      return Files.readAllBytes(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow());
    }
  }
}
