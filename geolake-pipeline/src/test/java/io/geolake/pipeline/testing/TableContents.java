package io.geolake.pipeline.testing;

import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * Every table's rows as sorted text, for comparing two lakes built from the same deliveries:
 * doubles to 1e-6 (sums over rows in another order differ in the last bits, and so does a distance
 * between two such nearby centroids), and delivered-file URIs from their landing folder on.
 * Columns saying when or in which run a row was written are left out.
 */
public final class TableContents {
  private static final Set<String> RUN_SPECIFIC = Set.of("run_id", "checked_at", "scored_at");

  private TableContents() {}

  public static Map<String, List<String>> of(LakehouseCatalog catalog, Set<TableDefinition> skip) {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      if (!skip.contains(table)) {
        List<String> columns = table.columnNames().stream().filter(c -> !RUN_SPECIFIC.contains(c)).map(c -> "`" + c + "`").toList();
        List<Row> rows = catalog.spark().sql("SELECT " + String.join(", ", columns) + " FROM " + catalog.qualified(table)).collectAsList();
        tables.put(table.qualifiedName(), rows.stream().map(TableContents::line).sorted().toList());
      }
    }
    return tables;
  }

  private static String line(Row row) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      b.append(row.get(i) instanceof Double d ? String.format("%.6f", d) : String.valueOf(row.get(i))).append('|');
    }
    return b.toString().replaceAll("file:[^|]*/landing/", "landing/");
  }
}
