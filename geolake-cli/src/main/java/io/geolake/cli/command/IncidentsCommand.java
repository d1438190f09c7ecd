package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.ops.alert.AlertKind;
import io.geolake.ops.alert.Incident;
import io.geolake.ops.alert.Incidents;
import io.geolake.pipeline.run.RunStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake incidents}: what is wrong now — the open incidents alerts were sent for — newest first. */
@Command(
    name = "incidents",
    mixinStandardHelpOptions = true,
    description = {
      "Show the open incidents: what failed or is late and has not recovered since, newest first.",
      "Failed runs, failed quality rules, missed SLAs, failed maintenance or training, "
          + "a live model that learned from reverted rows; with how often each recurred and when its alert was last sent."
    })
public final class IncidentsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--all", description = "Closed incidents too.")
  boolean all;

  @Option(names = "--limit", defaultValue = "50", description = "Newest incidents to show (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    List<Incident> incidents = new Incidents(new RunStore(common.load())).recent(all, limit);
    PrintWriter out = spec.commandLine().getOut();
    if (incidents.isEmpty()) {
      out.println(all ? "No incidents recorded." : "No open incidents.");
      out.flush();
      return 0;
    }
    TablePrinter table = new TablePrinter(List.of("state", "kind", "date", "incident", "opened", "times", "last sent", "closed"));
    for (Incident i : incidents) {
      table.add(List.of(i.open() ? "open" : "closed", label(i.kind()), i.date().toString(), i.title(), text(i.openedAt()),
          String.valueOf(i.occurrences()), text(i.lastSentAt()), text(i.closedAt())));
    }
    table.print(out);
    out.flush();
    return 0;
  }

  private static String label(String kind) {
    try {
      return AlertKind.valueOf(kind).label();
    } catch (IllegalArgumentException e) {
      return kind; // recorded by a newer geolake
    }
  }

  private static String text(Instant instant) {
    return instant == null ? "" : instant.toString();
  }
}
