package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.run.RunStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake audit}: the SQL statements users ran or were refused, newest first. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Show the query audit: every SQL statement run through geolake sql or serve's /api/sql.",
      "Newest first, with who ran it, in which role, the tables it read, and whether it ran, failed or was denied."
    })
public final class AuditCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--user", paramLabel = "NAME", description = "Only this user's statements.")
  String user;

  @Option(names = "--limit", defaultValue = "30", description = "Newest statements to show (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    List<QueryAudit.Entry> entries = new QueryAudit(new RunStore(common.load())).recent(user, limit);
    PrintWriter out = spec.commandLine().getOut();
    if (entries.isEmpty()) {
      out.println(user == null ? "No statements audited yet." : "No statements of " + user + " audited.");
      out.flush();
      return 0;
    }
    TablePrinter table = new TablePrinter(List.of("started", "user", "role", "via", "outcome", "seconds", "rows", "tables", "statement / reason"));
    for (QueryAudit.Entry e : entries) {
      String seconds = e.finishedAt() == null ? "" : String.format("%.1f", Duration.between(e.startedAt(), e.finishedAt()).toMillis() / 1000.0);
      String said = e.detail() == null ? e.statement() : e.statement() + "  -- " + e.detail();
      table.add(List.of(e.startedAt().toString(), e.user(), e.role(), e.via(), e.outcome().name().toLowerCase(Locale.ROOT), seconds,
          e.rows() == null ? "" : String.format("%,d", e.rows()), e.tables() == null ? "" : e.tables(), abbreviate(said)));
    }
    table.print(out);
    out.flush();
    return 0;
  }

  private static String abbreviate(String text) {
    String line = text.replaceAll("\\s+", " ");
    return line.length() > 160 ? line.substring(0, 157) + "..." : line;
  }
}
