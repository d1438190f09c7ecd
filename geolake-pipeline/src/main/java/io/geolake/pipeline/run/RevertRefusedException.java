package io.geolake.pipeline.run;

/** A run cannot be reverted as the lake stands; the message says why and what to do. Exit code 1. */
public class RevertRefusedException extends RuntimeException {
  public RevertRefusedException(String message) {
    super(message);
  }
}
