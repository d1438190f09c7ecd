package io.geolake.pipeline.staging;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.rules.QuarantineReason;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.PingField;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

/**
 * Raw to staging for one delivery date. Every raw row of the date gets exactly one outcome: a
 * quarantine rule, {@code exact_duplicate}, {@code key_duplicate}, or accepted. Accepted rows are
 * compared with staging by key (inside the rows' event-date range only): changed ones are MERGEd,
 * so only files holding those keys in those partitions are rewritten, and new ones are appended.
 *
 * <p>Within a delivery the newest row of a key wins: the last file by name, then the last row in
 * it. Across deliveries the later delivery date wins; an earlier date re-run never overwrites it.
 */
public final class StageStep {
  static final String ACCEPTED = "accepted";
  static final String EXACT_DUPLICATE = "exact_duplicate";
  static final String KEY_DUPLICATE = "key_duplicate";

  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  public StageStep(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.config = config;
  }

  public StageResult execute(LocalDate date, IngestResult ingest) {
    SparkSession spark = catalog.spark();
    spark.sparkContext().setJobDescription("geolake stage " + date + ": classify");
    Dataset<Row> classified = classify(date).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> compared = null;
    try {
      Outcomes outcomes = Outcomes.of(classified.groupBy("_outcome", "_event_date", "_source_file").count().collectAsList());
      writeQuarantine(classified, date);
      RejectGuard.check(config.guard(), ingest, outcomes, date);

      long inserted = 0, updated = 0, unchanged = 0, superseded = 0, lateMerged = 0;
      List<LocalDate> acceptedDates = outcomes.datesOf(ACCEPTED);
      if (!acceptedDates.isEmpty()) {
        LocalDate from = acceptedDates.get(0);
        LocalDate to = acceptedDates.get(acceptedDates.size() - 1);
        spark.sparkContext().setJobDescription("geolake stage " + date + ": compare with staging " + from + ".." + to);
        compared =
            compareWithStaging(classified.where(col("_outcome").equalTo(ACCEPTED)), from, to)
                .persist(StorageLevel.MEMORY_AND_DISK());
        for (Row r : compared.groupBy("_merge", "_event_date").count().collectAsList()) {
          long n = r.getLong(2);
          boolean late = r.getDate(1).toLocalDate().isBefore(date);
          switch (r.getString(0)) {
            case "insert" -> inserted += n;
            case "update" -> updated += n;
            case "unchanged" -> unchanged += n;
            default -> superseded += n;
          }
          if (late && (r.getString(0).equals("insert") || r.getString(0).equals("update"))) {
            lateMerged += n;
          }
        }
        // Updates go through MERGE (only files holding those keys are rewritten); inserts are
        // known to be absent from staging, so they are appended without another join.
        if (updated > 0) {
          spark.sparkContext().setJobDescription("geolake stage " + date + ": merge updates into staging.pings");
          merge(compared.where(col("_merge").equalTo("update")), from, to);
        }
        if (inserted > 0) {
          spark.sparkContext().setJobDescription("geolake stage " + date + ": append inserts to staging.pings");
          append(compared.where(col("_merge").equalTo("insert")));
        }
      }
      LocalDate windowStart = date.minusDays(config.staging().lookbackDays());
      LocalDate first = acceptedDates.isEmpty() || acceptedDates.get(0).isAfter(windowStart) ? windowStart : acceptedDates.get(0);
      LocalDate last = acceptedDates.isEmpty() || acceptedDates.get(acceptedDates.size() - 1).isBefore(date) ? date : acceptedDates.get(acceptedDates.size() - 1);
      return new StageResult(
          date,
          outcomes.quarantinedByReason(),
          outcomes.total(EXACT_DUPLICATE),
          outcomes.total(KEY_DUPLICATE),
          inserted,
          updated,
          unchanged,
          superseded,
          lateMerged,
          stagingRowsByEventDate(first, last),
          snapshotId(Tables.STAGING_PINGS),
          snapshotId(Tables.STAGING_QUARANTINE));
    } finally {
      classified.unpersist();
      if (compared != null) {
        compared.unpersist();
      }
    }
  }

