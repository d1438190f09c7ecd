package io.geolake.cli;

import io.geolake.core.config.ConfigException;
import io.geolake.pipeline.run.DataException;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps failures to exit codes and one clear message: config and usage errors exit 2, data and run
 * failures exit 1, a statement the role may not run exits 3. Stack traces only with {@code GEOLAKE_DEBUG=1}.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    var err = cmd.getErr();
    if ("1".equals(System.getenv("GEOLAKE_DEBUG"))) {
      e.printStackTrace(err);
    }
    if (e instanceof io.geolake.pipeline.access.AccessDeniedException) {
      err.println("geolake: access denied: " + e.getMessage());
      return ExitCodes.ACCESS_DENIED;
    }
    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
      err.println("geolake: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof AnalysisException analysis) {
      err.println("geolake: invalid SQL: " + analysis.getSimpleMessage());
      return ExitCodes.USAGE;
    }
    if (e instanceof DataException || e instanceof io.geolake.pipeline.run.RunLockedException || e instanceof io.geolake.pipeline.run.RevertRefusedException
        || e instanceof io.geolake.pipeline.model.PromotionRefusedException) {
      err.println("geolake: " + e.getMessage());
      return ExitCodes.RUN_FAILED;
    }
    err.println("geolake: failed: " + describe(e));
    err.println("  Every table was left at its last committed snapshot. Set GEOLAKE_DEBUG=1 for the stack trace.");
    return ExitCodes.RUN_FAILED;
  }

  private static String describe(Throwable e) {
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable cause = e.getCause();
    while (cause != null && cause != e) {
      message.append("\n  caused by: ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
      e = cause;
      cause = cause.getCause();
    }
    return message.toString();
  }
}
