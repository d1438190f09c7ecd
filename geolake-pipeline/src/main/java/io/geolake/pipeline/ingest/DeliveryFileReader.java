package io.geolake.pipeline.ingest;

import io.geolake.core.rules.RejectReason;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.hadoop.SerializableConfiguration;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * Executor-side reading of one file part into parsed rows and rejects. Each part is one task, so a
 * corrupt file fails only itself, and its rows come out lazily.
 *
 * <p>The tasks' elements are indexes into the file list this function carries: Spark serializes
 * functions with Java serialization but elements with the configured serializer, and Kryo (often
 * configured on clusters, required by some libraries) cannot build Java records.
 */
final class DeliveryFileReader implements FlatMapFunction<Integer, Row> {
  private final SerializableConfiguration conf;
  private final Map<String, SourceMapping> mappings;
  private final List<FilePart> parts;

  DeliveryFileReader(SerializableConfiguration conf, Map<String, SourceMapping> mappings, List<FilePart> parts) {
    this.conf = conf;
    this.mappings = Map.copyOf(mappings);
    this.parts = List.copyOf(parts);
  }

  /** The indexes to parallelize, one per part. */
  List<Integer> indexes() {
    return java.util.stream.IntStream.range(0, parts.size()).boxed().toList();
  }

  @Override
  public Iterator<Row> call(Integer index) {
    return read(parts.get(index));
  }

  private Iterator<Row> read(FilePart part) {
    DeliveryFile file = part.file();
    SourceMapping mapping = mappings.get(file.source());
    return switch (file.kind()) {
      case CSV ->
          new TextFileRows(part, conf.get(), new CsvLineParser(file, mapping), RejectReason.MALFORMED_CSV);
      case JSON ->
          new TextFileRows(part, conf.get(), new JsonLineParser(file, mapping), RejectReason.MALFORMED_JSON);
      case PARQUET -> new ParquetFileRows(part, conf.get(), mapping);
      case UNSUPPORTED ->
          List.of(
                  ParsedRows.reject(
                      file,
                      0,
                      RejectReason.UNSUPPORTED_FORMAT,
                      "unknown extension; expected .csv, .json, .jsonl, .ndjson or .parquet"
                          + " (optionally .gz), or set sources."
                          + file.source()
                          + ".format",
                      null))
              .iterator();
    };
  }
}
