package io.geolake.ops;

import io.geolake.ops.alert.Alert;
import io.geolake.ops.alert.Alerter;
import io.geolake.pipeline.run.RunLockedException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Maintenance as geolake serve runs it: unattended, so a failure raises a "maintenance failed"
 * incident on every alert channel instead of only reaching a log nobody reads; the next maintenance
 * that succeeds closes it.
 */
public final class MonitoredMaintenance implements Runnable {
  private final Runnable maintenance;
  private final Alerter alerter;
  private final Clock clock;
  private final ZoneId zone;

  /**
   * @param maintenance the work: the tables' maintenance, then the query audit's expiry
   * @param zone the zone whose calendar day names the incident (serve.time-zone)
   */
  public MonitoredMaintenance(Runnable maintenance, Alerter alerter, Clock clock, ZoneId zone) {
    this.maintenance = maintenance;
    this.alerter = alerter;
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public void run() {
    try {
      maintenance.run();
      alerter.maintenanceSucceeded();
    } catch (RunLockedException e) {
      throw e; // a run holds the lake: maintenance comes again on the next schedule, not an incident
    } catch (RuntimeException | Error e) {
      String error = String.valueOf(e.getMessage()).lines().limit(5).reduce((a, b) -> a + "\n" + b).orElse("");
      alerter.raise(Alert.maintenanceFailed(LocalDate.ofInstant(clock.instant(), zone), error));
      throw e;
    }
  }
}
