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
 * waiting does nothing. Chores (maintenance, training) asked for run on the same thread once no
 * date is waiting, in the order asked: maintenance never holds the lake while a date could run,
 * nor a run while it expires snapshots, and training learns from every date queued before it.
 */
final class RunQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);
  static final String MAINTENANCE = "maintenance";
  static final String TRAINING = "training";

  /** A run, or with a null date a chore, the queue finished, for /health and tests. */
  record Finished(LocalDate date, String chore, String reason, boolean succeeded, String runId, String error) {}

  private final TreeSet<LocalDate> pending = new TreeSet<>();
  private final java.util.Map<LocalDate, String> reasons = new java.util.HashMap<>();
  private final java.util.LinkedHashMap<String, String> pendingChores = new java.util.LinkedHashMap<>();
  private final List<Finished> finished = new ArrayList<>();
  private final Function<LocalDate, RunReport> runner;
  private final java.util.Map<String, Runnable> chores;
  private final Thread worker;
  private LocalDate running;
  private String chore;
  private volatile boolean closed;

  /** @param chores what each chore name does: {@link #MAINTENANCE}, {@link #TRAINING} */
  RunQueue(Function<LocalDate, RunReport> runner, java.util.Map<String, Runnable> chores) {
    this.runner = runner;
    this.chores = java.util.Map.copyOf(chores);
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

  /** Asks for a chore after the dates waiting now and any queued before it starts; asking again while it waits does nothing. */
  synchronized void submitChore(String name, String reason) {
    if (!chores.containsKey(name)) {
      throw new IllegalArgumentException("No chore " + name + "; known: " + chores.keySet());
    }
    if (closed || pendingChores.containsKey(name)) {
      return;
    }
    LOG.info("Queued {} ({})", name, reason);
    pendingChores.put(name, reason);
    notifyAll();
  }

  synchronized List<LocalDate> pending() {
    return List.copyOf(pending);
  }

  synchronized LocalDate running() {
    return running;
  }

  /** The chore in progress, or null. */
  synchronized String chore() {
    return chore;
  }

  synchronized List<Finished> finished() {
    return List.copyOf(finished);
  }

  private void work() {
    while (true) {
      LocalDate date;
      String name = null;
      String reason;
      synchronized (this) {
        while (pending.isEmpty() && pendingChores.isEmpty() && !closed) {
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
          name = pendingChores.keySet().iterator().next();
          reason = pendingChores.remove(name);
          date = null;
          chore = name;
        } else {
          date = pending.pollFirst();
          reason = reasons.remove(date);
          running = date;
        }
      }
      Finished outcome = date == null ? doChore(name, reason) : run(date, reason);
      synchronized (this) {
        finished.add(outcome);
        running = null;
        chore = null;
        notifyAll();
      }
    }
  }

  private Finished doChore(String name, String reason) {
    try {
      chores.get(name).run();
      LOG.info("{} ({}) done", name, reason);
      return new Finished(null, name, reason, true, null, null);
    } catch (RuntimeException | Error e) {
      // Alerted by the chore itself (MonitoredMaintenance, MonitoredTraining).
      LOG.error("{} ({}) failed: {}", name, reason, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      return new Finished(null, name, reason, false, null, String.valueOf(e.getMessage()));
    }
  }

  private Finished run(LocalDate date, String reason) {
    try {
      RunReport report = runner.apply(date);
      LOG.info("Run of {} ({}) succeeded: {} in {} s", date, reason, report.runId(), report.took().toSeconds());
      return new Finished(date, null, reason, true, report.runId(), null);
    } catch (RuntimeException | Error e) {
      // Alerts were raised by the monitored run; the server goes on with the next date.
      LOG.error("Run of {} ({}) failed: {}", date, reason, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      return new Finished(date, null, reason, false, null, String.valueOf(e.getMessage()));
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
