package io.geolake.pipeline.ingest;

import io.geolake.core.rules.RejectReason;
import io.geolake.core.schema.PingField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The shape of what file readers emit: one row per delivered line or Parquet row, either a parsed
 * row ({@code _reason} null) or a reject with its reason, detail and the offending line.
 */
final class ParsedRows {
  static final String REASON = "_reason";
  /** Where {@link #REASON} sits in every row: first. */
  static final int REASON_INDEX = 0;
  static final int MAX_LINE_CHARS = 4096;
  static final StructType SCHEMA = schema();

  private ParsedRows() {}

  private static StructType schema() {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(REASON, DataTypes.StringType, true));
    for (PingField field : PingField.values()) {
      fields.add(DataTypes.createStructField(field.column(), DataTypes.StringType, true));
    }
    fields.add(
        DataTypes.createStructField(
            "_extra", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true));
    fields.add(DataTypes.createStructField("_source", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("_source_file", DataTypes.StringType, false));
    fields.add(DataTypes.createStructField("_row_number", DataTypes.LongType, false));
    fields.add(DataTypes.createStructField("detail", DataTypes.StringType, true));
    fields.add(DataTypes.createStructField("line", DataTypes.StringType, true));
    return DataTypes.createStructType(fields);
  }

  /** A parsed row; {@code values} in {@link PingField} order. */
  static Row parsed(DeliveryFile file, long rowNumber, String[] values, Map<String, String> extra) {
    Object[] row = new Object[SCHEMA.size()];
    System.arraycopy(values, 0, row, 1, values.length);
    int i = 1 + values.length;
    // Row encoding takes Scala maps only.
    row[i++] =
        extra == null || extra.isEmpty()
            ? null
            : scala.collection.JavaConverters.mapAsScalaMapConverter(extra).asScala();
    row[i++] = file.source();
    row[i++] = file.uri();
    row[i] = rowNumber;
    return RowFactory.create(row);
  }

  static Row reject(DeliveryFile file, long rowNumber, RejectReason reason, String detail, String line) {
    Object[] row = new Object[SCHEMA.size()];
    row[REASON_INDEX] = reason.code();
    int i = 1 + PingField.values().length + 1;
    row[i++] = file.source();
    row[i++] = file.uri();
    row[i++] = rowNumber;
    row[i++] = detail;
    row[i] = line == null || line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS);
    return RowFactory.create(row);
  }
}
