package io.geolake.cli.command;

import io.geolake.cli.output.ConsoleProgress;
import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.run.Backfill;
import io.geolake.ops.Operations;
import io.geolake.pipeline.run.DateRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake backfill --from D1 --to D2}: the daily run of every date in the range, in order. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Run every date from --from to --to in order (the lookback window makes order matter).",
      "Dates whose last run succeeded are skipped unless --force; unfinished runs are resumed; the first failure stops the backfill."
    })
public final class BackfillCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First delivery date.")
  LocalDate from;

  @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last delivery date (inclusive).")
  LocalDate to;

  @Option(names = "--landing", paramLabel = "DIR", description = "Landing root holding <source>/dt=YYYY-MM-DD/ (overrides the config).")
  String landing;

  @Option(names = "--force", description = "Run dates again even when their last run succeeded.")
  boolean force;

  @Override
  public Integer call() {
    if (to.isBefore(from)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Invalid range: --to " + to + " is before --from " + from);
    }
    GeolakeConfig config = landing == null ? common.load() : common.load("landing=" + landing);
    LakehouseCatalog catalog = Lakehouse.open(config);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DateRunner run = Operations.monitoredRun(catalog, config, new ConsoleProgress(catalog.spark(), err), new SimpleMeterRegistry());
    List<Backfill.Outcome> outcomes =
        new Backfill(run, new RunStore(config))
            .run(from, to, force, new Backfill.Progress() {
              @Override
              public void dateStarted(LocalDate date, int index, int total) {
                err.printf("== backfill %d/%d: %s%n", index, total, date);
                err.flush();
              }

              @Override
              public void dateFinished(Backfill.Outcome outcome, int index, int total) {
                err.printf("== backfill %d/%d: %s %s%n", index, total, outcome.date(), outcome.status());
                err.flush();
              }
            });
    TablePrinter table = new TablePrinter(List.of("date", "outcome", "run", "seconds", "inserted", "updated", "error"));
    for (Backfill.Outcome o : outcomes) {
      var r = o.report();
      table.add(List.of(o.date().toString(), o.status(), r == null ? "" : r.runId(),
          r == null ? "" : String.format("%.1f", r.took().toMillis() / 1000.0),
          r == null ? "" : String.format("%,d", r.stage().inserted()), r == null ? "" : String.format("%,d", r.stage().updated()),
          o.error() == null ? "" : o.error().lines().findFirst().orElse("")));
    }
    table.print(out);
    out.flush();
    return outcomes.stream().anyMatch(o -> o.status().equals("failed")) ? 1 : 0;
  }
}
