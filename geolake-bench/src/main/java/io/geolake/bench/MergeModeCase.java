package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Experiment 3: copy-on-write vs merge-on-read for the staging MERGE, side by side on the same
 * deliveries (two lakes over one landing folder, runs alternating day by day), then what reading
 * staging costs in each, and what compacting the merge-on-read table buys back.
 */
final class MergeModeCase implements BenchCase {

  private final long rowsPerDay;
  private final int days;

  MergeModeCase(long rowsPerDay, int days) {
    this.rowsPerDay = rowsPerDay;
    this.days = days;
  }

  @Override
  public String name() {
    return "merge-mode";
  }

  @Override
  public String description() {
    return String.format("Staging MERGE copy-on-write vs merge-on-read over %d days of %,d rows, reads before and after compaction", days, rowsPerDay);
  }

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig cow = ctx.lake("merge-cow", "staging.merge-mode=copy-on-write");
    ctx.generate(cow, days, rowsPerDay, Map.of());
    String landing = ctx.work.resolve(cow.data()).resolve("landing").toString();
    cow = ctx.lake("merge-cow", "staging.merge-mode=copy-on-write", "landing=" + landing);
    GeolakeConfig mor = ctx.lake("merge-mor", "staging.merge-mode=merge-on-read", "landing=" + landing);
    ctx.warmUp();
    LakehouseCatalog cowCatalog = ctx.catalog(cow);
    LakehouseCatalog morCatalog = ctx.catalog(mor);

    List<Measurement> measurements = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    double[] stageSeconds = new double[2];
    long[] updated = new long[2];
    long[][] bytes = new long[2][2];
    for (int d = 1; d <= days; d++) {
      LocalDate date = BenchContext.START.plusDays(d - 1);
      int i = 0;
      for (GeolakeConfig config : List.of(cow, mor)) {
        LakehouseCatalog catalog = i == 0 ? cowCatalog : morCatalog;
        catalog.ensureTables(config);
        Set<Long> before = Spark.snapshotIds(catalog.table(Tables.STAGING_PINGS));
        StepTimes timing = new StepTimes();
        RunReport report = new DailyRun(catalog, config, timing).run(date);
        long[] written = Spark.writtenAndRemoved(catalog.table(Tables.STAGING_PINGS), before);
        stageSeconds[i] += timing.seconds("stage");
        updated[i] += report.stage().updated() + report.stage().lateMerged();
        bytes[i][0] += written[0];
        bytes[i][1] += written[1];
        notes.add(String.format("day %d %s: stage %.1f s, %,d updated, staging bytes written %,d, removed %,d", d, i == 0 ? "copy-on-write" : "merge-on-read",
            timing.seconds("stage"), report.stage().updated(), written[0], written[1]));
        i++;
      }
    }
    measurements.add(new Measurement("copy-on-write: stage steps, all days", stageSeconds[0], rowsPerDay * days, updated[0], Measurement.NOT_MEASURED, bytes[0][0], Measurement.NOT_MEASURED, Measurement.NOT_MEASURED, ctx.meter.cores()));
    measurements.add(new Measurement("merge-on-read: stage steps, all days", stageSeconds[1], rowsPerDay * days, updated[1], Measurement.NOT_MEASURED, bytes[1][0], Measurement.NOT_MEASURED, Measurement.NOT_MEASURED, ctx.meter.cores()));

    String cowStaging = cowCatalog.qualified(Tables.STAGING_PINGS);
    String morStaging = morCatalog.qualified(Tables.STAGING_PINGS);
    long deleteFiles = deleteFiles(morCatalog.table(Tables.STAGING_PINGS));
    Measurement cowRead = Spark.scan(ctx, "copy-on-write: read staging", cowStaging);
    Measurement morRead = Spark.scan(ctx, "merge-on-read: read staging", morStaging);
    Meter.Result<Long> compaction =
        ctx.meter.measure(
            "merge-on-read: compact staging",
            () -> {
              ctx.spark.sql("CALL " + morCatalog.name() + ".system.rewrite_data_files(table => 'staging.pings', options => map('delete-file-threshold', '1'))")
                  .collectAsList();
              return deleteFiles(morCatalog.table(Tables.STAGING_PINGS));
            },
            left -> new long[] {Measurement.NOT_MEASURED, Measurement.NOT_MEASURED});
    Measurement morCompactedRead = Spark.scan(ctx, "merge-on-read: read after compaction", morStaging);
    measurements.addAll(List.of(cowRead, morRead, compaction.measurement(), morCompactedRead));

    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("merge-on-read / copy-on-write stage time", stageSeconds[1] / stageSeconds[0]);
    ratios.put("merge-on-read / copy-on-write staging bytes written", (double) bytes[1][0] / Math.max(1, bytes[0][0]));
    ratios.put("merge-on-read / copy-on-write read time", morRead.seconds() / cowRead.seconds());
    ratios.put("merge-on-read after compaction / copy-on-write read time", morCompactedRead.seconds() / cowRead.seconds());
    ratios.put("(merge-on-read stage + compaction) / copy-on-write stage time", (stageSeconds[1] + compaction.measurement().seconds()) / stageSeconds[0]);
    notes.add(String.format("merge-on-read staging held %,d delete files before compaction, %,d after", deleteFiles, compaction.value()));
    notes.add("read = " + String.format(Spark.SCAN_QUERY, "staging.pings") + ", run once per table after the last day; both lakes ran the same deliveries.");
    return new Report(measurements, ratios, notes);
  }

  private static long deleteFiles(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    return current == null ? 0 : Long.parseLong(current.summary().getOrDefault("total-delete-files", "0"));
  }
}
