package io.geolake.core.mobility;

/**
 * A place where a device stayed.
 *
 * @param startedAt time of the first ping of the stay (epoch seconds)
 * @param finishedAt time of the ping that left the stay (epoch seconds)
 * @param latitude centroid of the stay's unique ping coordinates
 * @param pings pings that went into the centroid
 */
public record StayPoint(double startedAt, double finishedAt, double latitude, double longitude, int pings) {
  public double durationSeconds() {
    return finishedAt - startedAt;
  }
}
