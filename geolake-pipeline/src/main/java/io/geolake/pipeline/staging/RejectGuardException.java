package io.geolake.pipeline.staging;

import io.geolake.pipeline.run.DataException;

/** Too large a share of a delivery was rejected or quarantined; see the message for where. */
public final class RejectGuardException extends DataException {
  public RejectGuardException(String message) {
    super(message);
  }
}
