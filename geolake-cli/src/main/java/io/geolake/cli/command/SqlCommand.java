package io.geolake.cli.command;

import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import io.geolake.cli.output.TablePrinter;
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
      "Run Spark SQL on the catalog; tables are raw.pings, raw.rejects, staging.pings, staging.quarantine.",
      "Iceberg metadata too: SELECT * FROM staging.pings.snapshots; time travel: ... VERSION AS OF <snapshot id>."
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

  @Option(names = "--limit", defaultValue = "1000", description = "Most rows printed as a table (default: ${DEFAULT-VALUE}); csv prints all.")
  int limit;

  @Override
  public Integer call() {
    LakehouseCatalog catalog = Lakehouse.open(common.load());
    Dataset<Row> result = catalog.spark().sql(query);
    PrintWriter out = spec.commandLine().getOut();
    String[] columns = result.columns();
    // Rows stream to the driver a partition at a time, so a large result never sits in memory.
    Iterator<Row> rows = result.toLocalIterator();
    if (format == Format.csv) {
      CsvWriter csv = new CsvWriter(out, new CsvWriterSettings());
      csv.writeHeaders(columns);
      while (rows.hasNext()) {
        csv.writeRow(values(rows.next()));
      }
      csv.flush();
      return 0;
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
    return 0;
  }

  private static String[] values(Row row) {
    List<String> values = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      Object v = row.get(i);
      values.add(v == null ? null : v instanceof scala.collection.Map<?, ?> m ? m.mkString("{", ", ", "}") : String.valueOf(v));
    }
    return values.toArray(String[]::new);
  }
}
