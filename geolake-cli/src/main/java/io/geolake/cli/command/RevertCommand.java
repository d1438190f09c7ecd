package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.run.RunRevert;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake revert --date D}: take back what the date's last run published. */
@Command(
    name = "revert",
    mixinStandardHelpOptions = true,
    description = {
      "Take back what the last run of a date published, for a delivery found bad afterwards.",
      "Every table goes back to the snapshot it had when the run began (no data is "
          + "rewritten). Running a corrected delivery alone cannot do this: the newest delivery wins a key, "
          + "and the bad delivery's other rows would stay. Only the latest published changes can be taken "
          + "back: refused, naming what came after, when a later date's run, geolake maintain or geolake "
          + "forget committed since. The run is marked REVERTED; serve does not run the date again by itself. "
          + "Refused while a run holds the lake."
    })
public final class RevertCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "Delivery date whose last run to revert.")
  LocalDate date;

  @Option(names = "--dry-run", description = "Show what would go back; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    RunRevert.Result result = new RunRevert(Lakehouse.open(config), config).revert(date, dryRun, "cli: " + System.getProperty("user.name"));
    PrintWriter out = spec.commandLine().getOut();
    TablePrinter printer = new TablePrinter(List.of("table", "rows the run published", "rows before it", dryRun ? "would go back" : "went back"));
    long changed = 0;
    for (RunRevert.TableChange t : result.tables()) {
      printer.add(List.of(
          t.table(), String.format("%,d", t.rowsPublished()), String.format("%,d", t.rowsBefore()),
          t.changes() ? "yes" : t.alreadyReverted() ? "already" : "unchanged by the run"));
      changed += t.changes() ? 1 : 0;
    }
    printer.print(out);
    String run = result.run().runId();
    if (dryRun) {
      out.printf("Dry run: %d table(s) would go back to where run %s started; nothing was changed.%n", changed, run);
    } else {
      out.printf("Reverted run %s: %d table(s) back where it started; the run is marked REVERTED. Run the date again when its"
          + " delivery is right: geolake run --date %s. The reverted snapshots stay readable by time travel until geolake maintain"
          + " expires them.%n", run, changed, date);
    }
    if (!result.trainedSince().isEmpty()) {
      out.printf("Model X %s %s trained after run %s published, on rows this revert %s back: train again (geolake train --as-of DATE)"
          + " once the date has run again.%n", String.join(", ", result.trainedSince()), result.trainedSince().size() == 1 ? "was" : "were",
          run, dryRun ? "would take" : "takes");
    }
    out.flush();
    return 0;
  }
}
