package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.DeliverySummary;
import io.geolake.pipeline.run.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Experiment 4: the floor — Spark reading the day's files once and writing them once as Parquet —
 * against the full daily run (ingest + stage) on the same delivery.
 */
final class FloorCase implements BenchCase {
  private final long rowsPerDay;

  FloorCase(long rowsPerDay) {
    this.rowsPerDay = rowsPerDay;
  }

  @Override
  public String name() {
    return "floor";
  }

  @Override
  public String description() {
    return String.format("Full daily run vs Spark reading the input once and writing it once as Parquet (%,d rows)", rowsPerDay);
  }

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig config = ctx.lake("floor");
    List<DeliverySummary> days = ctx.generate(config, 1, rowsPerDay, Map.of());
    long delivered = days.get(0).rows();
    LocalDate date = BenchContext.START;
    Path folder = ctx.deliveryFolder(config, date);

    ctx.warmUp();
    readOnceWriteOnce(ctx, folder); // the floor's own path warms up on the real files
    Meter.Result<Long> floor =
        ctx.meter.measure("floor: read once + write Parquet", () -> readOnceWriteOnce(ctx, folder), files -> new long[] {delivered, delivered});

    StepTimes timing = new StepTimes();
    Meter.Result<RunReport> run = ctx.measureDailyRun("daily run (ingest + stage + features)", config, date, timing);

    List<Measurement> measurements = new ArrayList<>(List.of(floor.measurement(), run.measurement()));
    for (String step : List.of("ingest", "stage", "features")) {
      measurements.add(Measurement.timeAndRows("  of which " + step, timing.seconds(step), delivered, Measurement.NOT_MEASURED, ctx.meter.cores()));
    }
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("daily run / floor (target <= 3)", run.measurement().seconds() / floor.measurement().seconds());
    ratios.put(
        "ingest + stage / floor",
        (timing.seconds("ingest") + timing.seconds("stage")) / floor.measurement().seconds());
    return new Report(
        measurements,
        ratios,
        List.of(
            "The floor reads the CSV with Spark's CSV source (header, all columns as text), the JSON lines"
                + " and the Parquet part with their own sources, and writes each as Parquet once.",
            "The daily run also validates, deduplicates, compares with staging and commits four Iceberg tables."));
  }

  /** Returns the number of files rewritten; rows are known from the generator. */
  static long readOnceWriteOnce(BenchContext ctx, Path folder) {
    Path out = ctx.work.resolve("floor-out");
    long rows = 0;
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> !p.getFileName().toString().startsWith("_")).toList()) {
        String name = f.getFileName().toString();
        var reader = ctx.spark.read();
        var df =
            name.contains(".csv")
                ? reader.option("header", "true").csv(f.toString())
                : name.endsWith(".parquet") ? reader.parquet(f.toString()) : reader.json(f.toString());
        df.write().mode("overwrite").parquet(out.resolve(name).toString());
        rows++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

}
