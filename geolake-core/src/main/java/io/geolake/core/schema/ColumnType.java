package io.geolake.core.schema;

/** Engine-neutral column types used by geolake table definitions. */
public enum ColumnType {
  STRING("string"),
  DOUBLE("double"),
  LONG("bigint"),
  DATE("date"),
  TIMESTAMP("timestamp"),
  BOOLEAN("boolean"),
  STRING_MAP("map<string,string>"),
  LONG_ARRAY("array<bigint>");

  private final String sql;

  ColumnType(String sql) {
    this.sql = sql;
  }

  /** The type as written in Spark SQL DDL. */
  public String sql() {
    return sql;
  }
}
