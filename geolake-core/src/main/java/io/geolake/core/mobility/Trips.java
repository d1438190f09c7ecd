package io.geolake.core.mobility;

import java.util.ArrayList;
import java.util.List;

/**
 * Trips between consecutive stay points of one track.
 *
 * <p>A trip's distance is measured from the centroid of the stay it leaves, along its pings, to the
 * next stay's first ping. Its first ping (the stay's leaving ping) is already at least the stay
 * distance away: on a sparse track it is often the next stay's first ping too, and a distance
 * summed over the trip's pings alone was 0 for a move across the city (most of the demo's trips).
 */
public final class Trips {
  private Trips() {}

  /**
   * @param track the pings the stays were detected on, in time order
   * @param stays those stays in time order (the first may come from before the track: only its
   *     leaving time, which must be the track's first ping, is needed)
   */
  public static List<Trip> between(List<TrackPoint> track, List<StayPoint> stays) {
    List<Trip> trips = new ArrayList<>();
    int i = 0;
    for (int s = 0; s + 1 < stays.size(); s++) {
      StayPoint from = stays.get(s);
      StayPoint to = stays.get(s + 1);
      while (i < track.size() && track.get(i).epochSecond() < from.finishedAt()) {
        i++;
      }
      double distance = 0;
      double maxSpeed = Double.NaN;
      int pings = 0;
      TrackPoint previous = null;
      for (int j = i; j < track.size() && track.get(j).epochSecond() <= to.startedAt(); j++) {
        TrackPoint p = track.get(j);
        if (previous == null) {
          distance = Haversine.metres(from.latitude(), from.longitude(), p.latitude(), p.longitude());
        } else if (!p.equals(previous)) {
          double d = Haversine.metres(previous.latitude(), previous.longitude(), p.latitude(), p.longitude());
          distance += d;
          double seconds = p.epochSecond() - previous.epochSecond();
          if (seconds > 0) {
            maxSpeed = Double.isNaN(maxSpeed) ? d / seconds : Math.max(maxSpeed, d / seconds);
          }
        }
        if (previous == null || !p.equals(previous)) {
          pings++;
        }
        previous = p;
      }
      trips.add(new Trip(from, to, pings, distance, maxSpeed));
    }
    return trips;
  }
}
