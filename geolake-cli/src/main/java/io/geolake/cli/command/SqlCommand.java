package io.geolake.cli.command;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.access.CellText;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.access.SqlGate;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code geolake sql "SELECT ..."}: Spark SQL over the catalog. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL on every layer's tables (raw, staging, consumption, ops), under your role's access rules.",
      "geolake tables lists them. "
          + "Iceberg metadata too: SELECT * FROM staging.pings.snapshots; time travel: ... VERSION AS OF <snapshot id>. "
          + "Runs in a role of access.roles (--role, default access.cli-role) and is recorded in the query audit (geolake audit)."
    })
public final class SqlCommand implements Callable<Integer> {
  enum Format {
    table,
    csv
  }

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL statement.")
  String query;

  @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); csv has a header row.")
  Format format;

  @Option(names = "--limit", defaultValue = "1000", description = "Most rows printed as a table (default: ${DEFAULT-VALUE}); csv prints all unless --limit is given.")
  int limit;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role of access.roles to run the statement in (default: access.cli-role).")
  String role;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    LakehouseCatalog catalog = Lakehouse.open(config);
    SqlGate gate = new SqlGate(catalog, config, new QueryAudit(new RunStore(config)));
    String roleName = role == null ? config.access().cliRole() : role;
    SqlGate.Query checked = gate.open(query, new SqlGate.Caller(System.getProperty("user.name"), roleName, "cli"));
    // On stderr, so a CSV result stays clean: what the role sees is not all of the tables.
    config.access().role(roleName).ifPresent(r -> checked.tables().forEach(t -> {
      r.rowFilter(t).ifPresent(condition -> spec.commandLine().getErr().printf("Role %s sees only the rows of %s where %s.%n", roleName, t, condition));
      List<String> personal = Tables.ALL.stream().filter(d -> d.qualifiedName().equals(t))
          .flatMap(d -> d.columns().stream()).filter(Column::personal).map(Column::name).toList();
      if (r.pseudonymized() && !personal.isEmpty()) {
        spec.commandLine().getErr().printf("Role %s reads %s of %s as keyed pseudonyms.%n", roleName, String.join(", ", personal), t);
      }
    }));
    try {
      long started = System.nanoTime();
      Dataset<Row> result = checked.rows();
      long printed = print(result);
      if (result.columns().length == 0) { // a command: Spark prints nothing, say that it ran and what it changed
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Ran in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        List<String> changes = checked.changes();
        changes.forEach(out::println);
        if (changes.isEmpty()) {
          out.println("No table of geolake's changed.");
        }
        out.flush();
      }
      checked.finished(printed);
    } catch (RuntimeException e) {
      checked.failed(e);
      throw e;
    }
    return 0;
  }

  /** Prints the result; returns the number of rows printed. */
  private long print(Dataset<Row> result) {
    PrintWriter out = spec.commandLine().getOut();
    String[] columns = result.columns();
    // Rows stream to the driver a partition at a time, so a large result never sits in memory.
    Iterator<Row> rows = result.toLocalIterator();
    if (format == Format.csv) {
      CsvWriter csv = new CsvWriter(out, new CsvWriterSettings());
      csv.writeHeaders(columns);
      long n = 0;
      long most = spec.commandLine().getParseResult().hasMatchedOption("--limit") ? limit : Long.MAX_VALUE;
      while (rows.hasNext() && n < most) {
        csv.writeRow(values(rows.next()));
        n++;
      }
      csv.flush();
      return n;
    }
    TablePrinter table = new TablePrinter(Arrays.asList(columns));
    boolean more = false;
    while (rows.hasNext()) {
      if (table.size() == limit) {
        more = true;
        break;
      }
      table.add(Arrays.asList(values(rows.next())));
    }
    if (columns.length > 0) {
      table.print(out);
      out.printf("(%d row%s%s)%n", table.size(), table.size() == 1 ? "" : "s", more ? ", more not shown: raise --limit" : "");
    }
    out.flush();
    return table.size();
  }

  private static String[] values(Row row) {
    List<String> values = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      values.add(CellText.of(row.get(i)));
    }
    return values.toArray(String[]::new);
  }
}
