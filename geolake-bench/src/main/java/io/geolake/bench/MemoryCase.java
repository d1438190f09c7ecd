package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.DeliverySummary;
import io.geolake.pipeline.run.RunReport;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Experiment 7: one large day under a capped heap. Run with {@code GEOLAKE_HEAP=4g}: the daily run
 * must finish, Spark spilling to disk rather than failing. The case reports the heap it ran with,
 * the peak it saw and the bytes spilled, and refuses to claim a cap the JVM did not have.
 */
final class MemoryCase implements BenchCase {
  private final long rowsPerDay;

  MemoryCase(long rowsPerDay) {
    this.rowsPerDay = rowsPerDay;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String description() {
    return String.format("One day of %,d rows with the heap capped at %,d MB", rowsPerDay, Runtime.getRuntime().maxMemory() >> 20);
  }

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig config = ctx.lake("memory");
    // A day this large comes in many parts; one part per million rows, so ingest reads in parallel.
    int files = (int) Math.max(3, rowsPerDay / 1_000_000);
    List<DeliverySummary> days = ctx.generate(config, 1, rowsPerDay, Map.of(), files);
    LocalDate date = BenchContext.START;
    ctx.warmUp();
    long spilledBefore = ctx.meter.diskBytesSpilled.get();
    StepTimes timing = new StepTimes();
    Meter.Result<RunReport> run = ctx.measureDailyRun("daily run (ingest + stage + features)", config, date, timing);
    long spilled = ctx.meter.diskBytesSpilled.get() - spilledBefore;

    List<Measurement> measurements = new ArrayList<>(List.of(run.measurement()));
    for (String step : List.of("ingest", "stage", "features", "quality")) {
      measurements.add(Measurement.timeAndRows("  of which " + step, timing.seconds(step), days.get(0).rows(), Measurement.NOT_MEASURED, ctx.meter.cores()));
    }
    long maxHeap = Runtime.getRuntime().maxMemory();
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("peak heap / heap cap", (double) run.measurement().peakHeapBytes() / maxHeap);
    ratios.put("disk bytes spilled, MB", spilled / 1048576.0);
    RunReport report = run.value();
    List<String> notes = new ArrayList<>();
    notes.add(String.format("heap cap (-Xmx, GEOLAKE_HEAP) %,d MB; the run finished: %,d delivered, %,d inserted into staging, %,d stays",
        maxHeap >> 20, report.ingest().deliveredRows(), report.stage().inserted(), report.features().stayPoints()));
    notes.add(String.format("%d part files (csv.gz, json lines, parquet round-robin); local mode: driver and executors share this one heap;"
        + " spilled = Spark tasks' diskBytesSpilled.", files));
    return new Report(measurements, ratios, notes);
  }
}
