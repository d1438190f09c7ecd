package io.geolake.pipeline.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.iceberg.hadoop.SerializableConfiguration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Cuts a delivery into the parts ingest tasks read, so one large file does not leave every other
 * core idle: an uncompressed CSV or JSON lines file larger than the split size becomes byte ranges,
 * a Parquet file runs of whole row groups of about that size (compressed text stays whole). A
 * first, cheap job counts the lines of each text range, so every part knows the line number it
 * starts at; a Parquet footer holds its row groups' row counts.
 *
 * <p>Whole files come first, largest first, and the ranges after them: tasks start in that order,
 * so the files that cannot be divided do not end up last, on one core.
 */
final class FileParts {
  private FileParts() {}

  static List<FilePart> plan(JavaSparkContext jsc, List<DeliveryFile> files, long splitBytes) {
    SerializableConfiguration conf = new SerializableConfiguration(jsc.hadoopConfiguration());
    CompressionCodecFactory codecs = new CompressionCodecFactory(jsc.hadoopConfiguration());
    List<FilePart> whole = new ArrayList<>();
    List<FilePart> ranges = new ArrayList<>();
    List<FilePart> rowGroups = new ArrayList<>();
    for (DeliveryFile file : files) {
      boolean text = file.kind() == FileKind.CSV || file.kind() == FileKind.JSON;
      if (file.kind() == FileKind.PARQUET && file.bytes() > splitBytes) {
        List<FilePart> parts = rowGroupRuns(file, splitBytes, jsc.hadoopConfiguration());
        (parts.size() > 1 ? rowGroups : whole).addAll(parts);
        continue;
      }
      if (!text || file.bytes() <= splitBytes || codecs.getCodec(new Path(file.uri())) != null) {
        whole.add(FilePart.whole(file));
        continue;
      }
      for (long start = 0; start < file.bytes(); start += splitBytes) {
        ranges.add(new FilePart(file, start, Math.min(start + splitBytes, file.bytes()), 0));
      }
    }
    whole.sort(Comparator.comparingLong((FilePart p) -> p.file().bytes()).reversed());
    List<FilePart> parts = new ArrayList<>(whole);
    if (!ranges.isEmpty()) {
      parts.addAll(numbered(jsc, conf, ranges));
    }
    parts.addAll(rowGroups);
    return parts;
  }

  /**
   * Runs of consecutive row groups of about {@code splitBytes} (compressed), each with the rows
   * before it; a part's reader takes the row groups whose middle lies in its byte range, as
   * Parquet's own splits do. A file whose footer cannot be read stays whole: its reader reports it.
   */
  private static List<FilePart> rowGroupRuns(DeliveryFile file, long splitBytes, org.apache.hadoop.conf.Configuration conf) {
    List<org.apache.parquet.hadoop.metadata.BlockMetaData> blocks;
    try (org.apache.parquet.hadoop.ParquetFileReader reader =
        org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(new Path(file.uri()), conf))) {
      blocks = reader.getFooter().getBlocks();
    } catch (IOException | RuntimeException e) {
      return List.of(FilePart.whole(file));
    }
    List<FilePart> runs = new ArrayList<>();
    long rowsBefore = 0;
    long start = -1;
    long runRows = 0;
    for (var block : blocks) {
      if (start < 0) {
        start = block.getStartingPos();
      }
      runRows += block.getRowCount();
      long end = block.getStartingPos() + block.getCompressedSize();
      if (end - start >= splitBytes) {
        runs.add(new FilePart(file, start, end, rowsBefore));
        rowsBefore += runRows;
        start = -1;
        runRows = 0;
      }
    }
    if (start >= 0) {
      runs.add(new FilePart(file, start, file.bytes(), rowsBefore));
    }
    return runs.size() > 1 ? runs : List.of(FilePart.whole(file));
  }

  /** The ranges with the lines before each; a file whose lines cannot be counted is read whole. */
  private static List<FilePart> numbered(JavaSparkContext jsc, SerializableConfiguration conf, List<FilePart> ranges) {
    List<Integer> indexes = java.util.stream.IntStream.range(0, ranges.size()).boxed().toList();
    List<Long> counts = jsc.parallelize(indexes, ranges.size()).map(new LineCount(conf, ranges)).collect();
    List<FilePart> numbered = new ArrayList<>();
    List<DeliveryFile> unreadable = new ArrayList<>();
    long before = 0;
    for (int i = 0; i < ranges.size(); i++) {
      FilePart range = ranges.get(i);
      if (range.start() == 0) {
        before = 0;
      }
      if (counts.get(i) < 0 && !unreadable.contains(range.file())) {
        unreadable.add(range.file());
      }
      numbered.add(new FilePart(range.file(), range.start(), range.end(), before));
      before += Math.max(0, counts.get(i));
    }
    // Read whole, a file that fails part-way gives its rows up to the failure and one reject.
    numbered.removeIf(p -> unreadable.contains(p.file()));
    unreadable.forEach(f -> numbered.add(FilePart.whole(f)));
    return numbered;
  }

  /** Lines in one range, or -1 when it cannot be read. Elements are indexes: see DeliveryFileReader. */
  private record LineCount(SerializableConfiguration conf, List<FilePart> ranges) implements Function<Integer, Long> {
    @Override
    public Long call(Integer index) {
      Text line = new Text();
      long lines = 0;
      try (RangeLines reader = new RangeLines(ranges.get(index), conf.get())) {
        while (reader.next(line) > 0) {
          lines++;
        }
        return lines;
      } catch (IOException | RuntimeException e) {
        return -1L;
      }
    }
  }
}
