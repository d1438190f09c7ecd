package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.MonitoredMaintenance;
import io.geolake.ops.alert.Alerter;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.maintenance.TableMaintenance;
import io.geolake.pipeline.maintenance.TableMaintenanceResult;
import io.geolake.pipeline.run.RunStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake maintain}: compaction, snapshot expiry and orphan-file removal on every geolake table. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Keep the lake from growing without bound: retention, compaction, snapshot and orphan cleanup.",
      "Table by table:",
      "1. delete the days older than the table's maintenance.data-retention, if it has one (whole day partitions, no file rewritten);",
      "2. compact the small files of settled days (older than the table's newest day by more than staging.lookback-days);",
      "3. expire snapshots older than maintenance.snapshot-retention, keeping the newest maintenance.retain-last of each branch, "
          + "and delete the files only they needed;",
      "4. delete orphan files older than maintenance.orphan-file-age;",
      "5. delete query audit entries older than maintenance.audit-retention.",
      "Keeps what an unfinished run resumes from and tags the inputs of registered "
          + "model versions (model-x-<version>) so they stay readable: the live version's, "
          + "and the others' until maintenance.model-input-retention. Refused while a run "
          + "holds the lake. A failure raises a \"maintenance failed\" incident on the alert "
          + "channels (alerts.*); the next maintenance that succeeds closes it."
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
    String expiry =
        "snapshots older than " + now.minus(settings.snapshotRetention()) + " (" + readable(settings.snapshotRetention()) + " ago; the newest "
            + settings.retainLast() + " of each branch kept)";
    String orphans = "orphan files older than " + readable(settings.orphanFileAge());
    err.println(
        dryRun
            ? "Dry run: would expire " + expiry + " and delete " + orphans + "; compaction is not estimated"
            : "Compacting settled days' small files, expiring " + expiry + ", deleting " + orphans);
    err.flush();
    TableMaintenance tables = new TableMaintenance(Lakehouse.open(config), config);
    RunStore store = new RunStore(config);
    QueryAudit audit = new QueryAudit(store);
    Instant auditBefore = now.minus(settings.auditRetention());
    Supplier<Maintained> maintenance = () -> {
      List<TableMaintenanceResult> tableResults = tables.run(now, dryRun, r -> {
        err.printf("  %s: %s%s%d of %d snapshots %s, %d orphan files%n", r.table(),
            r.retention() == null ? "" : String.format("%,d rows of days before %s %s, ", r.retention().rows(), r.retention().before(), dryRun ? "past retention" : "deleted"),
            dryRun ? "" : r.compactedFiles() + " small files compacted, ", r.snapshotsExpired(), r.snapshotsBefore(), dryRun ? "would expire" : "expired",
            r.orphans().size());
        err.flush();
      });
      return new Maintained(tableResults, audit.expire(auditBefore, dryRun));
    };
    // Run by cron or a scheduler, maintenance fails unattended: like serve's, it raises an incident,
    // and closes serve's or its own once it succeeds. A dry run changes nothing, so it does neither.
    Clock clock = Clock.systemUTC();
    Maintained done =
        dryRun ? maintenance.get() : new MonitoredMaintenance(new Alerter(config, store, clock), clock, config.serve().timeZone()).run(maintenance);
    List<TableMaintenanceResult> results = done.tables();
    TablePrinter printer =
        new TablePrinter(
            List.of("table", dryRun ? "rows past retention" : "rows past retention deleted", "files compacted", "snapshots", dryRun ? "would expire" : "expired",
                "data files deleted", "metadata files deleted", "orphans", dryRun ? "model-input tags to release" : "model-input tags (+created -released)"));
    for (TableMaintenanceResult r : results) {
      printer.add(
          List.of(
              r.table(),
              r.retention() != null ? String.format("%,d before %s", r.retention().rows(), r.retention().before())
                  : r.compactionDeferred() && hasRetention(config, r.table()) ? "deferred: unfinished run"
                  : "-",
              r.compactionDeferred() ? "deferred: unfinished run"
                  : dryRun ? "-"
                  : r.compactedFiles() == 0 ? "0"
                  : r.compactedFiles() + " -> " + r.compactedInto(),
              String.valueOf(r.snapshotsAfter()),
              String.valueOf(r.snapshotsExpired()),
              dryRun ? "-" : String.format("%,d", r.deletedDataFiles()),
              dryRun ? "-" : String.format("%,d", r.deletedMetadataFiles()),
              String.valueOf(r.orphans().size()),
              tags(r)));
    }
    if (printer.size() == 0) {
      out.println("No tables yet. Run `geolake run --date YYYY-MM-DD` or `geolake demo` first.");
    } else {
      printer.print(out);
      results.stream().flatMap(r -> r.orphans().stream()).forEach(path -> out.println((dryRun ? "orphan: " : "deleted orphan: ") + path));
    }
    long auditEntries = done.auditEntries();
    out.printf("Query audit: %,d %s started before %s (%s ago) %s%n", auditEntries, auditEntries == 1 ? "entry" : "entries", auditBefore,
        readable(settings.auditRetention()), dryRun ? "would be deleted" : "deleted");
    out.flush();
    return 0;
  }

  /** What maintenance did: per table, and the query audit entries it deleted (or would). */
  private record Maintained(List<TableMaintenanceResult> tables, long auditEntries) {}

  private static String tags(TableMaintenanceResult r) {
    List<String> tags = new java.util.ArrayList<>();
    r.tagsCreated().forEach(t -> tags.add("+" + t));
    r.tagsReleased().forEach(t -> tags.add(r.dryRun() ? t : "-" + t));
    return tags.isEmpty() ? "-" : String.join(" ", tags);
  }

  private static boolean hasRetention(GeolakeConfig config, String qualifiedTable) {
    String[] parts = qualifiedTable.split("\\.", 2);
    return config.maintenance().dataRetention(parts[0], parts[1]).isPresent();
  }

  /** "7 days", "36 hours", "90 minutes" or ISO-8601 for anything finer. */
  private static String readable(Duration d) {
    if (d.isZero()) {
      return "0 seconds";
    }
    if (!d.isZero() && d.toSeconds() % 86_400 == 0) {
      return d.toDays() + (d.toDays() == 1 ? " day" : " days");
    }
    if (!d.isZero() && d.toSeconds() % 3_600 == 0) {
      return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
    }
    return d.toSeconds() % 60 == 0 && d.toNanosPart() == 0 ? d.toMinutes() + " minutes" : d.toString();
  }
}
