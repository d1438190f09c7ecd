package io.geolake.core.schema;

import static java.util.Objects.requireNonNull;

/** One column of a geolake table. */
public record Column(String name, ColumnType type, boolean nullable, String doc) {
  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(doc, "doc is null");
  }

  public static Column required(String name, ColumnType type, String doc) {
    return new Column(name, type, false, doc);
  }

  public static Column optional(String name, ColumnType type, String doc) {
    return new Column(name, type, true, doc);
  }
}
