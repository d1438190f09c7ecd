package io.geolake.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Measures a piece of work: wall time, bytes Spark tasks read and wrote (from task metrics), the
 * Parquet files it created under the work folder, and the peak heap use, sampled every 50 ms
 * (local mode: driver and executors share the heap).
 */
final class Meter {
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  /** Bytes Spark tasks spilled to disk (sorts, aggregations, shuffles that did not fit in memory). */
  final AtomicLong diskBytesSpilled = new AtomicLong();
  private final int cores;
  /** Every lake and output of the bench lives here, so new Parquet files here are what a step wrote. */
  private final Path work;
  private final java.util.Map<Integer, String> jobPhases = new java.util.HashMap<>();
  /** Per phase: jobs running now, and since when the first of them ran. */
  private final java.util.Map<String, long[]> running = new java.util.HashMap<>();
  /**
   * Wall time during which a phase's Spark jobs ran, by job description (dates replaced by D),
   * summed over everything measured. Jobs of one phase that overlap (a broadcast beside the query
   * using it) count once.
   */
  final java.util.Map<String, Long> phaseMillis = new java.util.concurrent.ConcurrentSkipListMap<>();

  Meter(SparkSession spark, Path work) {
    this.work = work;
    this.cores = spark.sparkContext().defaultParallelism();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
                String description = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
                String phase = description == null ? "(no description)" : description.replaceAll("[0-9]{4}-[0-9]{2}-[0-9]{2}", "D");
                synchronized (running) {
                  jobPhases.put(start.jobId(), phase);
                  long[] state = running.computeIfAbsent(phase, k -> new long[2]);
                  if (state[0]++ == 0) {
                    state[1] = start.time();
                  }
                }
              }

              @Override
              public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd end) {
                synchronized (running) {
                  String phase = jobPhases.remove(end.jobId());
                  long[] state = phase == null ? null : running.get(phase);
                  if (state != null && --state[0] == 0) {
                    phaseMillis.merge(phase, end.time() - state[1], Long::sum);
                  }
                }
              }

              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                TaskMetrics m = end.taskMetrics();
                if (m != null) {
                  bytesRead.addAndGet(m.inputMetrics().bytesRead());
                  bytesWritten.addAndGet(m.outputMetrics().bytesWritten());
                  diskBytesSpilled.addAndGet(m.diskBytesSpilled());
                }
              }
            });
  }

  int cores() {
    return cores;
  }

  /** Runs {@code work}; {@code rows} computes (rowsIn, rowsOut) from its result. */
  <T> Result<T> measure(String name, Supplier<T> work, java.util.function.Function<T, long[]> rows) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-heap-sampler");
    sampler.setDaemon(true);
    long read0 = bytesRead.get();
    long written0 = bytesWritten.get();
    sampler.start();
    long startedAt = System.currentTimeMillis();
    long started = System.nanoTime();
    T value = work.get();
    double seconds = (System.nanoTime() - started) / 1e9;
    sampler.interrupt();
    // Task-end events arrive asynchronously; give the listener bus a moment to drain.
    sleep(300);
    long[] counts = rows.apply(value);
    Measurement m =
        new Measurement(
            name, seconds, counts[0], counts[1], bytesRead.get() - read0, bytesWritten.get() - written0,
            parquetFilesSince(startedAt), peak.get(), cores);
    System.err.printf(
        "  %-34s %8.1f s  %,12d rows in  %,10.0f rows/s/core  peak heap %,d MB%n",
        name, seconds, m.rowsIn(), m.rowsPerSecondPerCore(), m.peakHeapBytes() >> 20);
    return new Result<>(value, m);
  }

  record Result<T>(T value, Measurement measurement) {}

  /** Phase wall times since a copy of {@link #phaseMillis} was taken, largest first. */
  java.util.Map<String, Long> phasesSince(java.util.Map<String, Long> before) {
    sleep(300); // job-end events arrive asynchronously
    java.util.Map<String, Long> delta = new java.util.LinkedHashMap<>();
    phaseMillis.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> delta.put(e.getKey(), e.getValue()));
    return delta;
  }

  /** Parquet files under the work folder modified at or after {@code millis}; counted after the work, untimed. */
  private long parquetFilesSince(long millis) {
    try (Stream<Path> files = Files.walk(work)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> modifiedMillis(p) >= millis)
          .count();
    } catch (IOException | UncheckedIOException e) {
      return Measurement.NOT_MEASURED; // a file vanished mid-walk (another writer's temp file)
    }
  }

  private static long modifiedMillis(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return Long.MIN_VALUE; // deleted since listed: not a file the step left behind
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
