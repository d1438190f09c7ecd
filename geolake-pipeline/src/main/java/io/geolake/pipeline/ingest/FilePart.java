package io.geolake.pipeline.ingest;

import java.io.Serializable;

/**
 * What one ingest task reads: a whole file, the lines starting in a byte range of a large
 * uncompressed text file, or the row groups whose middle lies in a byte range of a large Parquet
 * file. {@code linesBefore} is how many lines (rows) earlier parts of the file hold, so
 * {@code _row_number} stays the line (row) number in the file however it is split.
 */
record FilePart(DeliveryFile file, long start, long end, long linesBefore) implements Serializable {
  static FilePart whole(DeliveryFile file) {
    return new FilePart(file, 0, Long.MAX_VALUE, 0);
  }

  boolean isWhole() {
    return start == 0 && end == Long.MAX_VALUE;
  }
}
