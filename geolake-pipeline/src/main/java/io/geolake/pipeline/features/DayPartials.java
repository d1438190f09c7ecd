package io.geolake.pipeline.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * consumption.device_day_partials: per device and day, the pieces a window's ping features add up
 * from — pings, the mean earth-centred unit vector, the spread around it, the distinct cells.
 *
 * <p>Why unit vectors: the sum of squared distances to a centroid is additive over days in a
 * Euclidean space (n·spread² of each day plus n·|day mean − window mean|², Chan et al.'s parallel
 * variance), and straight-line distance through the earth differs from the great-circle one by
 * d³/(24R²) — under a millimetre at 100 km. So a window's radius of gyration combines its days
 * exactly up to that, without reading their pings again.
 */
public final class DayPartials {
  /** Earth radius, metres: the one {@link io.geolake.pipeline.spark.GeoSql} uses. */
  static final double EARTH_RADIUS_M = 6371000.0;

  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  public DayPartials(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.config = config;
  }

  /** Rewrites the partials of days [from, to] from staging. */
  public void recompute(LocalDate from, LocalDate to) {
    catalog.overwrite(
        Tables.DEVICE_DAY_PARTIALS,
        compute(from, to),
        col("feature_date").geq(lit(Date.valueOf(from))).and(col("feature_date").leq(lit(Date.valueOf(to)))));
  }

  /**
   * Fills in the partials of [from, before) when the table is empty but staging has pings before
   * {@code before}: a lake made before this table existed, whose profile windows would otherwise
   * miss their older days. Two one-row probes otherwise.
   */
  public void bootstrap(LocalDate from, LocalDate before) {
    if (!catalog.spark().table(catalog.qualified(Tables.DEVICE_DAY_PARTIALS)).limit(1).isEmpty()) {
      return;
    }
    boolean older =
        !catalog.spark()
            .sql("SELECT 1 FROM " + catalog.qualified(Tables.STAGING_PINGS) + " WHERE event_ts < TIMESTAMP '" + before + " 00:00:00' LIMIT 1")
            .isEmpty();
    if (older) {
      recompute(from, before.minusDays(1));
    }
  }

  /** The partials of days [from, to] as the table's columns, computed from staging as it is. */
  public Dataset<Row> compute(LocalDate from, LocalDate to) {
    Pseudonyms.register(catalog.spark(), config.features().pseudonymKey());
    H3Cells.register(catalog.spark());
    String sql =
        "WITH p AS ("
            + "  SELECT device_id, to_date(event_ts) AS feature_date,"
            + "    cos(radians(latitude)) * cos(radians(longitude)) AS x, cos(radians(latitude)) * sin(radians(longitude)) AS y,"
            + "    sin(radians(latitude)) AS z, geolake_h3(latitude, longitude, " + config.features().h3Resolution() + ") AS cell"
            + "  FROM " + catalog.qualified(Tables.STAGING_PINGS)
            + "  WHERE event_ts >= TIMESTAMP '" + from + " 00:00:00' AND event_ts < TIMESTAMP '" + to.plusDays(1) + " 00:00:00'),"
            + " m AS (SELECT *, avg(x) OVER d AS mean_x, avg(y) OVER d AS mean_y, avg(z) OVER d AS mean_z FROM p"
            + "  WINDOW d AS (PARTITION BY device_id, feature_date))"
            + " SELECT feature_date, geolake_pseudonym(device_id) AS device, count(*) AS pings,"
            + "  first(mean_x) AS mean_x, first(mean_y) AS mean_y, first(mean_z) AS mean_z,"
            + "  " + EARTH_RADIUS_M + " * sqrt(avg(pow(x - mean_x, 2) + pow(y - mean_y, 2) + pow(z - mean_z, 2))) AS spread_m,"
            + "  array_sort(collect_set(cell)) AS h3_cells"
            + " FROM m GROUP BY feature_date, device_id";
    return catalog.spark().sql(sql)
        .select(Tables.DEVICE_DAY_PARTIALS.columns().stream().map(Column::name).map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new));
  }
}
