package io.geolake.ops.alert;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.metrics.RunMetrics;
import io.geolake.pipeline.run.RunRecord;
import io.geolake.pipeline.run.RunState;
import io.geolake.pipeline.run.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The scores' deadline: scores for date D must be published by {@code alerts.sla.scores-by} on
 * D + days-after. Checks the dates whose deadline passed within the last {@value #WINDOW_DAYS}
 * days (older ones were reported when they passed), from the lake's first run on (earlier dates
 * predate it), and raises "SLA missed" for each without a successful run; the alerter keeps that
 * to one message per open incident.
 */
public final class SlaMonitor {
  static final int WINDOW_DAYS = 3;

  private final GeolakeConfig.Sla sla;
  private final RunStore store;
  private final Alerter alerter;
  private final RunMetrics metrics;
  private final Clock clock;

  public SlaMonitor(GeolakeConfig.Sla sla, RunStore store, Alerter alerter, RunMetrics metrics, Clock clock) {
    this.sla = sla;
    this.store = store;
    this.alerter = alerter;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The dates found late, after alerting on them. */
  public List<LocalDate> check() {
    List<LocalDate> late = new ArrayList<>();
    if (!sla.configured()) {
      return late;
    }
    Optional<LocalDate> first = store.firstDate();
    if (first.isEmpty()) {
      return late; // nothing has ever run here
    }
    Instant now = clock.instant();
    LocalDate today = now.atZone(sla.timeZone()).toLocalDate();
    for (int back = WINDOW_DAYS; back >= 0; back--) {
      LocalDate date = today.minusDays(back + (long) sla.daysAfter());
      Instant deadline = deadline(date);
      if (date.isBefore(first.get()) || deadline.isAfter(now) || deadline.isBefore(now.minus(java.time.Duration.ofDays(WINDOW_DAYS)))) {
        continue;
      }
      Optional<RunRecord> latest = store.latest(date);
      // Published (on time, or late but before this check: then an earlier check already alerted).
      boolean published = latest.isPresent() && latest.get().state() == RunState.SUCCEEDED;
      if (!published) {
        String state = latest.map(r -> "run " + r.runId() + " is " + r.state() + (r.error() == null ? "" : ": " + r.error().lines().findFirst().orElse("")))
            .orElse("no run of the date yet");
        if (!alerter.isOpen("sla:" + date)) {
          metrics.slaMissed();
        }
        alerter.raise(Alert.slaMissed(date, deadline, state));
        late.add(date);
      }
    }
    return late;
  }

  public Instant deadline(LocalDate date) {
    return date.plusDays(sla.daysAfter()).atTime(LocalTime.parse(sla.scoresBy())).atZone(sla.timeZone()).toInstant();
  }
}
