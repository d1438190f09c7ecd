package io.geolake.pipeline.features;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Where stay detection restarts for each device a delivery changed, registered as a temporary
 * view with one row per device: {@code device_id, device, changed_from} (its earliest delivered
 * ping), {@code restart} and {@code prev_*} (its last stay that ended before that, whose closing
 * ping the sliding window restarts at), and {@code track_from}, the first ping detection must
 * read.
 *
 * <p>A device without such a stay (a new one, or one that never stayed) would need its whole track.
 * But the detector discards its open window at a silence longer than {@code stay-points.gap}, and
 * no stay ended before the change, so none formed before that silence: detection may start at the
 * last such silence before the change. It is looked for in the pings from {@code gap} + 1 day
 * before the earliest such change on; a device whose track runs on without one since then (or any
 * device when gap is unlimited) is read from its first ping, and staging as a whole.
 */
final class DetectionStarts implements AutoCloseable {
  private final SparkSession spark;
  private final String view;
  private final Row bounds;

  private DetectionStarts(SparkSession spark, String view, Row bounds) {
    this.spark = spark;
    this.view = view;
    this.bounds = bounds;
  }

  static DetectionStarts of(SparkSession spark, String staging, String stayPoints, LocalDate date, Duration gap) {
    String restarts = temporaryName("restarts");
    // The last stay before the change is picked with max_by in the same aggregate, so
    // stay_points is read once.
    Dataset<Row> changed =
        spark.sql(
            "SELECT device_id, device, k.finished_at AS restart, k.started_at AS prev_started, k.finished_at AS prev_finished,"
                + " k.latitude AS prev_lat, k.longitude AS prev_lon, k.pings AS prev_pings, changed_from"
                + " FROM (SELECT c.device_id, c.device, c.changed_from,"
                + "   max_by(named_struct('started_at', s.started_at, 'finished_at', s.finished_at, 'latitude', s.latitude,"
                + "     'longitude', s.longitude, 'pings', s.pings), s.finished_at) AS k"
                + "   FROM (SELECT device_id, geolake_pseudonym(device_id) AS device, min(event_ts) AS changed_from"
                + "         FROM " + staging + " WHERE _ingest_date = DATE '" + date + "' GROUP BY device_id) c"
                + "   LEFT JOIN " + stayPoints + " s ON s.device = c.device AND s.finished_at < c.changed_from"
                + "   GROUP BY c.device_id, c.device, c.changed_from)")
            .persist(StorageLevel.MEMORY_AND_DISK());
    changed.createOrReplaceTempView(restarts);
    try {
      // Timestamps as text in the session's zone (UTC), so they read back as literals exactly.
      Row fresh =
          spark.sql("SELECT CAST(min(changed_from) AS STRING), CAST(max(changed_from) AS STRING) FROM " + restarts + " WHERE restart IS NULL").first();
      String segments = "SELECT CAST(NULL AS STRING) AS device_id, CAST(NULL AS TIMESTAMP) AS segment_start WHERE false";
      if (!fresh.isNullAt(0) && gap != null) {
        String lookFrom = LITERAL.format(parse(fresh.getString(0)).minus(gap).minusDays(1));
        long gapMicros = gap.toNanos() / 1000;
        // The last ping, up to the change, that follows a silence longer than gap: a gap inside
        // the pings read, or one before the first of them (nothing read in the gap before it).
        segments =
            "SELECT device_id, max(event_ts) AS segment_start FROM ("
                + "  SELECT p.device_id, p.event_ts, lag(p.event_ts) OVER (PARTITION BY p.device_id ORDER BY p.event_ts) AS previous"
                + "  FROM " + staging + " p JOIN " + restarts + " r ON p.device_id = r.device_id AND r.restart IS NULL"
                + "  WHERE p.event_ts >= TIMESTAMP '" + lookFrom + "' AND p.event_ts <= TIMESTAMP '" + fresh.getString(1) + "'"
                + "    AND p.event_ts <= r.changed_from)"
                + " WHERE unix_micros(event_ts) - unix_micros(coalesce(previous, TIMESTAMP '" + lookFrom + "')) > " + gapMicros
                + " GROUP BY device_id";
      }
      // Checkpointed, not cached: Spark drops cached data that reads a table when the table is
      // written, so the deletes from and appends to stay_points below would have this (and the
      // detection reading it) computed again for every later statement. One row per device.
      Dataset<Row> starts =
          spark.sql(
                  "SELECT r.*, coalesce(r.restart, g.segment_start) AS track_from FROM " + restarts + " r"
                      + " LEFT JOIN (" + segments + ") g ON r.device_id = g.device_id")
              .localCheckpoint();
      String view = temporaryName("detection_starts");
      starts.createOrReplaceTempView(view);
      Row bounds =
          spark.sql(
                  "SELECT count(*), count(track_from), CAST(min(track_from) AS STRING), CAST(min(coalesce(restart, changed_from)) AS STRING) FROM " + view)
              .first();
      return new DetectionStarts(spark, view, bounds);
    } finally {
      spark.catalog().dropTempView(restarts);
      changed.unpersist();
    }
  }

  private static final java.time.format.DateTimeFormatter LITERAL = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /** A timestamp Spark cast to text in the session's zone, UTC. */
  private static LocalDateTime parse(String text) {
    return LocalDateTime.parse(text.replace(' ', 'T'));
  }

  private static String temporaryName(String what) {
    return "geolake_" + what + "_" + UUID.randomUUID().toString().replace("-", "");
  }

  /** The temporary view's name. */
  String view() {
    return view;
  }

  long devices() {
    return bounds.getLong(0);
  }

  /**
   * The earliest ping any device's detection reads, as a timestamp literal in the session's
   * zone, or null when some device needs its whole track.
   */
  String readFrom() {
    return bounds.getLong(0) == bounds.getLong(1) && !bounds.isNullAt(2) ? bounds.getString(2) : null;
  }

  Instant readFromInstant() {
    return readFrom() == null ? null : parse(readFrom()).toInstant(ZoneOffset.UTC);
  }

  /**
   * Every stay, trip and visit the new detection replaces ends at or after this: a device's are
   * those from its restart on, or (no stay before its change) all of them, none of which ended
   * before it. Null when no device changed.
   */
  String replacedFrom() {
    return bounds.isNullAt(3) ? null : bounds.getString(3);
  }

  @Override
  public void close() {
    spark.catalog().dropTempView(view); // the checkpoint's blocks go with it when collected
  }
}
