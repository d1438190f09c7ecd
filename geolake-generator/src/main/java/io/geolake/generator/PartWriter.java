package io.geolake.generator;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes one part file of a delivery. Data goes to a hidden in-progress file that is renamed into
 * place on close, so a reader never sees half a file.
 */
abstract class PartWriter implements Closeable {
  private final Path target;
  protected final Path inProgress;
  private int rows;

  PartWriter(Path target) {
    this.target = target;
    this.inProgress = target.resolveSibling("." + target.getFileName() + ".inprogress");
  }

  static PartWriter open(FileFormat format, Path target) throws IOException {
    return switch (format) {
      case CSV_GZ -> new CsvGzPartWriter(target);
      case JSONL -> new JsonLinesPartWriter(target);
      case PARQUET -> new ParquetPartWriter(target);
    };
  }

  final void write(Ping ping) throws IOException {
    doWrite(ping);
    rows++;
  }

  int rows() {
    return rows;
  }

  abstract void doWrite(Ping ping) throws IOException;

  abstract void finish() throws IOException;

  @Override
  public final void close() throws IOException {
    finish();
    Files.move(inProgress, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
