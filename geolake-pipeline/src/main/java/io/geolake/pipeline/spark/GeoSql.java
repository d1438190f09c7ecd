package io.geolake.pipeline.spark;

/** Geodesy as Spark SQL expressions, so it runs in generated code rather than in a UDF. */
public final class GeoSql {
  private GeoSql() {}

  /**
   * Haversine distance in metres (R = 6,371,000 m) between positions given as SQL expressions;
   * null when any input is null. (Spark's least() skips nulls, so it cannot clamp here.)
   */
  public static String haversineMetres(String lat1, String lon1, String lat2, String lon2) {
    String a =
        "sqrt(pow(sin(radians(" + lat2 + " - " + lat1 + ") / 2), 2) + cos(radians(" + lat1 + ")) * cos(radians("
            + lat2 + ")) * pow(sin(radians(" + lon2 + " - " + lon1 + ") / 2), 2))";
    return "(2 * 6371000.0 * asin(IF(" + a + " > 1.0, 1.0, " + a + ")))";
  }
}
