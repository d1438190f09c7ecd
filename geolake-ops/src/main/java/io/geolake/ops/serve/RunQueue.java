package io.geolake.ops.serve;

import io.geolake.pipeline.run.RunReport;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dates waiting to run, run one at a time, oldest first: the lookback window makes order matter,
 * and a run's Iceberg branch is a setting of the shared Spark session. Asking for a date already
 * waiting does nothing.
 */
final class RunQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);

  /** A run the queue finished, for /health and tests. */
  record Finished(LocalDate date, String reason, boolean succeeded, String runId, String error) {}

  private final TreeSet<LocalDate> pending = new TreeSet<>();
  private final java.util.Map<LocalDate, String> reasons = new java.util.HashMap<>();
  private final List<Finished> finished = new ArrayList<>();
  private final Function<LocalDate, RunReport> runner;
  private final Thread worker;
  private LocalDate running;
  private volatile boolean closed;

  RunQueue(Function<LocalDate, RunReport> runner) {
    this.runner = runner;
    this.worker = new Thread(this::work, "geolake-runs");
    worker.setDaemon(true);
    worker.start();
  }

  synchronized void submit(LocalDate date, String reason) {
    if (closed || pending.contains(date) || date.equals(running)) {
      return;
    }
    LOG.info("Queued the run of {} ({})", date, reason);
    pending.add(date);
    reasons.put(date, reason);
    notifyAll();
  }

  synchronized List<LocalDate> pending() {
    return List.copyOf(pending);
  }

  synchronized LocalDate running() {
    return running;
  }

  synchronized List<Finished> finished() {
    return List.copyOf(finished);
  }

  private void work() {
    while (true) {
      LocalDate date;
      String reason;
      synchronized (this) {
        while (pending.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        date = pending.pollFirst();
        reason = reasons.remove(date);
        running = date;
      }
      Finished outcome;
      try {
        RunReport report = runner.apply(date);
        LOG.info("Run of {} ({}) succeeded: {} in {} s", date, reason, report.runId(), report.took().toSeconds());
        outcome = new Finished(date, reason, true, report.runId(), null);
      } catch (RuntimeException | Error e) {
        // Alerts were raised by the monitored run; the server goes on with the next date.
        LOG.error("Run of {} ({}) failed: {}", date, reason, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        outcome = new Finished(date, reason, false, null, String.valueOf(e.getMessage()));
      }
      synchronized (this) {
        finished.add(outcome);
        running = null;
        notifyAll();
      }
    }
  }

  /** Stops taking dates; a run in progress finishes first. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
