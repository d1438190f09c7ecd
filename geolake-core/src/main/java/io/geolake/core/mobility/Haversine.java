package io.geolake.core.mobility;

/** Great-circle distance on a sphere of radius 6,371,000 m, the radius trackintel and scikit-mobility use. */
public final class Haversine {
  public static final double EARTH_RADIUS_METRES = 6_371_000.0;

  private Haversine() {}

  public static double metres(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double a =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1.0, Math.sqrt(a)));
  }
}
