package io.geolake.ops.alert;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One incident as the run store keeps it: the problem behind one or more alerts of a kind.
 *
 * @param key what identifies the problem ("run:2024-05-06", "model-reverted:v0002")
 * @param kind an {@link AlertKind} name
 * @param lastSentAt when its alert last reached a channel; null when none took it
 * @param closedAt when it was closed (a date's run recovered, maintenance or a clean model scored); null while open
 * @param occurrences how often it was raised while open
 */
public record Incident(String key, String kind, LocalDate date, String title, Instant openedAt, Instant lastSentAt, Instant closedAt, int occurrences) {
  public boolean open() {
    return closedAt == null;
  }
}
