package io.geolake.core.schema;

import static java.util.Objects.requireNonNull;

/**
 * One column of a geolake table.
 *
 * @param personal whether it holds personal data in clear (advertising ids, IP addresses, the
 *     delivered text that carries them): only roles with {@code personal-data} may read it
 */
public record Column(String name, ColumnType type, boolean nullable, String doc, boolean personal) {
  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(doc, "doc is null");
  }

  public Column(String name, ColumnType type, boolean nullable, String doc) {
    this(name, type, nullable, doc, false);
  }

  public static Column required(String name, ColumnType type, String doc) {
    return new Column(name, type, false, doc);
  }

  public static Column optional(String name, ColumnType type, String doc) {
    return new Column(name, type, true, doc);
  }

  /** This column, marked as holding personal data. */
  public Column asPersonal() {
    return new Column(name, type, nullable, doc, true);
  }
}
