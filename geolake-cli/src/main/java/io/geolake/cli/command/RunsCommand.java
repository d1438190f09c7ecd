package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.run.RunRecord;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.run.StepRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake runs}: run history from the run store; with --date, the steps of that date's runs. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "Show the run history: every run with its state, attempts and time.",
      "With --date, also each step of that date's runs: state, attempts, time, rows in and out, error."
    })
public final class RunsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Only this logical date, with its steps.")
  LocalDate date;

  @Option(names = "--limit", defaultValue = "30", description = "Newest runs to show (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    RunStore store = new RunStore(config);
    PrintWriter out = spec.commandLine().getOut();
    List<RunRecord> runs = store.runs(date, limit);
    if (runs.isEmpty()) {
      out.println(date == null ? "No runs yet. Start one: geolake run --date YYYY-MM-DD" : "No runs of " + date + " yet.");
      out.flush();
      return 0;
    }
    TablePrinter table = new TablePrinter(List.of("date", "run", "state", "attempt", "started", "seconds", "error"));
    for (RunRecord r : runs) {
      table.add(List.of(r.date().toString(), r.runId(), r.state().name().toLowerCase(java.util.Locale.ROOT), String.valueOf(r.attempt()),
          r.startedAt().toString(), seconds(r.startedAt(), r.finishedAt()), abbreviate(r.error())));
    }
    table.print(out);
    if (date != null) {
      for (RunRecord r : runs) {
        out.printf("%nsteps of run %s (branch %s, %s)%n", r.runId(), r.branch(), r.holder());
        TablePrinter steps = new TablePrinter(List.of("step", "state", "attempts", "started", "seconds", "rows in", "rows out", "error"));
        for (StepRecord s : store.steps(r.runId())) {
          steps.add(List.of(s.step(), s.state().name().toLowerCase(java.util.Locale.ROOT), String.valueOf(s.attempts()),
              s.startedAt() == null ? "" : s.startedAt().toString(), seconds(s.startedAt(), s.finishedAt()), count(s.rowsIn()), count(s.rowsOut()), abbreviate(s.error())));
        }
        steps.print(out);
      }
    }
    out.flush();
    return 0;
  }

  private static String seconds(Instant from, Instant to) {
    return from == null || to == null ? "" : String.format("%.1f", Duration.between(from, to).toMillis() / 1000.0);
  }

  private static String count(Long n) {
    return n == null ? "" : String.format("%,d", n);
  }

  private static String abbreviate(String error) {
    if (error == null) {
      return "";
    }
    String line = error.lines().findFirst().orElse("");
    return line.length() > 100 ? line.substring(0, 97) + "..." : line;
  }
}
