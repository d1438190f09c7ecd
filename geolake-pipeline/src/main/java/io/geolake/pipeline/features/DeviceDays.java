package io.geolake.pipeline.features;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.GeoSql;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One row per device (clear id) and event day of staging in a date range: every per-day measure
 * that consumption.device_daily_features and consumption.device_day_partials are made of.
 *
 * <p>Both tables have that grain, so they share one read of the pings and one shuffle and sort by
 * device and day (the windows and the grouping all use that partitioning); the device pseudonym is
 * computed per row here, after the grouping, not per ping.
 */
final class DeviceDays {
  private DeviceDays() {}

  /**
   * Columns: device_id, device (its pseudonym), feature_date, pings, active_hours, distance_m, max_speed_mps,
   * radius_of_gyration_m, first_seen, last_seen, h3_cells (distinct, sorted), mean_x, mean_y,
   * mean_z, spread_m.
   */
  static Dataset<Row> compute(LakehouseCatalog catalog, GeolakeConfig config, LocalDate from, LocalDate to) {
    H3Cells.register(catalog.spark());
    Pseudonyms.register(catalog.spark(), config.features().pseudonymKey());
    String step = GeoSql.haversineMetres("prev_lat", "prev_lon", "latitude", "longitude");
    String toCentre = GeoSql.haversineMetres("centre_lat", "centre_lon", "latitude", "longitude");
    String sql =
        // Windows and grouping name the same feature_date column, so one shuffle serves all three.
        "WITH t AS ("
            + "  SELECT device_id, to_date(event_ts) AS feature_date, event_ts, latitude, longitude,"
            + "    cos(radians(latitude)) * cos(radians(longitude)) AS x, cos(radians(latitude)) * sin(radians(longitude)) AS y,"
            + "    sin(radians(latitude)) AS z"
            + "  FROM " + catalog.qualified(Tables.STAGING_PINGS)
            + "  WHERE event_ts >= TIMESTAMP '" + from + " 00:00:00' AND event_ts < TIMESTAMP '" + to.plusDays(1) + " 00:00:00'),"
            + " p AS ("
            + "  SELECT *, lag(latitude) OVER w AS prev_lat, lag(longitude) OVER w AS prev_lon, lag(event_ts) OVER w AS prev_ts,"
            + "    avg(latitude) OVER d AS centre_lat, avg(longitude) OVER d AS centre_lon,"
            + "    avg(x) OVER d AS mean_x, avg(y) OVER d AS mean_y, avg(z) OVER d AS mean_z"
            + "  FROM t"
            + "  WINDOW w AS (PARTITION BY device_id, feature_date ORDER BY event_ts),"
            + "         d AS (PARTITION BY device_id, feature_date))"
            + " SELECT device_id, geolake_pseudonym(device_id) AS device, feature_date, count(*) AS pings,"
            // size(collect_set(..)) rather than count(DISTINCT ..): no expand-and-reshuffle of the pings.
            + "  size(collect_set(hour(event_ts))) AS active_hours,"
            + "  coalesce(sum(" + step + "), 0) AS distance_m,"
            + "  max(" + step + " / nullif(unix_micros(event_ts) - unix_micros(prev_ts), 0) * 1e6) AS max_speed_mps,"
            + "  sqrt(avg(pow(" + toCentre + ", 2))) AS radius_of_gyration_m,"
            + "  min(event_ts) AS first_seen, max(event_ts) AS last_seen,"
            + "  array_sort(collect_set(geolake_h3(latitude, longitude, " + config.features().h3Resolution() + "))) AS h3_cells,"
            + "  first(mean_x) AS mean_x, first(mean_y) AS mean_y, first(mean_z) AS mean_z,"
            + "  " + DayPartials.EARTH_RADIUS_M + " * sqrt(avg(pow(x - mean_x, 2) + pow(y - mean_y, 2) + pow(z - mean_z, 2))) AS spread_m"
            + " FROM p GROUP BY device_id, feature_date";
    return catalog.spark().sql(sql);
  }
}
