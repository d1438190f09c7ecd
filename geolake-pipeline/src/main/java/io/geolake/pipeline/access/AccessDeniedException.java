package io.geolake.pipeline.access;

/** A statement the caller's role may not run; nothing of it was run. */
public final class AccessDeniedException extends RuntimeException {
  public AccessDeniedException(String message) {
    super(message);
  }
}
