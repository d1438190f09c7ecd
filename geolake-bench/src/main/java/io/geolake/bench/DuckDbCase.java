package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.DeliverySummary;
import io.geolake.pipeline.run.RunReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiment 5: a single-node reference. DuckDB reads the same delivery files, types and
 * validates them, keeps the newest row per key and writes Parquet; geolake runs the same day.
 */
final class DuckDbCase implements BenchCase {
  private final long rowsPerDay;

  DuckDbCase(long rowsPerDay) {
    this.rowsPerDay = rowsPerDay;
  }

  @Override
  public String name() {
    return "duckdb";
  }

  @Override
  public String description() {
    return String.format("Clean + dedupe of one delivery (%,d rows): geolake's daily run vs the same in DuckDB", rowsPerDay);
  }

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig config = ctx.lake("duckdb");
    List<DeliverySummary> days = ctx.generate(config, 1, rowsPerDay, Map.of());
    long delivered = days.get(0).rows();
    LocalDate date = BenchContext.START;
    Path folder = ctx.deliveryFolder(config, date);
    Path out = ctx.work.resolve("duckdb-out.parquet");

    ctx.warmUp();
    duckDb(folder, out); // warm-up of the same path
    Meter.Result<Long> duckRun = ctx.meter.measure("DuckDB: read, clean, dedupe, write Parquet", () -> duckDb(folder, out), n -> new long[] {delivered, n});
    // DuckDB reads every delivered file whole and writes one file: their sizes are its bytes.
    Meter.Result<Long> duck = new Meter.Result<>(duckRun.value(), duckRun.measurement().withBytes(sizeOf(folder), sizeOf(out)));
    StepTimes timing = new StepTimes();
    Meter.Result<RunReport> ours = ctx.measureDailyRun("geolake daily run (ingest + stage + features)", config, date, timing);
    // DuckDB's query is the clean + dedupe part: compare it with ingest + stage, not features.
    Measurement cleanAndDedupe =
        Measurement.timeAndRows(
            "geolake ingest + stage (clean + dedupe)", timing.seconds("ingest") + timing.seconds("stage"), delivered,
            ours.value().stage().inserted(), ctx.meter.cores());
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("geolake ingest + stage / DuckDB (target <= 3)", cleanAndDedupe.seconds() / duck.measurement().seconds());
    return new Report(
        List.of(duck.measurement(), ours.measurement(), cleanAndDedupe),
        ratios,
        List.of(
            String.format("DuckDB kept %,d rows, geolake staged %,d.", duck.value(), ours.value().stage().inserted()),
            "DuckDB does the row rules (types, ranges, (0,0), accuracy, time bounds) and the key dedupe;"
                + " it does not record rejects, quarantine reasons, lineage, speed jumps or merge into history,"
                + " and writes one Parquet file instead of committing four Iceberg tables.",
            "geolake steps: ingest " + timing.seconds("ingest") + " s, stage " + timing.seconds("stage") + " s, features " + timing.seconds("features") + " s."));
  }

  private static long sizeOf(Path path) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(path)) {
      return files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long duckDb(Path folder, Path out) {
    String dir = folder.toString().replace("'", "''");
    String typed =
        "SELECT device_id, latitude, longitude, horizontal_accuracy, event_ts, _file, _row FROM ("
            + " SELECT device_id, id_type, latitude, longitude, horizontal_accuracy, event_ts, filename AS _file,"
            + "   row_number() OVER () AS _row FROM read_csv('" + dir + "/*.csv.gz', header = true, all_varchar = true,"
            + "   ignore_errors = true, filename = true)"
            + " UNION ALL BY NAME"
            + " SELECT device_id, id_type, CAST(latitude AS VARCHAR) AS latitude, CAST(longitude AS VARCHAR) AS longitude,"
            + "   CAST(horizontal_accuracy AS VARCHAR) AS horizontal_accuracy, CAST(event_ts AS VARCHAR) AS event_ts,"
            + "   filename AS _file, row_number() OVER () AS _row"
            + " FROM read_json('" + dir + "/*.jsonl', format = 'newline_delimited', ignore_errors = true, filename = true,"
            + "   columns = {device_id: 'VARCHAR', id_type: 'VARCHAR', latitude: 'VARCHAR', longitude: 'VARCHAR',"
            + "   horizontal_accuracy: 'VARCHAR', event_ts: 'VARCHAR'})"
            + " UNION ALL BY NAME"
            + " SELECT device_id, id_type, CAST(latitude AS VARCHAR) AS latitude, CAST(longitude AS VARCHAR) AS longitude,"
            + "   CAST(horizontal_accuracy AS VARCHAR) AS horizontal_accuracy, CAST(event_ts AS VARCHAR) AS event_ts,"
            + "   filename AS _file, row_number() OVER () AS _row"
            + " FROM read_parquet('" + dir + "/*.parquet', filename = true))";
    String clean =
        "SELECT device_id, try_cast(latitude AS DOUBLE) AS lat, try_cast(longitude AS DOUBLE) AS lon,"
            + " try_cast(horizontal_accuracy AS DOUBLE) AS acc,"
            + " CASE WHEN regexp_full_match(trim(event_ts), '-?[0-9]+') THEN"
            + "   CASE WHEN abs(CAST(event_ts AS DOUBLE)) >= 1e11 THEN make_timestamp(CAST(CAST(event_ts AS DOUBLE) * 1000 AS BIGINT))"
            + "   ELSE make_timestamp(CAST(CAST(event_ts AS DOUBLE) * 1000000 AS BIGINT)) END"
            + " ELSE try_cast(try_cast(event_ts AS TIMESTAMPTZ) AS TIMESTAMP) END AS ts, _file, _row FROM (" + typed + ")";
    String sql =
        "COPY (SELECT * EXCLUDE (rn) FROM ("
            + " SELECT *, row_number() OVER (PARTITION BY device_id, ts ORDER BY _file DESC, _row DESC) AS rn FROM (" + clean + ")"
            + " WHERE device_id IS NOT NULL AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180"
            + " AND NOT (lat = 0 AND lon = 0) AND (acc IS NULL OR acc BETWEEN 0 AND 500)"
            + " AND ts IS NOT NULL AND ts >= TIMESTAMP '2000-01-01'"
            + ") WHERE rn = 1) TO '" + out.toString().replace("'", "''") + "' (FORMAT parquet)";
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
      statement.execute(sql);
      try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM read_parquet('" + out.toString().replace("'", "''") + "')")) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB reference failed: " + e.getMessage(), e);
    }
  }
}
