package io.geolake.pipeline.ingest;

import io.geolake.core.rules.RejectReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.spark.sql.Row;

/**
 * Reads a Parquet file row by row with parquet-hadoop, turning each value into its delivered text
 * (numbers as written, strings as is). A file whose footer or pages cannot be read ends with one
 * {@code unreadable_file} reject; rows read before the error are kept.
 */
final class ParquetFileRows extends LazyRows {
  private final FilePart part;
  private final DeliveryFile file;
  private final Configuration conf;
  private final SourceMapping mapping;
  private ParquetReader<Group> reader;
  /** Per canonical field, the field indexes leading to its value through nested groups; null: not mapped or absent. */
  private int[][] canonicalPath;
  private List<Integer> extraIndex;
  private long rowNumber;
  private boolean finished;

  ParquetFileRows(FilePart part, Configuration conf, SourceMapping mapping) {
    this.part = part;
    this.file = part.file();
    this.rowNumber = part.linesBefore();
    this.conf = conf;
    this.mapping = mapping;
  }

  @Override
  protected Row computeNext() {
    if (finished) {
      return null;
    }
    try {
      if (reader == null) {
        Row reject = open();
        if (reject != null || finished) {
          close();
          return reject;
        }
      }
      Group group = reader.read();
      if (group == null) {
        close();
        return null;
      }
      rowNumber++;
      return toRow(group);
    } catch (IOException | RuntimeException e) {
      close();
      return ParsedRows.reject(
          file, rowNumber, RejectReason.UNREADABLE_FILE, "read failed after row " + rowNumber + ": " + e, null);
    }
  }

  private Row open() throws IOException {
    Path path = new Path(file.uri());
    GroupType schema = schema(path);
    List<String> columns = new ArrayList<>();
    schema.getFields().forEach(f -> columns.add(f.getName()));
    List<String> missing = mapping.missingRequired(name -> resolve(schema, name) != null);
    if (!missing.isEmpty()) {
      if (part.linesBefore() > 0) {
        finished = true; // the file's first part reports it
        return null;
      }
      return ParsedRows.reject(
          file,
          0,
          RejectReason.MISSING_COLUMNS,
          "schema lacks required column(s) " + missing + "; found " + leafPaths(schema, ""),
          null);
    }
    canonicalPath = new int[mapping.deliveredNames().size()][];
    for (int f = 0; f < canonicalPath.length; f++) {
      String name = mapping.deliveredNames().get(f);
      canonicalPath[f] = name == null ? null : resolve(schema, name);
    }
    extraIndex = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      if (!mapping.deliveredNames().contains(columns.get(c))) {
        extraIndex.add(c);
      }
    }
    ParquetReader.Builder<Group> builder = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf);
    reader = (part.isWhole() ? builder : builder.withFileRange(part.start(), part.end())).build();
    return null;
  }

  private GroupType schema(Path path) throws IOException {
    try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
      return footer.getFooter().getFileMetaData().getSchema();
    }
  }

  /**
   * The field indexes of a delivered name: a top-level column, else a dotted path through nested
   * groups (structs) to a field; null when the file has neither.
   */
  private static int[] resolve(GroupType schema, String name) {
    if (schema.containsField(name)) {
      return new int[] {schema.getFieldIndex(name)};
    }
    String[] path = SourceMapping.path(name);
    if (path == null) {
      return null;
    }
    int[] indexes = new int[path.length];
    GroupType type = schema;
    for (int i = 0; i < path.length; i++) {
      if (type == null || !type.containsField(path[i])) {
        return null;
      }
      indexes[i] = type.getFieldIndex(path[i]);
      org.apache.parquet.schema.Type field = type.getType(indexes[i]);
      type = field.isPrimitive() ? null : field.asGroupType();
    }
    return indexes;
  }

  /** Every column as a dotted path, for saying what a file has. */
  private static List<String> leafPaths(GroupType type, String prefix) {
    List<String> paths = new ArrayList<>();
    for (org.apache.parquet.schema.Type field : type.getFields()) {
      String name = prefix + field.getName();
      if (field.isPrimitive() || field.getLogicalTypeAnnotation() != null) { // a list or map is one value
        paths.add(name);
      } else {
        paths.addAll(leafPaths(field.asGroupType(), name + "."));
      }
    }
    return paths;
  }

  private Row toRow(Group group) {
    String[] values = new String[canonicalPath.length];
    for (int f = 0; f < values.length; f++) {
      values[f] = canonicalPath[f] == null ? null : text(group, canonicalPath[f]);
    }
    Map<String, String> extra = null;
    if (!extraIndex.isEmpty()) {
      extra = new HashMap<>();
      for (int c : extraIndex) {
        extra.put(group.getType().getFieldName(c), text(group, c));
      }
    }
    return ParsedRows.parsed(file, rowNumber, values, extra);
  }

  /** The text at a path of field indexes; null where a group on the way is null. */
  private static String text(Group group, int[] path) {
    Group at = group;
    for (int i = 0; i < path.length - 1; i++) {
      if (at.getFieldRepetitionCount(path[i]) == 0) {
        return null;
      }
      at = at.getGroup(path[i], 0);
    }
    return text(at, path[path.length - 1]);
  }

  private static String text(Group group, int field) {
    if (group.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    if (!group.getType().getType(field).isPrimitive()) {
      return group.getGroup(field, 0).toString();
    }
    return group.getValueToString(field, 0);
  }

  private void close() {
    finished = true;
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException ignored) {
        // Nothing more is read from this file; a failed close changes no result.
      }
    }
  }
}
