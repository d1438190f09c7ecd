package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.maintenance.TableMaintenance;
import io.geolake.pipeline.maintenance.TableMaintenanceResult;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;

/**
 * What geolake maintain costs and reclaims: real daily runs build a lake, then maintenance runs as
 * if every snapshot but the newest were past the retention (snapshot-retention PT0S,
 * retain-last 1). Reports the warehouse's bytes, files and snapshots before and after, the
 * maintenance time next to a daily run's, and a scan of staging before and after.
 */
final class MaintainCase implements BenchCase {

  private final long rowsPerDay;
  private final int days;

  MaintainCase(long rowsPerDay, int days) {
    this.rowsPerDay = rowsPerDay;
    this.days = days;
  }

  @Override
  public String name() {
    return "maintain";
  }

  @Override
  public String description() {
    return String.format("geolake maintain after %d daily runs of %,d rows: time, and warehouse bytes, files and snapshots before and after", days, rowsPerDay);
  }

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig config = ctx.lake("maintain", "maintenance.snapshot-retention=PT0S", "maintenance.retain-last=1");
    ctx.generate(config, days, rowsPerDay, Map.of());
    ctx.warmUp();
    LakehouseCatalog catalog = ctx.catalog(config);
    List<Measurement> measurements = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    double runSeconds = 0;
    for (int d = 1; d <= days; d++) {
      LocalDate date = BenchContext.START.plusDays(d - 1);
      Measurement run = ctx.measureDailyRun("daily run " + date, config, date, io.geolake.pipeline.run.RunListener.NONE).measurement();
      runSeconds += run.seconds();
      if (d == days) {
        measurements.add(run);
      }
    }
    Path warehouse = ctx.work.resolve(config.data()).resolve("warehouse");
    long[] before = folder(warehouse);
    int snapshotsBefore = snapshots(catalog);
    String staging = catalog.qualified(Tables.STAGING_PINGS);
    Measurement readBefore = Spark.scan(ctx, "read staging before maintenance", staging);

    Meter.Result<List<TableMaintenanceResult>> maintained =
        ctx.meter.measure(
            "maintain (every table)",
            () -> new TableMaintenance(catalog, config).run(Instant.now(), false, r -> {}),
            results -> new long[] {Measurement.NOT_MEASURED, Measurement.NOT_MEASURED});
    long[] after = folder(warehouse);
    Measurement readAfter = Spark.scan(ctx, "read staging after maintenance", staging);
    measurements.addAll(List.of(readBefore, maintained.measurement(), readAfter));

    long compacted = 0;
    long compactedInto = 0;
    long deleted = 0;
    for (TableMaintenanceResult r : maintained.value()) {
      compacted += r.compactedFiles();
      compactedInto += r.compactedInto();
      deleted += r.deletedDataFiles();
      notes.add(String.format("%s: %d small files compacted into %d, %d of %d snapshots expired, %d data files and %d metadata files deleted", r.table(),
          r.compactedFiles(), r.compactedInto(), r.snapshotsExpired(), r.snapshotsBefore(), r.deletedDataFiles(), r.deletedMetadataFiles()));
    }
    notes.add(0, String.format(
        "warehouse before: %,d bytes in %,d files, %d snapshots; after: %,d bytes in %,d files, %d snapshots. %d small files compacted into %d; %d data files"
            + " only expired snapshots referenced were deleted. %d daily runs took %.1f s in all.",
        before[0], before[1], snapshotsBefore, after[0], after[1], snapshots(catalog), compacted, compactedInto, deleted, days, runSeconds));
    notes.add("read = " + String.format(Spark.SCAN_QUERY, "staging.pings") + "; maintenance as if every snapshot but each branch's newest were past retention.");

    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("warehouse bytes after / before", (double) after[0] / before[0]);
    ratios.put("warehouse files after / before", (double) after[1] / before[1]);
    ratios.put("maintain / last daily run time", maintained.measurement().seconds() / measurements.get(0).seconds());
    ratios.put("read staging after / before maintenance", readAfter.seconds() / readBefore.seconds());
    return new Report(measurements, ratios, notes);
  }

  private static int snapshots(LakehouseCatalog catalog) {
    int n = 0;
    for (TableDefinition table : Tables.ALL) {
      for (Snapshot ignored : catalog.table(table).snapshots()) {
        n++;
      }
    }
    return n;
  }

  /** Bytes and files under a folder, checksum files left out. */
  private static long[] folder(Path folder) {
    long[] total = new long[2];
    try (Stream<Path> files = Files.walk(folder)) {
      files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".crc")).forEach(p -> {
        try {
          total[0] += Files.size(p);
          total[1]++;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot measure " + folder + ": " + e.getMessage(), e);
    }
    return total;
  }
}
