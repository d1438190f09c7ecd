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
    write(compute(from, to), from, to);
  }

  /** Rewrites the partials of days [from, to] with {@code partials} (the table's columns). */
  void write(Dataset<Row> partials, LocalDate from, LocalDate to) {
    catalog.overwrite(
        Tables.DEVICE_DAY_PARTIALS,
        partials,
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
    return of(DeviceDays.compute(catalog, config, from, to));
  }

  /** The table's columns from {@link DeviceDays} rows. */
  static Dataset<Row> of(Dataset<Row> deviceDays) {
    return deviceDays.select(Tables.DEVICE_DAY_PARTIALS.columns().stream().map(Column::name).map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new));
  }
}
