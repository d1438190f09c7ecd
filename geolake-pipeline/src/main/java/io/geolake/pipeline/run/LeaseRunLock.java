package io.geolake.pipeline.run;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The lock of a lake whose run store is shared (runs.uri): a lease row in the store that the
 * holder renews every heartbeat from a daemon thread. A process that dies stops renewing; once
 * its lease is older than the timeout the next run takes it over with a compare-and-set on the
 * heartbeat it read, so of two runs racing for a stale lease exactly one wins.
 */
final class LeaseRunLock implements RunLock {
  private final RunStore store;
  private final String name;
  private final String holder;
  private final ScheduledExecutorService heartbeats;
  private volatile String lostTo;

  private LeaseRunLock(RunStore store, String name, String holder, Duration heartbeat) {
    this.store = store;
    this.name = name;
    this.holder = holder;
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "geolake-lease-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeats.scheduleAtFixedRate(this::renew, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
  }

  static LeaseRunLock acquire(RunStore store, String name, String purpose, Duration heartbeat, Duration timeout) {
    return acquire(
        store,
        name,
        purpose,
        heartbeat,
        timeout,
        lease ->
            new RunLockedException(
                "Cannot start " + purpose + ": another run holds the lock of " + name + " in the run store (" + lease.holder()
                    + ", last heartbeat " + lease.heartbeatAt() + "). Wait for it to finish; if its process died, the lock is taken over "
                    + "once its heartbeat is older than runs.lock-timeout (" + timeout + ")."));
  }

  /** Takes the named lease or throws what {@code refusal} makes of the lease held. */
  static LeaseRunLock acquire(
      RunStore store, String name, String purpose, Duration heartbeat, Duration timeout, Function<RunStore.Lease, RunLockedException> refusal) {
    String holder = purpose + ", process " + ManagementFactory.getRuntimeMXBean().getName() + ", since " + Instant.now();
    RunStore.Lease lease = store.tryLease(name, holder, timeout);
    if (!lease.acquired()) {
      throw refusal.apply(lease);
    }
    return new LeaseRunLock(store, name, holder, heartbeat);
  }

  private void renew() {
    try {
      if (lostTo == null && !store.renewLease(name, holder)) {
        lostTo = store.leaseHolder(name).orElse("nobody");
      }
    } catch (RuntimeException e) {
      // A store that is briefly unreachable: the next heartbeat tries again, and the lease only
      // goes stale if every heartbeat within the timeout fails.
    }
  }

  @Override
  public void checkHeld() {
    if (lostTo != null) {
      throw new RunLockedException(
          "Lost the lock of " + name + ": its heartbeat was late beyond runs.lock-timeout and it was taken over by " + lostTo
              + ". This run stops before writing more; its branch is left for the other run to abandon.");
    }
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    try {
      heartbeats.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (lostTo == null) {
      store.releaseLease(name, holder);
    }
  }
}
