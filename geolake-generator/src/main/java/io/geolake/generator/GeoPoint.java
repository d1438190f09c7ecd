package io.geolake.generator;

/** A WGS84 position in degrees. */
record GeoPoint(double latitude, double longitude) {
  private static final double METRES_PER_DEGREE = 111_320.0;

  /** The point moved by the given metres north and east (small offsets). */
  GeoPoint offsetMetres(double north, double east) {
    double lat = latitude + north / METRES_PER_DEGREE;
    double lon = longitude + east / (METRES_PER_DEGREE * Math.cos(Math.toRadians(latitude)));
    return new GeoPoint(lat, lon);
  }

  /** Straight-line interpolation; fine at city scale. */
  GeoPoint towards(GeoPoint other, double fraction) {
    return new GeoPoint(
        latitude + (other.latitude - latitude) * fraction,
        longitude + (other.longitude - longitude) * fraction);
  }

  /** Haversine distance in metres (R = 6,371 km). */
  double metresTo(GeoPoint other) {
    double dLat = Math.toRadians(other.latitude - latitude);
    double dLon = Math.toRadians(other.longitude - longitude);
    double a =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(latitude))
                * Math.cos(Math.toRadians(other.latitude))
                * Math.sin(dLon / 2)
                * Math.sin(dLon / 2);
    return 2 * 6_371_000.0 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
