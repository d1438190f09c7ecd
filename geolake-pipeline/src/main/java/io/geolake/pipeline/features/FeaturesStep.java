package io.geolake.pipeline.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.StageResult;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import io.geolake.pipeline.places.Geofences;
import io.geolake.pipeline.places.Visits;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Staging to consumption after a merge: stay points and daily features, recomputed only where the
 * merge changed something.
 *
 * <p>Stay points (and the trips between them) run over each device's continuous track, across
 * day boundaries. For a device with
 * new or changed pings, detection restarts at the closing ping of its last stay that ended before
 * the earliest change: the sliding window always restarts there, so the result is exactly what a
 * detection over the whole history gives ({@link DetectionStarts} also covers devices without one). Daily features, cell presence, day partials and profiles are
 * recomputed for every event day of the merge window and no other; the window starts at the
 * earliest changed day when {@code staging.too-late-policy: merge} took rows older than it.
 */
public final class FeaturesStep {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  private final Geofences places;

  /** Reads the places of interest at once, so a bad places file fails before any step runs. */
  public FeaturesStep(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.config = config;
    GeolakeConfig.Places configured = config.features().places();
    this.places = configured.configured() ? Geofences.read(catalog.spark(), configured.geofences()) : null;
  }

  public FeaturesResult execute(LocalDate date, StageResult stage) {
    SparkSession spark = catalog.spark();
    Pseudonyms.register(spark, config.features().pseudonymKey());
    H3Cells.register(spark);
    // The merge window's days, reaching further back when staging.too-late-policy merged older rows.
    LocalDate from = date.minusDays(config.staging().lookbackDays());
    if (stage.earliestChange() != null && stage.earliestChange().isBefore(from)) {
      from = stage.earliestChange();
    }
    LocalDate to = date.plusDays(1);
    if (stage.inserted() + stage.updated() == 0) {
      return new FeaturesResult(0, 0, 0, from, to, 0, 0, 0, null); // nothing changed: every consumption row stands
    }
    spark.sparkContext().setJobDescription("geolake features " + date + ": stay points");
    Stays stays = recomputeStayPoints(date);
    DayPartials partials = new DayPartials(catalog, config);
    spark.sparkContext().setJobDescription("geolake features " + date + ": day partials before " + from);
    partials.bootstrap(from.minusDays(config.features().rollingDays() - 1), from); // before writing any: it checks for none
    spark.sparkContext().setJobDescription("geolake features " + date + ": daily features and day partials " + from + ".." + to);
    long featureRows = recomputeDailyFeaturesAndPartials(partials, from, to, date);
    spark.sparkContext().setJobDescription("geolake features " + date + ": cell presence " + from + ".." + to);
    long presenceRows = recomputePresence(from, to);
    spark.sparkContext().setJobDescription("geolake features " + date + ": profiles " + from + ".." + date);
    long profileRows = new DeviceProfiles(catalog, config).recompute(from, date);
    return new FeaturesResult(stays.devices(), stays.written(), stays.visits(), from, to, featureRows, presenceRows, profileRows, stays.readFrom());
  }

  private record Stays(long devices, long written, long visits, java.time.Instant readFrom) {}

