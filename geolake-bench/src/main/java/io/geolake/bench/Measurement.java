package io.geolake.bench;

/**
 * One measured piece of work.
 *
 * @param rowsIn rows the step read (delivered rows for ingest, raw rows for stage)
 * @param rowsOut rows the step produced
 * @param bytesRead bytes Spark tasks read while the step ran
 * @param bytesWritten bytes Spark tasks wrote while the step ran
 * @param peakHeapBytes highest heap use seen while the step ran (sampled)
 */
public record Measurement(
    String name,
    double seconds,
    long rowsIn,
    long rowsOut,
    long bytesRead,
    long bytesWritten,
    long peakHeapBytes,
    int cores) {

  public double rowsPerSecondPerCore() {
    return seconds <= 0 ? 0 : rowsIn / seconds / cores;
  }
}
