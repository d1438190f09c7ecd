package io.geolake.core.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A geolake table: its layer (Iceberg namespace), name, columns, partitioning and properties.
 *
 * @param partitioning Iceberg partition transforms as written in Spark DDL, e.g. {@code
 *     days(event_ts)}
 */
public record TableDefinition(
    Layer layer,
    String name,
    String doc,
    List<Column> columns,
    List<String> partitioning,
    Map<String, String> properties) {
  public TableDefinition {
    requireNonNull(layer, "layer is null");
    requireNonNull(name, "name is null");
    columns = List.copyOf(columns);
    partitioning = List.copyOf(partitioning);
    properties = Map.copyOf(properties);
  }

  /** {@code layer.name}, e.g. {@code staging.pings}. */
  public String qualifiedName() {
    return layer.namespace() + "." + name;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }
}
