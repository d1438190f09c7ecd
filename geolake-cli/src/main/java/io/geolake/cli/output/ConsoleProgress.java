package io.geolake.cli.output;

import io.geolake.pipeline.run.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDate;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * Progress on stderr while a run works: a line per step, and on a terminal a live line with the
 * running Spark stage's finished and total tasks.
 */
public final class ConsoleProgress implements RunListener {
  private final SparkSession spark;
  private final PrintWriter err;
  private final boolean live;
  private Thread ticker;

  public ConsoleProgress(SparkSession spark, PrintWriter err) {
    this.spark = spark;
    this.err = err;
    this.live = System.console() != null;
  }

  @Override
  public synchronized void stepStarted(LocalDate date, String step) {
    err.printf("[%s] %s ...%n", date, step);
    err.flush();
    if (live) {
      ticker = new Thread(() -> tick(date, step), "geolake-progress");
      ticker.setDaemon(true);
      ticker.start();
    }
  }

  @Override
  public synchronized void stepFinished(LocalDate date, String step, Duration took, Object result) {
    stopTicker();
    err.printf("[%s] %s done in %.1f s%n", date, step, took.toMillis() / 1000.0);
    err.flush();
  }

  @Override
  public synchronized void stepRetrying(LocalDate date, String step, int failedAttempt, Duration wait, Throwable error) {
    stopTicker();
    err.printf("[%s] %s attempt %d failed with a transient error, retrying in %s: %s%n", date, step, failedAttempt, wait, error.getMessage());
    err.flush();
  }

  @Override
  public synchronized void stepSkipped(LocalDate date, String step, Object result) {
    err.printf("[%s] %s finished by an earlier attempt: resuming after it%n", date, step);
    err.flush();
  }

  private void stopTicker() {
    if (ticker != null) {
      ticker.interrupt();
      try {
        ticker.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ticker = null;
      err.print("\r\033[K");
    }
  }

  private void tick(LocalDate date, String step) {
    SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    while (!Thread.currentThread().isInterrupted()) {
      StringBuilder line = new StringBuilder();
      for (int stageId : tracker.getActiveStageIds()) {
        SparkStageInfo info = tracker.getStageInfo(stageId).getOrElse(() -> null);
        if (info != null) {
          line.append(String.format(" stage %d: %d/%d tasks", stageId, info.numCompletedTasks(), info.numTasks()));
        }
      }
      err.print("\r\033[K[" + date + "] " + step + line);
      err.flush();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
