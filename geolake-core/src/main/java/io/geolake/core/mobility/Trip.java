package io.geolake.core.mobility;

/**
 * Movement between two consecutive stay points: from the ping that left the first stay to the
 * first ping of the next (both included).
 *
 * @param maxSpeedMetresPerSecond NaN when no two pings of the trip differ in time
 */
public record Trip(StayPoint from, StayPoint to, int pings, double distanceMetres, double maxSpeedMetresPerSecond) {
  public double startedAt() {
    return from.finishedAt();
  }

  public double finishedAt() {
    return to.startedAt();
  }
}
