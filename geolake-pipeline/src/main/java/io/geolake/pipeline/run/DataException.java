package io.geolake.pipeline.run;

/**
 * The delivered data cannot be processed as configured (no delivery, too many rejects). Retrying
 * does not help; the message says what to look at. Exit code 1.
 */
public class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }
}
