package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code geolake tables}: every table with its rows, files and snapshots, from Iceberg metadata. */
@Command(name = "tables", mixinStandardHelpOptions = true, description = "List tables with row counts and snapshots (read from metadata, no scan).")
public final class TablesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    LakehouseCatalog catalog = Lakehouse.open(common.load());
    TablePrinter printer =
        new TablePrinter(List.of("table", "rows", "data files", "snapshots", "current snapshot", "committed at (UTC)"));
    for (Row ns : catalog.spark().sql("SHOW NAMESPACES IN " + catalog.name()).collectAsList()) {
      String namespace = ns.getString(0);
      for (Row t : catalog.spark().sql("SHOW TABLES IN " + catalog.name() + "." + namespace).collectAsList()) {
        String name = namespace + "." + t.getString(1);
        Table table = catalog.table(name);
        Snapshot current = table.currentSnapshot();
        int snapshots = 0;
        for (Snapshot ignored : table.snapshots()) {
          snapshots++;
        }
        printer.add(
            List.of(
                name,
                current == null ? "0" : String.format("%,d", Long.parseLong(current.summary().getOrDefault("total-records", "0"))),
                current == null ? "0" : current.summary().getOrDefault("total-data-files", "0"),
                String.valueOf(snapshots),
                current == null ? "-" : String.valueOf(current.snapshotId()),
                current == null ? "-" : Instant.ofEpochMilli(current.timestampMillis()).toString()));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (printer.size() == 0) {
      out.println("No tables yet in " + catalog.name() + ". Run `geolake run --date YYYY-MM-DD` or `geolake demo` first.");
    } else {
      printer.print(out);
    }
    out.flush();
    return 0;
  }
}
