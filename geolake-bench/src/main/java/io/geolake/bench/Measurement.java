package io.geolake.bench;

/**
 * One measured piece of work. A value the measurement did not record is {@link #NOT_MEASURED}
 * (shown as "–" in the markdown table), never a zero that reads as measured.
 *
 * @param rowsIn rows the step read (delivered rows for ingest, raw rows for stage)
 * @param rowsOut rows the step produced
 * @param bytesRead bytes Spark tasks read while the step ran
 * @param bytesWritten bytes Spark tasks wrote while the step ran
 * @param filesWritten Parquet files (data and delete files) created under the bench's work folder
 *     while the step ran
 * @param peakHeapBytes highest heap use seen while the step ran (sampled)
 */
public record Measurement(
    String name,
    double seconds,
    long rowsIn,
    long rowsOut,
    long bytesRead,
    long bytesWritten,
    long filesWritten,
    long peakHeapBytes,
    int cores) {

  static final long NOT_MEASURED = -1;

  /** Time and row counts only, e.g. one step's share of a measured daily run. */
  static Measurement timeAndRows(String name, double seconds, long rowsIn, long rowsOut, int cores) {
    return new Measurement(name, seconds, rowsIn, rowsOut, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, NOT_MEASURED, cores);
  }

  /** The same measurement with bytes counted outside Spark (task metrics see none of them). */
  Measurement withBytes(long read, long written) {
    return new Measurement(name, seconds, rowsIn, rowsOut, read, written, filesWritten, peakHeapBytes, cores);
  }

  /** {@link #NOT_MEASURED} when rows in were not. */
  public double rowsPerSecondPerCore() {
    if (rowsIn == NOT_MEASURED) {
      return NOT_MEASURED;
    }
    return seconds <= 0 ? 0 : rowsIn / seconds / cores;
  }
}
