package io.geolake.core.schema;

import static io.geolake.core.schema.Column.optional;
import static io.geolake.core.schema.Column.required;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The tables geolake writes, defined once here and created from these definitions. */
public final class Tables {
  /** Lineage columns carried from raw into staging and quarantine. */
  public static final List<Column> LINEAGE =
      List.of(
          required("_source", ColumnType.STRING, "Configured source name the row came from."),
          required("_source_file", ColumnType.STRING, "URI of the delivered file."),
          required(
              "_row_number",
              ColumnType.LONG,
              "Line number in the file (1 = first line, the CSV header) or 1-based Parquet row."),
          required("_ingest_date", ColumnType.DATE, "Delivery date D (the dt= folder)."),
          required(
              "_load_id",
              ColumnType.STRING,
              "Id of the load: the date plus a fingerprint of the delivered files' names and sizes."));

  /** How the consumption layer names a device: a keyed hash, never the advertising id. */
  private static final Column PSEUDONYMOUS_DEVICE =
      required("device", ColumnType.STRING, "Pseudonymized device id (HMAC-SHA-256 of device_id).");

  public static final TableDefinition RAW_PINGS =
      new TableDefinition(
          Layer.RAW,
          "pings",
          "Every parseable delivered row, fields as delivered text; one load per delivery date.",
          concat(deliveredFields(), List.of(optional("_extra", ColumnType.STRING_MAP,
              "Delivered columns that are not mapped to a canonical field.").asPersonal()), LINEAGE),
          List.of("_ingest_date"),
          // Staging reads one date's load; small splits spread it over all cores. Splits end at row
          // groups, and each file part's rows are written by one ingest task into one data file,
          // so row groups are kept small too (5M rows in 3 files: 12 read tasks, not 3).
          // No Parquet dictionaries: delivered text is mostly unique per row group (coordinates,
          // times, ids), so building them was a quarter of ingest's CPU, for 9% smaller files.
          rawPingsProperties());

  public static final TableDefinition RAW_REJECTS =
      new TableDefinition(
          Layer.RAW,
          "rejects",
          "Unreadable files and unparseable rows, with the reason.",
          concat(
              LINEAGE,
              List.of(
                  required("reason", ColumnType.STRING, "Reject reason code (see RejectReason)."),
                  optional("detail", ColumnType.STRING, "What exactly was wrong."),
                  optional("line", ColumnType.STRING, "The offending line, cut at 4,096 chars.").asPersonal())),
          List.of("_ingest_date"),
          Map.of("write.distribution-mode", "none"));

  public static final TableDefinition STAGING_PINGS =
      new TableDefinition(
          Layer.STAGING,
          "pings",
          "Typed, validated, deduplicated pings; late rows merged by key, newest delivery wins.",
          concat(stagedFields(), LINEAGE),
          List.of("days(event_ts)"),
          // Hash distribution clusters rows by day; a smaller advisory size lets adaptive execution
          // split the delivery's own day over several writers instead of one.
          Map.of(
              "write.distribution-mode", "hash",
              "write.spark.advisory-partition-size-bytes", String.valueOf(32L << 20)));

  public static final TableDefinition STAGING_QUARANTINE =
      new TableDefinition(
          Layer.STAGING,
          "quarantine",
          "Rows that failed a staging rule, with the original delivered fields and the rule.",
          concat(
              deliveredFields(),
              LINEAGE,
              List.of(required("reason", ColumnType.STRING, "Rule code (see QuarantineReason)."))),
          List.of("_ingest_date"),
          Map.of("write.distribution-mode", "none"));

  public static final TableDefinition STAY_POINTS =
      new TableDefinition(
          Layer.CONSUMPTION,
          "stay_points",
          "Places each device stayed at, trackintel's sliding method over its continuous track.",
          List.of(
              PSEUDONYMOUS_DEVICE,
              required("started_at", ColumnType.TIMESTAMP, "Time of the stay's first ping, UTC."),
              required("finished_at", ColumnType.TIMESTAMP, "Time of the ping that left the stay, UTC."),
              required("latitude", ColumnType.DOUBLE, "Centroid of the stay's unique ping positions, degrees."),
              required("longitude", ColumnType.DOUBLE, "Centroid of the stay's unique ping positions, degrees."),
              required("pings", ColumnType.LONG, "Pings in the stay (before the leaving ping)."),
              required("duration_s", ColumnType.DOUBLE, "finished_at - started_at, seconds.")),
          List.of("days(started_at)"),
          Map.of("write.distribution-mode", "hash"));

