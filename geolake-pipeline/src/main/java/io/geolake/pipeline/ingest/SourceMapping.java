package io.geolake.pipeline.ingest;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.PingField;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivered column names of one source, in {@link PingField} order (null where a field is not
 * mapped), plus the CSV delimiter. Shipped to executors with each task.
 */
record SourceMapping(String source, List<String> deliveredNames, char delimiter)
    implements Serializable {

  static SourceMapping of(String source, GeolakeConfig.Source config) {
    List<String> names = new ArrayList<>();
    for (PingField field : PingField.values()) {
      String name = config.deliveredName(field);
      names.add(name == null || name.isBlank() ? null : name);
    }
    return new SourceMapping(source, names, config.csv().delimiter().charAt(0));
  }

  /** Required fields whose delivered column is not among the given columns. */
  List<String> missingRequired(java.util.Collection<String> present) {
    return missingRequired((java.util.function.Predicate<String>) present::contains);
  }

  /** Required fields whose delivered name (a column, or a path into nested ones) the file lacks. */
  List<String> missingRequired(java.util.function.Predicate<String> present) {
    List<String> missing = new ArrayList<>();
    for (PingField field : PingField.values()) {
      String name = deliveredNames.get(field.ordinal());
      if (field.required() && !present.test(name)) {
        missing.add(name);
      }
    }
    return missing;
  }

  /**
   * The segments of a delivered name that no top-level column of a JSON object or Parquet file
   * spells whole: "location.lat" reaches field lat of the nested object (struct) location. Null for
   * a name without dots, which can only be a top-level column.
   */
  static String[] path(String name) {
    return name.indexOf('.') < 0 ? null : name.split("\\.", -1);
  }
}