  private Stays recomputeStayPoints(LocalDate date) {
    SparkSession spark = catalog.spark();
    String staging = catalog.qualified(Tables.STAGING_PINGS);
    String stayPoints = catalog.qualified(Tables.STAY_POINTS);
    GeolakeConfig.StayPoints settings = config.features().stayPoints();
    try (DetectionStarts starts = DetectionStarts.of(spark, staging, stayPoints, date, settings.gapDuration())) {
      String view = starts.view();
      long devices = starts.devices();
      // Staging is read from the earliest ping any device's detection needs.
      String since = starts.readFrom() == null ? "" : " WHERE event_ts >= TIMESTAMP '" + starts.readFrom() + "'";
      String replacedFrom = starts.replacedFrom() == null ? null : "TIMESTAMP '" + starts.replacedFrom() + "'";
      // Tracks are shuffled by the clear id, the join key, and named by their pseudonym after
      // detection: one per device, not one per ping.
      Dataset<Row> tracks =
          spark.sql(
              "SELECT p.device_id, p.event_ts, p.latitude, p.longitude, r.prev_started, r.prev_finished, r.prev_lat, r.prev_lon,"
                  + " r.prev_pings FROM (SELECT * FROM " + staging + since + ") p"
                  + " JOIN " + view + " r ON p.device_id = r.device_id"
                  + " WHERE r.track_from IS NULL OR p.event_ts >= r.track_from");
      Dataset<Row> detected =
          tracks
              .repartition(col("device_id"))
              .sortWithinPartitions("device_id", "event_ts", "latitude", "longitude")
              .mapPartitions(new StayPointRows(settings.distanceMetres(), settings.time(), settings.gapDuration()), Encoders.row(StayPointRows.SCHEMA))
              .join(spark.table(view).select(col("device_id"), col("device")), "device_id")
              .drop("device_id");
      // Stays, trips and visits from the restart point on are replaced by the new detection. The
      // bound on when they ended implies nothing new; it lets Iceberg skip older files (a trip
      // starts when a stay ends), so the delete reads recent files only, not the whole history.
      record Replaced(String table, String start, String end) {}
      for (Replaced t :
          List.of(
              new Replaced(stayPoints, "started_at", "finished_at"),
              new Replaced(catalog.qualified(Tables.TRIPS), "started_at", "started_at"),
              new Replaced(catalog.qualified(Tables.VISITS), "arrived_at", "departed_at"))) {
        spark.sql(
            "MERGE INTO " + t.table() + " t USING " + view + " r ON t.device = r.device"
                + (replacedFrom == null ? "" : " AND t." + t.end() + " >= " + replacedFrom)
                + " AND (r.restart IS NULL OR t." + t.start() + " >= r.restart) WHEN MATCHED THEN DELETE");
      }
      Dataset<Row> rows = detected.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long written = 0;
        for (var table : List.of(Tables.STAY_POINTS, Tables.TRIPS)) {
          String kind = table == Tables.STAY_POINTS ? "stay" : "trip";
          Dataset<Row> ofKind = rows.where(col("kind").equalTo(kind)).select(columnsOf(table));
          long n = ofKind.count();
          if (n > 0) {
            ofKind.writeTo(catalog.qualified(table)).append();
          }
          written = table == Tables.STAY_POINTS ? n : written;
        }
        long visits = 0;
        if (places != null) {
          spark.sparkContext().setJobDescription("geolake features " + date + ": visits");
          Dataset<Row> found =
              Visits.of(spark, rows.where(col("kind").equalTo("stay")), places).select(columnsOf(Tables.VISITS))
                  .persist(StorageLevel.MEMORY_AND_DISK()); // counted, then written: one spatial join
          try {
            visits = found.count();
            if (visits > 0) {
              found.writeTo(catalog.qualified(Tables.VISITS)).append();
            }
          } finally {
            found.unpersist();
          }
        }
        return new Stays(devices, written, visits, starts.readFromInstant());
      } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
        throw new IllegalStateException("Cannot append to a consumption table", e);
      } finally {
        rows.unpersist();
      }
    }
  }

  /** The unified stay/trip rows (or visit rows) renamed to a table's columns. */
  private static org.apache.spark.sql.Column[] columnsOf(io.geolake.core.schema.TableDefinition table) {
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    for (Column c : table.columns()) {
      String source =
          switch (c.name()) {
            case "from_latitude" -> "latitude";
            case "from_longitude" -> "longitude";
            default -> c.name();
          };
      select.add(col(source).as(c.name()));
    }
    return select.toArray(org.apache.spark.sql.Column[]::new);
  }

  /** Distinct devices per cell and hour for the window's days, cell-hours under k left out. */
  private long recomputePresence(LocalDate from, LocalDate to) {
    GeolakeConfig.Presence presence = config.features().presence();
    // Pings per device, cell and hour first, then devices per cell and hour: the first grouping
    // runs partly before the shuffle, which count(DISTINCT ..) would not; the cell is shuffled as
    // a number and spelled in hex only for the cell-hours kept (5M rows: 2.6-3.3 s -> 1.8-2.4 s).
    Dataset<Row> rows =
        catalog.spark().sql(
            "SELECT hour_start, lower(hex(cell)) AS h3_cell, count(*) AS devices, sum(device_pings) AS pings FROM ("
                + "  SELECT date_trunc('HOUR', event_ts) AS hour_start, geolake_h3(latitude, longitude, " + presence.h3Resolution() + ") AS cell,"
                + "    device_id, count(*) AS device_pings"
                + "  FROM " + catalog.qualified(Tables.STAGING_PINGS)
                + "  WHERE event_ts >= TIMESTAMP '" + from + " 00:00:00' AND event_ts < TIMESTAMP '" + to.plusDays(1) + " 00:00:00'"
                + "  GROUP BY 1, 2, 3)"
                + " GROUP BY hour_start, cell HAVING count(*) >= " + presence.k())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = rows.count();
      catalog.overwrite(
          Tables.CELL_HOURLY_PRESENCE,
          rows,
          expr("hour_start >= TIMESTAMP '" + from + " 00:00:00' AND hour_start < TIMESTAMP '" + to.plusDays(1) + " 00:00:00'"));
      return count;
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Daily features of [from, to] and day partials of [from, partialsTo] from one computation of
   * the device days; returns the feature rows written.
   */
  private long recomputeDailyFeaturesAndPartials(DayPartials partials, LocalDate from, LocalDate to, LocalDate partialsTo) {
    Dataset<Row> days = DeviceDays.compute(catalog, config, from, to).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = days.count(); // one feature row per device day: stays join at most one row each
      Dataset<Row> stays =
          catalog.spark().sql(
              "SELECT to_date(started_at) AS stay_date, device AS stay_device, count(*) AS stay_points FROM " + catalog.qualified(Tables.STAY_POINTS)
                  + " WHERE started_at >= TIMESTAMP '" + from + " 00:00:00' AND started_at < TIMESTAMP '" + to.plusDays(1) + " 00:00:00'"
                  + " GROUP BY 1, 2");
      List<org.apache.spark.sql.Column> select = new ArrayList<>();
      for (Column c : Tables.DEVICE_DAILY_FEATURES.columns()) {
        select.add(
            switch (c.name()) {
              case "stay_points" -> expr("coalesce(stay_points, 0L)").as(c.name());
              case "distinct_h3_cells" -> expr("CAST(size(h3_cells) AS BIGINT)").as(c.name());
              default -> col(c.name());
            });
      }
      catalog.overwrite(
          Tables.DEVICE_DAILY_FEATURES,
          days.join(stays, col("feature_date").equalTo(col("stay_date")).and(col("device").equalTo(col("stay_device"))), "left")
              .select(select.toArray(org.apache.spark.sql.Column[]::new)),
          col("feature_date").geq(lit(Date.valueOf(from))).and(col("feature_date").leq(lit(Date.valueOf(to)))));
      partials.write(DayPartials.of(days.where(col("feature_date").leq(lit(Date.valueOf(partialsTo))))), from, partialsTo);
      return count;
    } finally {
      days.unpersist();
    }
  }
}
