package io.geolake.ops.alert;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.run.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alerts to every configured channel, once per incident: an incident that is still open is
 * sent again only after {@code alerts.repeat-after}, however often it recurs in between. A
 * successful run of the date closes its incidents and sends one "recovered" message.
 */
public final class Alerter {
  private static final Logger LOG = LoggerFactory.getLogger(Alerter.class);

  /** What happened to one alert on one channel. */
  public record Delivery(String channel, boolean delivered, String error) {}

  private final List<AlertChannel> channels;
  private final Incidents incidents;
  private final Duration repeatAfter;
  private final Clock clock;

  public Alerter(GeolakeConfig config, RunStore store, Clock clock) {
    this(AlertChannels.from(config.alerts()), store, config.alerts().repeatAfter(), clock);
  }

  Alerter(List<AlertChannel> channels, RunStore store, Duration repeatAfter, Clock clock) {
    this.channels = List.copyOf(channels);
    this.incidents = new Incidents(store);
    this.repeatAfter = repeatAfter;
    this.clock = clock;
  }

  public List<String> channelNames() {
    return channels.stream().map(AlertChannel::name).toList();
  }

  /** Raises the alert's incident; returns the deliveries, empty when the open incident was sent recently. */
  public synchronized List<Delivery> raise(Alert alert) {
    Instant now = clock.instant();
    var existing = incidents.find(alert.incident());
    if (existing.isPresent() && existing.get().open()) {
      incidents.recurred(alert.incident());
      Instant last = existing.get().lastSentAt();
      if (last != null && Duration.between(last, now).compareTo(repeatAfter) < 0) {
        return List.of(); // still open and recently sent: no storm
      }
    } else {
      incidents.open(alert, now);
    }
    List<Delivery> deliveries = sendEverywhere(alert);
    if (deliveries.stream().anyMatch(Delivery::delivered)) {
      incidents.sent(alert.incident(), now);
    }
    return deliveries;
  }

  /** Closes the date's open incidents after a successful run; sends "recovered" if there were any. */
  public synchronized List<Delivery> recovered(LocalDate date, String runId) {
    return recovered(date, runId, java.util.Set.of());
  }

  /**
   * As {@link #recovered(LocalDate, String)}, but leaves open the incidents the successful run
   * itself raised ({@code stillFailing}: its warn-severity quality and drift failures).
   */
  public synchronized List<Delivery> recovered(LocalDate date, String runId, java.util.Set<String> stillFailing) {
    var open = incidents.openOn(date).stream().filter(i -> !stillFailing.contains(i.key())).toList();
    if (open.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    open.forEach(i -> incidents.close(i.key(), now));
    return sendEverywhere(Alert.recovered(date, runId, open.stream().map(i -> i.title()).collect(Collectors.joining("; "))));
  }

  /** Closes open "maintenance failed" incidents once maintenance has succeeded (no message). */
  public synchronized void maintenanceSucceeded() {
    Instant now = clock.instant();
    incidents.openOfKind(AlertKind.MAINTENANCE_FAILED).forEach(i -> incidents.close(i.key(), now));
  }

  /** Closes open "training failed" incidents once training has succeeded (no message). */
  public synchronized void trainingSucceeded() {
    Instant now = clock.instant();
    incidents.openOfKind(AlertKind.TRAINING_FAILED).forEach(i -> incidents.close(i.key(), now));
  }

  /** Closes open "model learned from reverted rows" incidents once a version free of them scores (no message). */
  public synchronized void modelScoresClean() {
    Instant now = clock.instant();
    incidents.openOfKind(AlertKind.MODEL_LEARNED_FROM_REVERTED).forEach(i -> incidents.close(i.key(), now));
  }

  public boolean isOpen(String incident) {
    return incidents.find(incident).map(Incident::open).orElse(false);
  }

  private List<Delivery> sendEverywhere(Alert alert) {
    List<Delivery> deliveries = new ArrayList<>();
    for (AlertChannel channel : channels) {
      try {
        channel.send(alert);
        deliveries.add(new Delivery(channel.name(), true, null));
      } catch (Exception e) {
        // One broken channel must not silence the others.
        LOG.error("Cannot send alert '{}' by {}: {}", alert.title(), channel.name(), e.toString());
        deliveries.add(new Delivery(channel.name(), false, e.toString()));
      }
    }
    return deliveries;
  }
}
