package io.geolake.pipeline.model;

/** A version of model X cannot be made live as it stands; the message says why and what to do. Exit code 1. */
public class PromotionRefusedException extends RuntimeException {
  public PromotionRefusedException(String message) {
    super(message);
  }
}
