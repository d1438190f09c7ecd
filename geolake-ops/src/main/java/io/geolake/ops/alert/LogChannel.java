package io.geolake.ops.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Alerts as WARN lines of the "geolake.alerts" logger. */
final class LogChannel implements AlertChannel {
  private static final Logger LOG = LoggerFactory.getLogger("geolake.alerts");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void send(Alert alert) {
    LOG.warn("{}", alert.text().replace("\n", " | "));
  }
}
