package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.maintenance.TableMaintenance;
import io.geolake.pipeline.maintenance.TableMaintenanceResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake maintain}: snapshot expiry and orphan-file removal on every geolake table. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Expire every table's snapshots older than maintenance.snapshot-retention (keeping the maintenance.retain-last",
      "newest of each branch), delete the files only they needed, and delete orphan files older than",
      "maintenance.orphan-file-age. Keeps what an unfinished run resumes from and tags the inputs of registered model",
      "versions (model-x-<version>) so they stay readable. Waits for no run: refused while one holds the lake."
    })
public final class MaintainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "Report what would be expired and deleted; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    GeolakeConfig.Maintenance settings = config.maintenance();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Instant now = Instant.now();
    err.printf("%s snapshots older than %s (%s ago; the newest %d of each branch kept) and orphan files older than %s%n",
        dryRun ? "Dry run: would expire" : "Expiring", now.minus(settings.snapshotRetention()), readable(settings.snapshotRetention()),
        settings.retainLast(), readable(settings.orphanFileAge()));
    err.flush();
    List<TableMaintenanceResult> results =
        new TableMaintenance(Lakehouse.open(config), config).run(now, dryRun, r -> {
          err.printf("  %s: %d of %d snapshots %s, %d orphan files%n", r.table(), r.snapshotsExpired(), r.snapshotsBefore(),
              dryRun ? "would expire" : "expired", r.orphans().size());
          err.flush();
        });
    TablePrinter printer =
        new TablePrinter(List.of("table", "snapshots", dryRun ? "would expire" : "expired", "data files deleted", "metadata files deleted", "orphans", "tags created"));
    for (TableMaintenanceResult r : results) {
      printer.add(
          List.of(
              r.table(),
              String.valueOf(r.snapshotsAfter()),
              String.valueOf(r.snapshotsExpired()),
              dryRun ? "-" : String.format("%,d", r.deletedDataFiles()),
              dryRun ? "-" : String.format("%,d", r.deletedMetadataFiles()),
              String.valueOf(r.orphans().size()),
              r.tagsCreated().isEmpty() ? "-" : String.join(" ", r.tagsCreated())));
    }
    if (printer.size() == 0) {
      out.println("No tables yet. Run `geolake run --date YYYY-MM-DD` or `geolake demo` first.");
    } else {
      printer.print(out);
      results.stream().flatMap(r -> r.orphans().stream()).forEach(path -> out.println((dryRun ? "orphan: " : "deleted orphan: ") + path));
    }
    out.flush();
    return 0;
  }

  /** "7 days", "36 hours", "90 minutes" or ISO-8601 for anything finer. */
  private static String readable(Duration d) {
    if (!d.isZero() && d.toSeconds() % 86_400 == 0) {
      return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    }
    if (!d.isZero() && d.toSeconds() % 3_600 == 0) {
      return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
    }
    return d.toSeconds() % 60 == 0 && d.toNanosPart() == 0 ? d.toMinutes() + " minutes" : d.toString();
  }
}
