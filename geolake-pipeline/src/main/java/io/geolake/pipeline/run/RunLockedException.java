package io.geolake.pipeline.run;

/** Another run holds the lakehouse's lock. Exit code 1; retry later. */
public final class RunLockedException extends RuntimeException {
  public RunLockedException(String message) {
    super(message);
  }
}
