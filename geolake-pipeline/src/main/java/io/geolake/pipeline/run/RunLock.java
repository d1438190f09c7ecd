package io.geolake.pipeline.run;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;

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

  /** Throws if the lock was lost (a lease not renewed in time and taken over by another run). */
  void checkHeld();

  @Override
  void close();
}
