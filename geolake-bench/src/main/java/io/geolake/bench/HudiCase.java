package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.PingField;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.Validation;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Experiment 6: a peer's upsert. Apache Hudi (copy-on-write, keyed by the same key, partitioned by
 * event day) upserts each day's delivery, side by side with geolake's stage step over the same
 * deliveries, day by day.
 *
 * <p>Hudi is given the delivery typed and passing staging's row rules (the same expressions), and
 * orders versions of a key the way geolake does (later delivery, then later file, then later
 * line), so both end with one row per key, the newest delivery winning. geolake's step also
 * classifies duplicates and speed jumps, writes the quarantine, and skips rows identical to
 * staging's; the notes say how the two tables differ.
 */
final class HudiCase implements BenchCase {
  private final long rowsPerDay;
  private final int days;

  HudiCase(long rowsPerDay, int days) {
    this.rowsPerDay = rowsPerDay;
    this.days = days;
  }

  @Override
  public String name() {
    return "hudi";
  }

  @Override
  public String description() {
    return String.format("Apache Hudi upsert vs geolake's stage step (validate, dedupe, MERGE) over %d days of %,d rows", days, rowsPerDay);
  }

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig config = ctx.lake("hudi-peer");
    ctx.generate(config, days, rowsPerDay, Map.of());
    ctx.warmUp();
    LakehouseCatalog catalog = ctx.catalog(config);
    catalog.ensureTables(config);
    String hudiPath = ctx.work.resolve("hudi-peer-table").toUri().toString();

    List<String> notes = new ArrayList<>();
    double geolakeSeconds = 0;
    double hudiSeconds = 0;
    long hudiBytes = 0;
    long hudiFiles = 0;
    long hudiPeak = 0;
    for (int d = 1; d <= days; d++) {
      LocalDate date = BenchContext.START.plusDays(d - 1);
      StepTimes timing = new StepTimes();
      RunReport report = new DailyRun(catalog, config, timing).run(date);
      geolakeSeconds += timing.seconds("stage");
      Dataset<Row> delivery = typedDelivery(ctx, catalog, config, date);
      boolean first = d == 1;
      Meter.Result<Long> upsert =
          ctx.meter.measure(
              "hudi upsert day " + d,
              () -> {
                ctx.spark.sparkContext().setJobDescription("hudi upsert " + date);
                upsert(delivery, hudiPath, first);
                ctx.spark.sparkContext().setJobDescription(null);
                return report.ingest().deliveredRows();
              },
              n -> new long[] {n, Measurement.NOT_MEASURED});
      hudiSeconds += upsert.measurement().seconds();
      hudiBytes += upsert.measurement().bytesWritten();
      hudiFiles += upsert.measurement().filesWritten();
      hudiPeak = Math.max(hudiPeak, upsert.measurement().peakHeapBytes());
      notes.add(String.format("day %d: geolake stage %.1f s (%,d inserted, %,d updated), hudi upsert %.1f s",
          d, timing.seconds("stage"), report.stage().inserted(), report.stage().updated(), upsert.measurement().seconds()));
    }
    long stagingRows = ctx.spark.table(catalog.qualified(Tables.STAGING_PINGS)).count();
    Dataset<Row> hudi = ctx.spark.read().format("hudi").load(hudiPath);
    long hudiRows = hudi.count();
    long hudiKeys = hudi.select("device_id", "event_ts").distinct().count();

    List<Measurement> measurements = new ArrayList<>();
    long rows = rowsPerDay * days;
    measurements.add(Measurement.timeAndRows("geolake stage steps, all days", geolakeSeconds, rows, stagingRows, ctx.meter.cores()));
    measurements.add(new Measurement("hudi upserts, all days", hudiSeconds, rows, hudiRows, Measurement.NOT_MEASURED, hudiBytes, hudiFiles, hudiPeak, ctx.meter.cores()));
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("geolake stage / hudi upsert time", geolakeSeconds / hudiSeconds);
    notes.add(String.format("after %d days: staging.pings %,d rows; hudi table %,d rows, %,d distinct keys", days, stagingRows, hudiRows, hudiKeys));
    notes.add("hudi gets the rows passing staging's row rules; it keeps the speed jumps and too-late rows geolake quarantines,"
        + " so it holds a few more rows; hudi: COPY_ON_WRITE, ComplexKeyGenerator on the key, partitioned by event day, default index,"
        + " ordering field = delivery date | file | line, embedded timeline server off.");
    notes.add("the session runs with Spark's Kryo serializer (Hudi requires it), so both sides here ran with it.");
    return new Report(measurements, ratios, notes);
  }

  /** The date's raw rows typed and passing staging's row rules, as the stage step reads them. */
  private static Dataset<Row> typedDelivery(BenchContext ctx, LakehouseCatalog catalog, GeolakeConfig config, LocalDate date) {
    Validation validation = new Validation(config.rules(), date);
    String typed = String.join(", ", validation.typedColumns());
    String fields = java.util.Arrays.stream(PingField.values()).map(f -> "t_" + f.column() + " AS " + f.column()).collect(java.util.stream.Collectors.joining(", "));
    return ctx.spark.sql(
        "SELECT " + fields + ", _source_file, _row_number, _ingest_date, _load_id,"
            + " date_format(t_event_ts, 'yyyy-MM-dd') AS event_date,"
            + " concat(CAST(_ingest_date AS STRING), '|', _source_file, '|', lpad(CAST(_row_number AS STRING), 12, '0')) AS _version"
            + " FROM (SELECT *, " + typed + " FROM " + catalog.qualified(Tables.RAW_PINGS)
            + "  WHERE _ingest_date = DATE '" + date + "')"
            + " WHERE (" + validation.reasonExpression() + ") IS NULL");
  }

  private static void upsert(Dataset<Row> rows, String path, boolean create) {
    rows.write()
        .format("hudi")
        .option("hoodie.table.name", "pings_hudi")
        .option("hoodie.datasource.write.table.type", "COPY_ON_WRITE")
        .option("hoodie.datasource.write.operation", "upsert")
        .option("hoodie.datasource.write.recordkey.field", "device_id,event_ts")
        .option("hoodie.datasource.write.keygenerator.class", "org.apache.hudi.keygen.ComplexKeyGenerator")
        .option("hoodie.datasource.write.partitionpath.field", "event_date")
        .option("hoodie.datasource.write.precombine.field", "_version")
        .option("hoodie.embed.timeline.server", "false")
        .mode(create ? SaveMode.Overwrite : SaveMode.Append)
        .save(path);
  }
}