  public static final TableDefinition DEVICE_DAILY_FEATURES =
      new TableDefinition(
          Layer.CONSUMPTION,
          "device_daily_features",
          "Mobility features per device and event day (UTC).",
          List.of(
              required("feature_date", ColumnType.DATE, "Event day, UTC."),
              PSEUDONYMOUS_DEVICE,
              required("pings", ColumnType.LONG, "Pings that day."),
              required("active_hours", ColumnType.LONG, "Distinct UTC hours with at least one ping (0-24)."),
              required("distance_m", ColumnType.DOUBLE, "Sum of haversine distances between consecutive pings, metres."),
              optional("max_speed_mps", ColumnType.DOUBLE, "Highest speed between consecutive pings, m/s; null with one ping."),
              required("radius_of_gyration_m", ColumnType.DOUBLE, "scikit-mobility's radius of gyration of the day's pings, metres."),
              required("distinct_h3_cells", ColumnType.LONG, "Distinct H3 cells visited (features.h3-resolution)."),
              required("stay_points", ColumnType.LONG, "Stay points starting that day."),
              required("first_seen", ColumnType.TIMESTAMP, "First ping of the day, UTC."),
              required("last_seen", ColumnType.TIMESTAMP, "Last ping of the day, UTC.")),
          List.of("feature_date"),
          Map.of("write.distribution-mode", "hash"));

  public static final TableDefinition CELL_HOURLY_PRESENCE =
      new TableDefinition(
          Layer.CONSUMPTION,
          "cell_hourly_presence",
          "Privacy-safe presence: distinct devices per H3 cell and hour; cell-hours under k devices are left out.",
          List.of(
              required("hour_start", ColumnType.TIMESTAMP, "Start of the UTC hour."),
              required("h3_cell", ColumnType.STRING, "H3 cell id, hex (features.presence.h3-resolution)."),
              required("devices", ColumnType.LONG, "Distinct devices seen in the cell that hour (>= features.presence.k)."),
              required("pings", ColumnType.LONG, "Pings in the cell that hour.")),
          List.of("days(hour_start)"),
          Map.of("write.distribution-mode", "hash"));

  public static final TableDefinition TRIPS =
      new TableDefinition(
          Layer.CONSUMPTION,
          "trips",
          "Movement between consecutive stay points of a device.",
          List.of(
              PSEUDONYMOUS_DEVICE,
              required("started_at", ColumnType.TIMESTAMP, "The leaving ping of the stay the trip starts from, UTC."),
              required("finished_at", ColumnType.TIMESTAMP, "Start of the next stay, UTC."),
              required("from_latitude", ColumnType.DOUBLE, "Centroid of the stay left, degrees."),
              required("from_longitude", ColumnType.DOUBLE, "Centroid of the stay left, degrees."),
              required("to_latitude", ColumnType.DOUBLE, "Centroid of the next stay, degrees."),
              required("to_longitude", ColumnType.DOUBLE, "Centroid of the next stay, degrees."),
              required("pings", ColumnType.LONG, "Pings from the leaving ping to the next stay's first ping."),
              required("distance_m", ColumnType.DOUBLE, "Haversine distance from the stay left's centroid along those pings, metres."),
              optional("max_speed_mps", ColumnType.DOUBLE, "Highest speed between consecutive pings of the trip, m/s.")),
          List.of("days(started_at)"),
          Map.of("write.distribution-mode", "hash"));

  public static final TableDefinition VISITS =
      new TableDefinition(
          Layer.CONSUMPTION,
          "visits",
          "Stay points inside a place of interest (features.places.geofences).",
          List.of(
              PSEUDONYMOUS_DEVICE,
              required("place_id", ColumnType.STRING, "Id of the place (GeoJSON feature id or properties.id)."),
              required("place_name", ColumnType.STRING, "properties.name of the place, or its id."),
              required("arrived_at", ColumnType.TIMESTAMP, "Start of the stay, UTC."),
              required("departed_at", ColumnType.TIMESTAMP, "End of the stay (its leaving ping), UTC."),
              required("dwell_s", ColumnType.DOUBLE, "departed_at - arrived_at, seconds."),
              required("latitude", ColumnType.DOUBLE, "Centroid of the stay, degrees."),
              required("longitude", ColumnType.DOUBLE, "Centroid of the stay, degrees.")),
          List.of("days(arrived_at)"),
          Map.of("write.distribution-mode", "hash"));

