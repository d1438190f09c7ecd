package io.geolake.pipeline.testing;

import io.geolake.core.schema.Column;
import io.geolake.core.schema.TableDefinition;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Appends hand-made rows to a geolake table: columns by name, unnamed ones null. */
public final class TableRows {
  private TableRows() {}

  public static void append(LakehouseCatalog catalog, TableDefinition table, List<Map<String, Object>> rows) {
    StructType schema =
        StructType.fromDDL(table.columns().stream().map(c -> "`" + c.name() + "` " + c.type().sql()).collect(Collectors.joining(", ")));
    List<Row> values = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      for (String name : row.keySet()) {
        if (table.columns().stream().noneMatch(c -> c.name().equals(name))) {
          throw new IllegalArgumentException("No column " + name + " in " + table.qualifiedName());
        }
      }
      values.add(RowFactory.create(table.columns().stream().map(Column::name).map(row::get).toArray()));
    }
    try {
      catalog.spark().createDataFrame(values, schema).writeTo(catalog.qualified(table)).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(e);
    }
  }
}
