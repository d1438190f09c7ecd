package io.geolake.pipeline.places;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Visits: stay points inside a place of interest, found with Sedona spatial joins (the places are
 * broadcast and indexed). A circle place contains a stay whose centroid lies within its radius on
 * the WGS84 spheroid; a polygon place one whose centroid it intersects (edges count as inside).
 */
public final class Visits {
  private static final String[] COLUMNS = {
    "s.device",
    "p.place_id",
    "p.place_name",
    "s.started_at AS arrived_at",
    "s.finished_at AS departed_at",
    "CAST(unix_micros(s.finished_at) - unix_micros(s.started_at) AS DOUBLE) / 1e6 AS dwell_s",
    "s.latitude",
    "s.longitude"
  };

  private Visits() {}

  /**
   * @param stays rows with device, started_at, finished_at, latitude, longitude
   * @return rows with the columns of consumption.visits
   */
  public static Dataset<Row> of(SparkSession spark, Dataset<Row> stays, Geofences places) {
    Dataset<Row> s =
        stays.selectExpr("device", "started_at", "finished_at", "latitude", "longitude", "ST_Point(longitude, latitude) AS position").as("s");
    Dataset<Row> shapes =
        places.toDataset(spark).selectExpr("place_id", "place_name", "radius_m", "ST_GeomFromGeoJSON(geometry) AS shape");
    Dataset<Row> circles = broadcast(shapes.where("radius_m IS NOT NULL")).as("p");
    Dataset<Row> areas = broadcast(shapes.where("radius_m IS NULL")).as("p");
    return s.join(circles, expr("ST_DWithin(p.shape, s.position, p.radius_m, true)"))
        .selectExpr(COLUMNS)
        .unionAll(s.join(areas, expr("ST_Intersects(p.shape, s.position)")).selectExpr(COLUMNS));
  }
}
