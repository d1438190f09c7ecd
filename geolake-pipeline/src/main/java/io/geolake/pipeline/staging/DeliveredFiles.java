package io.geolake.pipeline.staging;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The files of one delivery date in raw, numbered in file-name order, so the stage carries a small
 * {@code _file} number through its shuffle, sort, windows and cache instead of three lineage
 * strings per row ({@code _source}, {@code _source_file}, {@code _load_id}: ~130 bytes of the
 * row, and the sort compared file URIs that share their whole folder prefix), and writes the
 * strings back only into the rows it writes.
 */
final class DeliveredFiles {
  static final String FILE = "_file";
  /** The lineage strings replaced by {@link #FILE}, file first. */
  static final List<String> LINEAGE_STRINGS = List.of("_source_file", "_source", "_load_id");

  private final List<String> sources;
  private final List<String> files;
  private final List<String> loadIds;

  private DeliveredFiles(List<String> sources, List<String> files, List<String> loadIds) {
    this.sources = sources;
    this.files = files;
    this.loadIds = loadIds;
  }

  /**
   * The distinct lineage of one date's raw rows. Ingest writes each file's rows into data files of
   * their own, and raw keeps full min/max metrics of the lineage strings, so Iceberg's file
   * metadata of {@code snapshotId} (the one the stage reads: a run's branch; null when raw has
   * none) usually answers without reading a row; when any data file's bounds differ (several files
   * in one data file, or a lake written before those metrics), the rows' lineage is read.
   * A file is in one source folder and a date has one load, so each file has one source and load
   * id; anything else means raw was written by something other than ingest, and is refused rather
   * than mislabelled.
   */
  static DeliveredFiles of(Table raw, Long snapshotId, LocalDate date, Dataset<Row> rawOfDate) {
    List<String[]> lineage = snapshotId == null ? List.of() : fromFileMetadata(raw, snapshotId, date);
    if (lineage == null) {
      lineage = new ArrayList<>();
      for (Row r : rawOfDate.select(LINEAGE_STRINGS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).distinct().collectAsList()) {
        lineage.add(new String[] {r.getString(0), r.getString(1), r.getString(2)});
      }
    }
    lineage = new ArrayList<>(lineage);
    // Spark orders strings by their UTF-8 bytes; the window's "last file by name" must too.
    lineage.sort(Comparator.<String[], byte[]>comparing(l -> l[0].getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned)
        .thenComparing(l -> l[1]).thenComparing(l -> l[2]));
    List<String> files = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    List<String> loadIds = new ArrayList<>();
    for (String[] l : lineage) {
      if (!files.isEmpty() && files.get(files.size() - 1).equals(l[0])) {
        if (sources.get(sources.size() - 1).equals(l[1]) && loadIds.get(loadIds.size() - 1).equals(l[2])) {
          continue; // the same file in several data files
        }
        throw new IllegalStateException(
            "raw.pings holds rows of " + l[0] + " under more than one source or load id ("
                + sources.get(sources.size() - 1) + "/" + loadIds.get(loadIds.size() - 1) + " and " + l[1] + "/" + l[2]
                + "); re-ingest " + date + " to replace its load");
      }
      files.add(l[0]);
      sources.add(l[1]);
      loadIds.add(l[2]);
    }
    return new DeliveredFiles(sources, files, loadIds);
  }

  /** (file, source, load id) of each of the date's data files, or null when any is not exact. */
  private static List<String[]> fromFileMetadata(Table raw, long snapshotId, LocalDate date) {
    int[] ids = LINEAGE_STRINGS.stream().mapToInt(c -> raw.schema().findField(c).fieldId()).toArray();
    List<String[]> lineage = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks =
        raw.newScan().useSnapshot(snapshotId).filter(Expressions.equal("_ingest_date", date.toString())).includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        String[] values = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
          ByteBuffer lower = file.lowerBounds() == null ? null : file.lowerBounds().get(ids[i]);
          ByteBuffer upper = file.upperBounds() == null ? null : file.upperBounds().get(ids[i]);
          if (lower == null || !lower.equals(upper)) {
            return null; // truncated bounds differ too: Iceberg rounds a cut upper bound up
          }
          values[i] = Conversions.<CharSequence>fromByteBuffer(Types.StringType.get(), lower).toString();
        }
        lineage.add(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the files of raw.pings for " + date, e);
    }
    return lineage;
  }

  int count() {
    return files.size();
  }

  /** The file's number: its position in file-name order, as Spark orders the URIs. */
  Column number() {
    if (files.isEmpty()) {
      return lit(null).cast("int").as(FILE); // no rows to number; an empty map() literal has no key type
    }
    List<Column> entries = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      entries.add(lit(files.get(i)));
      entries.add(lit(i));
    }
    return element_at(functions.map(entries.toArray(Column[]::new)), col("_source_file")).as(FILE);
  }

  /** The lineage strings of a row back from its {@code _file} number, named as in the tables. */
  Column source() {
    return lookUp(sources).as("_source");
  }

  Column sourceFile() {
    return lookUp(files).as("_source_file");
  }

  Column loadId() {
    return lookUp(loadIds).as("_load_id");
  }

  /** One of {@link #source()}, {@link #sourceFile()}, {@link #loadId()} by column name. */
  Column restored(String lineageColumn) {
    return switch (lineageColumn) {
      case "_source" -> source();
      case "_source_file" -> sourceFile();
      case "_load_id" -> loadId();
      default -> throw new IllegalArgumentException("Not a lineage string: " + lineageColumn);
    };
  }

  static boolean replaced(String lineageColumn) {
    return LINEAGE_STRINGS.contains(lineageColumn);
  }

  private static Column lookUp(List<String> values) {
    if (values.isEmpty()) {
      return lit(null).cast("string");
    }
    return element_at(functions.array(values.stream().map(functions::lit).toArray(Column[]::new)), col(FILE).plus(1));
  }
}
