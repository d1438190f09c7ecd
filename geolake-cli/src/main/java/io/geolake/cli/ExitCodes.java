package io.geolake.cli;

/** The command line's exit codes, a contract for scripts and schedulers. */
public final class ExitCodes {
  public static final int OK = 0;
  /** The run failed: bad data past the guard, no delivery, an I/O or engine error. */
  public static final int RUN_FAILED = 1;
  /** Bad usage or configuration: nothing was run. */
  public static final int USAGE = 2;
  /** The caller's role may not run the statement: nothing was run. */
  public static final int ACCESS_DENIED = 3;

  private ExitCodes() {}
}
