package io.geolake.pipeline.ingest;

import io.geolake.pipeline.run.DataException;

/** No source has a delivery folder for the date: most likely a wrong --date or --landing. */
public final class NoDeliveryException extends DataException {
  public NoDeliveryException(String message) {
    super(message);
  }
}
