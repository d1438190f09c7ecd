package io.geolake.pipeline.run;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * One run at a time writes a lake: runs publish by fast-forwarding main, and a run's resume logic
 * assumes nobody else moves its branch. A second run is refused with a message naming the holder.
 */
public interface RunLock extends AutoCloseable {

  /**
   * Takes the lake's lock or throws {@link RunLockedException} naming the holder. With the default
   * run store (SQLite in a local data folder) an OS file lock; with {@code runs.uri} set — a store
   * shared by several hosts — a heartbeat lease in the store, taken over once it is stale.
   */
  static RunLock acquire(GeolakeConfig config, String purpose) {
    Locations locations = Locations.of(config);
    if (config.runs().uri().isBlank()) {
      return FileRunLock.acquire(locations, purpose);
    }
    return LeaseRunLock.acquire(new RunStore(config), locations.data().toString(), purpose, config.runs().heartbeat(), config.runs().lockTimeout());
  }

  /**
   * Takes another lock of the lake, held for short changes beside runs (the model registry's):
   * waits up to {@code patience} for the holder to let go rather than refusing at once. The same
   * two kinds as the run's lock: {@code <data>/<name>.lock}, or the lease {@code <data>#<name>}.
   *
   * @param what the lock's name in messages ("the model registry of ...")
   */
  static RunLock await(GeolakeConfig config, String name, String what, String purpose, Duration patience) {
    Locations locations = Locations.of(config);
    boolean local = config.runs().uri().isBlank();
    RunStore store = local ? null : new RunStore(config);
    Instant deadline = Instant.now().plus(patience);
    while (true) {
      Function<String, RunLockedException> refusal =
          holder ->
              new RunLockedException(
                  "Cannot " + purpose + ": " + what + " has been held for over "
                      + (patience.toSeconds() > 0 ? patience.toSeconds() + " s" : patience.toMillis() + " ms") + " by " + holder
                      + ". Try again once it is done" + (local ? "; a killed process lets go by itself." : "."));
      try {
        if (local) {
          return FileRunLock.acquire(Path.of(locations.data()).resolve(name + ".lock"), purpose, refusal);
        }
        return LeaseRunLock.acquire(
            store, locations.data() + "#" + name, purpose, config.runs().heartbeat(), config.runs().lockTimeout(), lease -> refusal.apply(lease.holder()));
      } catch (RunLockedException held) {
        if (Instant.now().isAfter(deadline)) {
          throw held;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw held;
        }
      }
    }
  }

  /** Throws if the lock was lost (a lease not renewed in time and taken over by another run). */
  void checkHeld();

  @Override
  void close();
}