  /** One row per raw row of the date, with typed columns and its {@code _outcome}. */
  Dataset<Row> classify(LocalDate date) {
    Validation validation = new Validation(config.rules(), date);
    List<String> select = new ArrayList<>();
    for (PingField f : PingField.values()) {
      select.add("`" + f.column() + "`");
    }
    for (Column c : Tables.LINEAGE) {
      select.add(c.name());
    }
    select.addAll(validation.typedColumns());
    Dataset<Row> raw =
        catalog.spark().table(catalog.qualified(Tables.RAW_PINGS))
            .where(col("_ingest_date").equalTo(lit(Date.valueOf(date))));
    // Keys always include device_id (config validation), so one shuffle by device serves both
    // the per-key window and the per-device track window below.
    Dataset<Row> checked =
        raw.selectExpr(select.toArray(String[]::new))
            .repartition(col("t_device_id"))
            .withColumn("_rule", expr(validation.reasonExpression()))
            .withColumn("_valid", expr("_rule IS NULL"));

    org.apache.spark.sql.Column values = struct(typedValueColumns());
    List<org.apache.spark.sql.Column> keyPartition = new ArrayList<>();
    keyPartition.add(col("_valid"));
    config.staging().key().forEach(k -> keyPartition.add(col("t_" + k)));
    WindowSpec byKey =
        Window.partitionBy(keyPartition.toArray(org.apache.spark.sql.Column[]::new))
            .orderBy(col("_source_file").desc(), col("_row_number").desc());
    // Window columns of one spec are added in one select, so Spark computes them in one pass.
    Dataset<Row> ranked =
        checked
            .select(col("*"), row_number().over(byKey).as("_rank"), first(values).over(byKey).as("_winner"), values.as("_values"))
            .withColumn("_candidate", expr("_valid AND _rank = 1"));

    WindowSpec track =
        Window.partitionBy(col("_candidate"), col("t_device_id"))
            .orderBy(col("t_event_ts"), col("_source_file"), col("_row_number"));
    Dataset<Row> tracked =
        ranked.select(
            col("*"),
            lag("t_latitude", 1).over(track).as("_prev_lat"),
            lag("t_longitude", 1).over(track).as("_prev_lon"),
            lag("t_event_ts", 1).over(track).as("_prev_ts"),
            lead("t_latitude", 1).over(track).as("_next_lat"),
            lead("t_longitude", 1).over(track).as("_next_lon"),
            lead("t_event_ts", 1).over(track).as("_next_ts"));

    GeolakeConfig.SpeedJump speed = config.rules().speedJump();
    String speedFromPrevious =
        speedExpression("_prev_lat", "_prev_lon", "t_latitude", "t_longitude", "_prev_ts", "t_event_ts");
    String speedToNext =
        speedExpression("t_latitude", "t_longitude", "_next_lat", "_next_lon", "t_event_ts", "_next_ts");
    String jump =
        speed.enabled()
            ? "_candidate AND " + speedFromPrevious + " > " + speed.maxMetresPerSecond() + " AND " + speedToNext + " > " + speed.maxMetresPerSecond()
            : "false";
    LocalDate oldestInWindow = date.minusDays(config.staging().lookbackDays());
    String tooLate =
        config.staging().tooLatePolicy() == GeolakeConfig.TooLatePolicy.QUARANTINE
            ? "_candidate AND to_date(t_event_ts) < DATE '" + oldestInWindow + "'"
            : "false";
    String outcome =
        "coalesce(_rule,"
            + " CASE WHEN _valid AND _rank > 1 THEN (CASE WHEN _values <=> _winner THEN '" + EXACT_DUPLICATE + "' ELSE '" + KEY_DUPLICATE + "' END) END,"
            + " CASE WHEN " + jump + " THEN '" + QuarantineReason.SPEED_JUMP.code() + "' END,"
            + " CASE WHEN " + tooLate + " THEN '" + QuarantineReason.TOO_LATE.code() + "' END,"
            + " '" + ACCEPTED + "')";
    return tracked
        .withColumn("_outcome", expr(outcome))
        .withColumn("_event_date", expr("to_date(t_event_ts)"))
        .drop("_rule", "_valid", "_rank", "_winner", "_candidate", "_prev_lat", "_prev_lon", "_prev_ts", "_next_lat", "_next_lon", "_next_ts");
  }

