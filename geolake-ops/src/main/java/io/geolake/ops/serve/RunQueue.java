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
 * waiting does nothing. Maintenance asked for runs on the same thread once no date is waiting, so
 * it never holds the lake while a date could run, nor a run while it expires snapshots.
 */
final class RunQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);

  /** A run (or, with a null date, maintenance) the queue finished, for /health and tests. */
  record Finished(LocalDate date, String reason, boolean succeeded, String runId, String error) {}

  private final TreeSet<LocalDate> pending = new TreeSet<>();
  private final java.util.Map<LocalDate, String> reasons = new java.util.HashMap<>();
  private final List<Finished> finished = new ArrayList<>();
  private final Function<LocalDate, RunReport> runner;
  private final Runnable maintenance;
  private final Thread worker;
  private LocalDate running;
  private boolean maintaining;
  private String maintenanceReason;
  private volatile boolean closed;

  RunQueue(Function<LocalDate, RunReport> runner, Runnable maintenance) {
    this.runner = runner;
    this.maintenance = maintenance;
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

  /** Asks for maintenance after the dates waiting now and any queued before it starts. */
  synchronized void submitMaintenance(String reason) {
    if (closed || maintenanceReason != null) {
      return;
    }
    LOG.info("Queued maintenance ({})", reason);
    maintenanceReason = reason;
    notifyAll();
  }

  synchronized List<LocalDate> pending() {
    return List.copyOf(pending);
  }

  synchronized LocalDate running() {
    return running;
  }

  synchronized boolean maintaining() {
    return maintaining;
  }

  synchronized List<Finished> finished() {
    return List.copyOf(finished);
  }

  private void work() {
    while (true) {
      LocalDate date;
      String reason;
      synchronized (this) {
        while (pending.isEmpty() && maintenanceReason == null && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        if (pending.isEmpty()) {
          reason = maintenanceReason;
          maintenanceReason = null;
          date = null;
          maintaining = true;
        } else {
          date = pending.pollFirst();
          reason = reasons.remove(date);
          running = date;
        }
      }
      Finished outcome = date == null ? maintain(reason) : run(date, reason);
      synchronized (this) {
        finished.add(outcome);
        running = null;
        maintaining = false;
        notifyAll();
      }
    }
  }

  private Finished maintain(String reason) {
    try {
      maintenance.run();
      LOG.info("Maintenance ({}) done", reason);
      return new Finished(null, reason, true, null, null);
    } catch (RuntimeException | Error e) {
      LOG.error("Maintenance ({}) failed: {}", reason, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      return new Finished(null, reason, false, null, String.valueOf(e.getMessage()));
    }
  }

  private Finished run(LocalDate date, String reason) {
    try {
      RunReport report = runner.apply(date);
      LOG.info("Run of {} ({}) succeeded: {} in {} s", date, reason, report.runId(), report.took().toSeconds());
      return new Finished(date, reason, true, report.runId(), null);
    } catch (RuntimeException | Error e) {
      // Alerts were raised by the monitored run; the server goes on with the next date.
      LOG.error("Run of {} ({}) failed: {}", date, reason, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      return new Finished(date, reason, false, null, String.valueOf(e.getMessage()));
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