  /**
   * What a profile's window needs of each day's pings, in pieces that add up over days: a window's
   * radius of gyration and distinct cells come from these rows instead of from every ping of the
   * window again, so a run's cost follows the days it recomputes rather than the window's length.
   */
  public static final TableDefinition DEVICE_DAY_PARTIALS =
      new TableDefinition(
          Layer.CONSUMPTION,
          "device_day_partials",
          "Per device and event day (UTC), the additive pieces the profiles combine over their window."
              + " Recomputed with the daily features.",
          List.of(
              required("feature_date", ColumnType.DATE, "Event day, UTC."),
              PSEUDONYMOUS_DEVICE,
              required("pings", ColumnType.LONG, "Pings that day."),
              required("mean_x", ColumnType.DOUBLE, "Mean of the pings' earth-centred unit vectors, x (towards 0N 0E)."),
              required("mean_y", ColumnType.DOUBLE, "Mean of the pings' earth-centred unit vectors, y (towards 0N 90E)."),
              required("mean_z", ColumnType.DOUBLE, "Mean of the pings' earth-centred unit vectors, z (towards the north pole)."),
              required("spread_m", ColumnType.DOUBLE, "Root mean squared straight-line distance of the pings to their mean position, metres."),
              required("h3_cells", ColumnType.LONG_ARRAY, "Distinct H3 cells of the day's pings (features.h3-resolution), sorted.")),
          List.of("feature_date"),
          Map.of("write.distribution-mode", "hash"));

  public static final TableDefinition DEVICE_PROFILES =
      new TableDefinition(
          Layer.CONSUMPTION,
          "device_profiles",
          "Features per device over the rolling window (features.rolling-days) ending on each feature date;"
              + " only data known by the end of that date is used. The input of model X.",
          List.of(
              required("feature_date", ColumnType.DATE, "Last day of the window, UTC."),
              PSEUDONYMOUS_DEVICE,
              required("window_days", ColumnType.LONG, "Length of the window, days (features.rolling-days)."),
              required("active_days", ColumnType.LONG, "Days of the window with at least one ping."),
              required("pings", ColumnType.LONG, "Pings in the window."),
              required("radius_of_gyration_m", ColumnType.DOUBLE, "Radius of gyration of the window's pings, metres, combined from device_day_partials (scikit-mobility's within 0.01% at city scale)."),
              optional("stay_radius_of_gyration_m", ColumnType.DOUBLE, "trackintel's duration-weighted radius of gyration of the stays that ended in the window, metres; null without stays."),
              required("distinct_h3_cells", ColumnType.LONG, "Distinct H3 cells of the window's pings (features.h3-resolution)."),
              required("stay_points", ColumnType.LONG, "Stays that ended in the window."),
              required("visits", ColumnType.LONG, "Visits to places of interest that ended in the window."),
              required("visit_dwell_s", ColumnType.DOUBLE, "Total dwell of those visits, seconds."),
              optional("days_since_last_visit", ColumnType.LONG, "Days from the last visit's departure to the feature date; null without one in the window."),
              optional("home_h3_cell", ColumnType.STRING, "H3 cell (features.home-work.h3-resolution) where stays cover most night time; null without night stays."),
              optional("home_latitude", ColumnType.DOUBLE, "Time-weighted centroid of the night stays in the home cell, degrees."),
              optional("home_longitude", ColumnType.DOUBLE, "Time-weighted centroid of the night stays in the home cell, degrees."),
              optional("home_share", ColumnType.DOUBLE, "Share of stay time in night hours spent in the home cell (0-1)."),
              optional("work_h3_cell", ColumnType.STRING, "H3 cell where stays cover most weekday working time; null without such stays."),
              optional("work_latitude", ColumnType.DOUBLE, "Time-weighted centroid of the working-hour stays in the work cell, degrees."),
              optional("work_longitude", ColumnType.DOUBLE, "Time-weighted centroid of the working-hour stays in the work cell, degrees."),
              optional("work_share", ColumnType.DOUBLE, "Share of stay time in weekday working hours spent in the work cell (0-1)."),
              optional("home_work_distance_m", ColumnType.DOUBLE, "Haversine distance between home and work centroids, metres.")),
          List.of("feature_date"),
          Map.of("write.distribution-mode", "hash"));