  /** Metres per second between two pings, null when they share a timestamp. */
  private static String speedExpression(String lat1, String lon1, String lat2, String lon2, String ts1, String ts2) {
    String seconds = "((unix_micros(" + ts2 + ") - unix_micros(" + ts1 + ")) / 1e6)";
    return "(" + Validation.haversineMetres(lat1, lon1, lat2, lon2) + " / nullif(" + seconds + ", 0))";
  }

  private static org.apache.spark.sql.Column[] typedValueColumns() {
    return Arrays.stream(PingField.values())
        .map(f -> col("t_" + f.column()).as(f.column()))
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  private void writeQuarantine(Dataset<Row> classified, LocalDate date) {
    catalog.spark().sparkContext().setJobDescription("geolake stage " + date + ": write staging.quarantine");
    List<String> reasons = Arrays.stream(QuarantineReason.values()).map(QuarantineReason::code).toList();
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    for (Column c : Tables.STAGING_QUARANTINE.columns()) {
      select.add(c.name().equals("reason") ? col("_outcome").as("reason") : col(c.name()));
    }
    catalog.overwrite(
        Tables.STAGING_QUARANTINE,
        classified
            .where(col("_outcome").isin(reasons.toArray()))
            .select(select.toArray(org.apache.spark.sql.Column[]::new)),
        col("_ingest_date").equalTo(lit(Date.valueOf(date))));
  }

  /**
   * Accepted rows joined with staging's rows of the same event-date range on the key; {@code
   * _merge} says whether each is an insert, an update, unchanged, or superseded by a newer
   * delivery already in staging.
   */
  private Dataset<Row> compareWithStaging(Dataset<Row> accepted, LocalDate from, LocalDate to) {
    List<org.apache.spark.sql.Column> targetColumns = new ArrayList<>();
    for (String k : config.staging().key()) {
      targetColumns.add(col(k).as("_k_" + k));
    }
    targetColumns.add(struct(Arrays.stream(PingField.values()).map(f -> col(f.column())).toArray(org.apache.spark.sql.Column[]::new)).as("_t_values"));
    targetColumns.add(col("_ingest_date").as("_t_ingest"));
    Dataset<Row> target =
        catalog.spark().table(catalog.qualified(Tables.STAGING_PINGS))
            .where(rangeCondition("event_ts", from, to))
            .select(targetColumns.toArray(org.apache.spark.sql.Column[]::new));
    org.apache.spark.sql.Column on = null;
    for (String k : config.staging().key()) {
      org.apache.spark.sql.Column eq = col("t_" + k).eqNullSafe(col("_k_" + k));
      on = on == null ? eq : on.and(eq);
    }
    return accepted
        .join(target, on, "left")
        .withColumn(
            "_merge",
            expr(
                "CASE WHEN _t_ingest IS NULL THEN 'insert'"
                    + " WHEN _values <=> _t_values THEN 'unchanged'"
                    + " WHEN _ingest_date >= _t_ingest THEN 'update'"
                    + " ELSE 'superseded' END"));
  }

  /** Accepted rows in staging's column order and names. */
  private static Dataset<Row> asStaging(Dataset<Row> rows) {
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    for (Column c : Tables.STAGING_PINGS.columns()) {
      select.add(PingField.byColumn(c.name()).isPresent() ? col("t_" + c.name()).as(c.name()) : col(c.name()));
    }
    return rows.select(select.toArray(org.apache.spark.sql.Column[]::new));
  }

  private void append(Dataset<Row> inserts) {
    try {
      asStaging(inserts).writeTo(catalog.qualified(Tables.STAGING_PINGS)).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot append to " + catalog.qualified(Tables.STAGING_PINGS), e);
    }
  }

  private void merge(Dataset<Row> changes, LocalDate from, LocalDate to) {
    String view = "geolake_stage_changes_" + UUID.randomUUID().toString().replace("-", "");
    asStaging(changes).createOrReplaceTempView(view);
    try {
      String on =
          config.staging().key().stream()
              .map(k -> "t.`" + k + "` <=> s.`" + k + "`")
              .collect(Collectors.joining(" AND "));
      catalog.spark().sql(
          "MERGE INTO " + catalog.qualified(Tables.STAGING_PINGS) + " t USING " + view + " s"
              + " ON " + on + " AND " + rangeSql("t.event_ts", from, to)
              + " WHEN MATCHED THEN UPDATE SET *"
              + " WHEN NOT MATCHED THEN INSERT *");
    } finally {
      catalog.spark().catalog().dropTempView(view);
    }
  }

  private static org.apache.spark.sql.Column rangeCondition(String column, LocalDate from, LocalDate to) {
    return expr(rangeSql(column, from, to));
  }

  /** [from 00:00, to+1 00:00) UTC: the predicate Iceberg prunes day partitions with. */
  private static String rangeSql(String column, LocalDate from, LocalDate to) {
    return column + " >= TIMESTAMP '" + from + " 00:00:00' AND " + column + " < TIMESTAMP '" + to.plusDays(1) + " 00:00:00'";
  }

  private SortedMap<LocalDate, Long> stagingRowsByEventDate(LocalDate from, LocalDate to) {
    SortedMap<LocalDate, Long> counts = new TreeMap<>();
    catalog.spark().table(catalog.qualified(Tables.STAGING_PINGS))
        .where(rangeCondition("event_ts", from, to))
        .groupBy(expr("to_date(event_ts)").as("d"))
        .count()
        .collectAsList()
        .forEach(r -> counts.put(r.getDate(0).toLocalDate(), r.getLong(1)));
    return counts;
  }

  private Long snapshotId(io.geolake.core.schema.TableDefinition table) {
    Snapshot snapshot = catalog.table(table).currentSnapshot();
    return snapshot == null ? null : snapshot.snapshotId();
  }

  /** Counts of the classification by outcome, event date and file. */
  record Outcomes(List<Row> rows) {
    static Outcomes of(List<Row> rows) {
      return new Outcomes(List.copyOf(rows));
    }

    long total(String outcome) {
      return rows.stream().filter(r -> outcome.equals(r.getString(0))).mapToLong(r -> r.getLong(3)).sum();
    }

    List<LocalDate> datesOf(String outcome) {
      return rows.stream()
          .filter(r -> outcome.equals(r.getString(0)) && !r.isNullAt(1))
          .map(r -> r.getDate(1).toLocalDate())
          .distinct()
          .sorted()
          .toList();
    }

    Map<String, Long> quarantinedByReason() {
      Map<String, Long> byReason = new TreeMap<>();
      for (QuarantineReason reason : QuarantineReason.values()) {
        long n = total(reason.code());
        if (n > 0) {
          byReason.put(reason.code(), n);
        }
      }
      return byReason;
    }

    /** Quarantined rows per file, largest first. */
    List<Map.Entry<String, Long>> quarantinedByFile() {
      Map<String, Long> byFile = new TreeMap<>();
      for (Row r : rows) {
        if (Arrays.stream(QuarantineReason.values()).anyMatch(q -> q.code().equals(r.getString(0)))) {
          byFile.merge(r.getString(2), r.getLong(3), Long::sum);
        }
      }
      return byFile.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).toList();
    }
  }
}
