package io.geolake.core.mobility;

import java.util.List;

/** Radius of gyration, in metres. */
public final class RadiusOfGyration {
  private RadiusOfGyration() {}

  /**
   * scikit-mobility's definition: the centre is the arithmetic mean of the pings' latitudes and
   * longitudes; the radius is the square root of the mean squared haversine distance to it.
   */
  public static double ofPings(List<TrackPoint> pings) {
    if (pings.isEmpty()) {
      return Double.NaN;
    }
    double lat = 0;
    double lon = 0;
    for (TrackPoint p : pings) {
      lat += p.latitude();
      lon += p.longitude();
    }
    lat /= pings.size();
    lon /= pings.size();
    double sum = 0;
    for (TrackPoint p : pings) {
      double d = Haversine.metres(p.latitude(), p.longitude(), lat, lon);
      sum += d * d;
    }
    return Math.sqrt(sum / pings.size());
  }

  /**
   * trackintel's duration-weighted variant ({@code radius_gyration(sp, method="duration")}): the
   * centre is the duration-weighted mean position of the stay points, the radius the square root
   * of the duration-weighted mean squared haversine distance to it.
   */
  public static double ofStayPointsByDuration(List<StayPoint> stays) {
    double weight = 0;
    double lat = 0;
    double lon = 0;
    for (StayPoint s : stays) {
      double w = s.durationSeconds();
      weight += w;
      lat += w * s.latitude();
      lon += w * s.longitude();
    }
    if (weight <= 0) {
      return Double.NaN;
    }
    lat /= weight;
    lon /= weight;
    double sum = 0;
    for (StayPoint s : stays) {
      double d = Haversine.metres(s.latitude(), s.longitude(), lat, lon);
      sum += s.durationSeconds() * d * d;
    }
    return Math.sqrt(sum / weight);
  }
}
