package io.geolake.ops;

import io.geolake.ops.alert.Alert;
import io.geolake.ops.alert.Alerter;
import io.geolake.pipeline.run.RunLockedException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.function.Supplier;

/**
 * Maintenance with its incident, as geolake serve's schedule and geolake maintain run it: often
 * unattended (a schedule, cron), so a failure raises a "maintenance failed" incident on every alert
 * channel instead of only reaching a log nobody reads; the next maintenance that succeeds, by
 * either, closes it.
 */
public final class MonitoredMaintenance {
  private final Alerter alerter;
  private final Clock clock;
  private final ZoneId zone;

  /** @param zone the zone whose calendar day names the incident (serve.time-zone) */
  public MonitoredMaintenance(Alerter alerter, Clock clock, ZoneId zone) {
    this.alerter = alerter;
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * @param maintenance the work: the tables' maintenance, then the query audit's expiry
   * @return what the work returned
   */
  public <T> T run(Supplier<T> maintenance) {
    T result;
    try {
      result = maintenance.get();
    } catch (RunLockedException e) {
      throw e; // a run holds the lake: maintenance comes again later, not an incident
    } catch (RuntimeException | Error e) {
      String error = String.valueOf(e.getMessage()).lines().limit(5).reduce((a, b) -> a + "\n" + b).orElse("");
      alerter.raise(Alert.maintenanceFailed(LocalDate.ofInstant(clock.instant(), zone), error));
      throw e;
    }
    alerter.maintenanceSucceeded();
    return result;
  }
}