  public static final TableDefinition MODEL_SCORES =
      new TableDefinition(
          Layer.CONSUMPTION,
          "model_scores",
          "Daily output of model X: the probability that a device visits a place of interest within model.horizon-days days.",
          List.of(
              required("feature_date", ColumnType.DATE, "Date of the profile scored; the horizon starts the day after."),
              PSEUDONYMOUS_DEVICE,
              required("score", ColumnType.DOUBLE, "Predicted probability of a visit within the horizon (0-1)."),
              required("predicted_label", ColumnType.LONG, "1 when score >= model.threshold, else 0."),
              required("model_version", ColumnType.STRING, "Registry version of the model that scored."),
              required("scored_at", ColumnType.TIMESTAMP, "When the score was computed, UTC.")),
          List.of("feature_date"),
          Map.of("write.distribution-mode", "hash"));

  public static final TableDefinition QUALITY_RESULTS =
      new TableDefinition(
          Layer.OPS,
          "quality_results",
          "One row per data-quality rule (quality.rules) and run, and per drift check of model X (check_type psi): the metric, its bounds and whether it passed.",
          List.of(
              required("logical_date", ColumnType.DATE, "The run's date."),
              required("run_id", ColumnType.STRING, "The run (geolake runs)."),
              required("rule", ColumnType.STRING, "Rule name."),
              required("table_name", ColumnType.STRING, "Table checked."),
              required("check_type", ColumnType.STRING, "completeness, range, unique, freshness, row-count, quarantine-share or sql."),
              required("severity", ColumnType.STRING, "warn or error."),
              optional("metric", ColumnType.DOUBLE, "The measured value; null when there was nothing to measure."),
              optional("lower_bound", ColumnType.DOUBLE, "Smallest passing value; null for none."),
              optional("upper_bound", ColumnType.DOUBLE, "Largest passing value; null for none."),
              required("passed", ColumnType.BOOLEAN, "Whether the metric kept its bounds."),
              required("detail", ColumnType.STRING, "What was measured, in words."),
              required("checked_at", ColumnType.TIMESTAMP, "When the rule was checked, UTC.")),
          List.of("logical_date"),
          Map.of("write.distribution-mode", "none"));

  public static final List<TableDefinition> ALL =
      List.of(
          RAW_PINGS,
          RAW_REJECTS,
          STAGING_PINGS,
          STAGING_QUARANTINE,
          STAY_POINTS,
          TRIPS,
          DEVICE_DAILY_FEATURES,
          CELL_HOURLY_PRESENCE,
          VISITS,
          DEVICE_DAY_PARTIALS,
          DEVICE_PROFILES,
          MODEL_SCORES,
          QUALITY_RESULTS);

  private Tables() {}

  /**
   * Besides the above, no min/max statistics for the delivered text: raw rows are in delivery
   * order, so a file's range of any of them spans nearly all values and prunes nothing, while
   * comparing every value with the running min and max cost ~5% of ingest (5M rows: 9.3-9.9 s ->
   * 8.7-9.1 s). Lineage columns keep theirs.
   */
  private static Map<String, String> rawPingsProperties() {
    Map<String, String> properties = new java.util.LinkedHashMap<>();
    properties.put("write.distribution-mode", "none");
    properties.put("read.split.target-size", String.valueOf(8L << 20));
    properties.put("write.parquet.row-group-size-bytes", String.valueOf(8L << 20));
    properties.put("parquet.enable.dictionary", "false");
    for (PingField f : PingField.values()) {
      properties.put("write.parquet.stats-enabled.column." + f.column(), "false");
    }
    // Whole values, not 16-character prefixes: the stage reads a date's files from these bounds.
    for (String lineage : List.of("_source", "_source_file", "_load_id")) {
      properties.put("write.metadata.metrics.column." + lineage, "full");
    }
    return Map.copyOf(properties);
  }

  private static List<Column> deliveredFields() {
    return java.util.Arrays.stream(PingField.values())
        .map(f -> new Column(f.column(), ColumnType.STRING, true, f.doc() + " As delivered.", f.personal()))
        .toList();
  }

  private static List<Column> stagedFields() {
    return java.util.Arrays.stream(PingField.values())
        .map(f -> new Column(f.column(), f.stagedType(), !f.required(), f.doc(), f.personal()))
        .toList();
  }

  @SafeVarargs
  private static List<Column> concat(List<Column>... parts) {
    List<Column> all = new ArrayList<>();
    for (List<Column> part : parts) {
      all.addAll(part);
    }
    return List.copyOf(all);
  }
}
