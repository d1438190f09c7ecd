package io.geolake.pipeline.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.GeoSql;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * consumption.device_profiles: per device and feature date t, features over the rolling window of
 * days [t - rolling-days + 1, t] — radius of gyration (pings, and duration-weighted stays), distinct
 * cells, stays, visits, home and work.
 *
 * <p>A profile uses only what is known by the end of t: pings of the window's days, and stays and
 * visits that ended by then (a stay is only known once its leaving ping arrives). Model X is trained
 * on these rows, so this is what keeps its training set free of look-ahead.
 *
 * <p>The ping features come from {@link DayPartials} (one row per device and day) rather than
 * from the pings, so a run reads the pings of the days it recomputes only. Each day row, stay and
 * visit is expanded to the feature dates whose window holds it — at most the recomputed range,
 * lookback-days + 1 dates.
 */
public final class DeviceProfiles {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  public DeviceProfiles(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.config = config;
  }

  /**
   * Rewrites the profiles of feature dates [from, to]; returns the rows written. The day partials
   * of [from, to] must be up to date ({@link DayPartials#recompute}).
   */
  public long recompute(LocalDate from, LocalDate to) {
    Dataset<Row> rows = compute(from, to).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = rows.count();
      catalog.overwrite(
          Tables.DEVICE_PROFILES,
          rows,
          col("feature_date").geq(lit(Date.valueOf(from))).and(col("feature_date").leq(lit(Date.valueOf(to)))));
      return count;
    } finally {
      rows.unpersist();
    }
  }

  /** The profiles of feature dates [from, to], with the table's columns, computed from the lake as it is. */
  public Dataset<Row> compute(LocalDate from, LocalDate to) {
    Pseudonyms.register(catalog.spark(), config.features().pseudonymKey());
    H3Cells.register(catalog.spark());
    GeolakeConfig.Features features = config.features();
    GeolakeConfig.HomeWork homeWork = features.homeWork();
    int span = features.rollingDays() - 1;
    LocalDate windowStart = from.minusDays(span);
    String since = "TIMESTAMP '" + windowStart + " 00:00:00'";
    String until = "TIMESTAMP '" + to.plusDays(1) + " 00:00:00'";
    String zone = "'" + features.timeZone().getId() + "'";
    // The feature dates whose window holds a row known from `known` and dated `day`.
    String featureDates =
        "explode(sequence(greatest(%s, DATE '" + from + "'), least(date_add(%s, " + span + "), DATE '" + to + "'))) AS feature_date";
    String night =
        homeWork.nightFrom() > homeWork.nightTo()
            ? "(hour(hour_start) >= " + homeWork.nightFrom() + " OR hour(hour_start) < " + homeWork.nightTo() + ")"
            : "(hour(hour_start) >= " + homeWork.nightFrom() + " AND hour(hour_start) < " + homeWork.nightTo() + ")";
    String work =
        "(dayofweek(hour_start) BETWEEN 2 AND 6 AND hour(hour_start) >= " + homeWork.workFrom()
            + " AND hour(hour_start) < " + homeWork.workTo() + ")";
    String partials = catalog.qualified(Tables.DEVICE_DAY_PARTIALS);
    String radiusSquared = String.valueOf(DayPartials.EARTH_RADIUS_M * DayPartials.EARTH_RADIUS_M);
    String stays = catalog.qualified(Tables.STAY_POINTS);
    String visits = catalog.qualified(Tables.VISITS);
    String sql =
        "WITH d AS (SELECT * FROM " + partials + " WHERE feature_date >= DATE '" + windowStart + "' AND feature_date <= DATE '" + to + "'),"
            + " dw AS (SELECT device, feature_date AS day, pings, mean_x, mean_y, mean_z, spread_m, h3_cells,"
            + "  " + featureDates.formatted("feature_date", "feature_date") + " FROM d),"
            // The window's mean vector, then its squared spread from each day's: Chan et al.'s parallel variance.
            + " dc AS (SELECT *, sum(pings * mean_x) OVER w / sum(pings) OVER w AS cx, sum(pings * mean_y) OVER w / sum(pings) OVER w AS cy,"
            + "  sum(pings * mean_z) OVER w / sum(pings) OVER w AS cz FROM dw WINDOW w AS (PARTITION BY device, feature_date)),"
            + " pf AS (SELECT feature_date, device, count(*) AS active_days, sum(pings) AS pings,"
            + "  sqrt(sum(pings * (pow(spread_m, 2) + " + radiusSquared + " * (pow(mean_x - cx, 2) + pow(mean_y - cy, 2) + pow(mean_z - cz, 2)))) / sum(pings))"
            + "  AS radius_of_gyration_m, CAST(size(array_distinct(flatten(collect_list(h3_cells)))) AS BIGINT) AS distinct_h3_cells"
            + "  FROM dc GROUP BY feature_date, device),"
            // Stays that ended in the window, weighted by their full duration as trackintel does.
            + " s AS (SELECT device, latitude, longitude, duration_s, to_date(finished_at) AS day FROM " + stays
            + "  WHERE finished_at >= " + since + " AND finished_at < " + until + "),"
            + " sw AS (SELECT *, " + featureDates.formatted("day", "day") + " FROM s),"
            + " sc AS (SELECT *, sum(duration_s * latitude) OVER d / sum(duration_s) OVER d AS centre_lat,"
            + "  sum(duration_s * longitude) OVER d / sum(duration_s) OVER d AS centre_lon FROM sw"
            + "  WINDOW d AS (PARTITION BY device, feature_date)),"
            + " sf AS (SELECT feature_date, device, count(*) AS stay_points,"
            + "  IF(sum(duration_s) > 0, sqrt(sum(duration_s * pow(" + GeoSql.haversineMetres("centre_lat", "centre_lon", "latitude", "longitude")
            + ", 2)) / sum(duration_s)), NULL) AS stay_radius_of_gyration_m FROM sc GROUP BY feature_date, device),"
            + " v AS (SELECT device, dwell_s, to_date(departed_at) AS day FROM " + visits
            + "  WHERE departed_at >= " + since + " AND departed_at < " + until + "),"
            + " vf AS (SELECT feature_date, device, count(*) AS visits, sum(dwell_s) AS visit_dwell_s,"
            + "  min(datediff(feature_date, day)) AS days_since_last_visit"
            + "  FROM (SELECT *, " + featureDates.formatted("day", "day") + " FROM v) GROUP BY feature_date, device),"
            // Home and work: stay time per local hour; an hour counts for the windows holding its day,
            // from the day the stay ended (when it became known).
            + " h AS (SELECT device, latitude, longitude, to_date(finished_at) AS known,"
            + "  lower(hex(geolake_h3(latitude, longitude, " + homeWork.h3Resolution() + "))) AS cell,"
            + "  from_utc_timestamp(started_at, " + zone + ") AS local_start, from_utc_timestamp(finished_at, " + zone + ") AS local_end"
            + "  FROM " + stays + " WHERE finished_at >= " + since + " AND finished_at < " + until + "),"
            + " hh AS (SELECT *, explode(sequence(date_trunc('HOUR', local_start), date_trunc('HOUR', local_end), INTERVAL 1 HOUR)) AS hour_start FROM h),"
            + " hk AS (SELECT device, cell, latitude, longitude, known, to_date(to_utc_timestamp(hour_start, " + zone + ")) AS day,"
            + "  CASE WHEN " + night + " THEN 'home' WHEN " + work + " THEN 'work' END AS kind,"
            + "  unix_seconds(least(local_end, hour_start + INTERVAL 1 HOUR)) - unix_seconds(greatest(local_start, hour_start)) AS seconds"
            + "  FROM hh),"
            + " hd AS (SELECT device, kind, cell, known, day, sum(seconds) AS seconds, sum(seconds * latitude) AS lat_seconds,"
            + "  sum(seconds * longitude) AS lon_seconds FROM hk"
            + "  WHERE kind IS NOT NULL AND seconds > 0 AND day >= DATE '" + windowStart + "'"
            + "  AND greatest(known, DATE '" + from + "') <= least(date_add(day, " + span + "), DATE '" + to + "')"
            + "  GROUP BY device, kind, cell, known, day),"
            + " hw AS (SELECT feature_date, device, kind, cell, sum(seconds) AS seconds, sum(lat_seconds) / sum(seconds) AS lat,"
            + "  sum(lon_seconds) / sum(seconds) AS lon FROM (SELECT *, " + featureDates.formatted("known", "day") + " FROM hd)"
            + "  GROUP BY feature_date, device, kind, cell),"
            + " hr AS (SELECT *, row_number() OVER (PARTITION BY feature_date, device, kind ORDER BY seconds DESC, cell) AS rank,"
            + "  seconds / sum(seconds) OVER (PARTITION BY feature_date, device, kind) AS share FROM hw),"
            + " home AS (SELECT feature_date, device, cell AS home_h3_cell, lat AS home_latitude, lon AS home_longitude,"
            + "  share AS home_share FROM hr WHERE kind = 'home' AND rank = 1),"
            + " work AS (SELECT feature_date, device, cell AS work_h3_cell, lat AS work_latitude, lon AS work_longitude,"
            + "  share AS work_share FROM hr WHERE kind = 'work' AND rank = 1)"
            + " SELECT pf.feature_date, pf.device, CAST(" + features.rollingDays() + " AS BIGINT) AS window_days, pf.active_days, pf.pings,"
            + "  pf.radius_of_gyration_m, sf.stay_radius_of_gyration_m, pf.distinct_h3_cells, coalesce(sf.stay_points, 0) AS stay_points,"
            + "  coalesce(vf.visits, 0) AS visits, coalesce(vf.visit_dwell_s, 0.0) AS visit_dwell_s,"
            + "  CAST(vf.days_since_last_visit AS BIGINT) AS days_since_last_visit,"
            + "  home.home_h3_cell, home.home_latitude, home.home_longitude, home.home_share,"
            + "  work.work_h3_cell, work.work_latitude, work.work_longitude, work.work_share,"
            + "  " + GeoSql.haversineMetres("home.home_latitude", "home.home_longitude", "work.work_latitude", "work.work_longitude")
            + "  AS home_work_distance_m"
            + " FROM pf"
            + " LEFT JOIN sf ON sf.feature_date = pf.feature_date AND sf.device = pf.device"
            + " LEFT JOIN vf ON vf.feature_date = pf.feature_date AND vf.device = pf.device"
            + " LEFT JOIN home ON home.feature_date = pf.feature_date AND home.device = pf.device"
            + " LEFT JOIN work ON work.feature_date = pf.feature_date AND work.device = pf.device";
    Dataset<Row> profiles = catalog.spark().sql(sql);
    return profiles.select(Tables.DEVICE_PROFILES.columns().stream().map(Column::name).map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new));
  }
}
