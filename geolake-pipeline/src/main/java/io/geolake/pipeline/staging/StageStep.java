package io.geolake.pipeline.staging;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
  /** About staging's 32 MB advisory write size in Spark's row format (~130 bytes a row). */
  static final long ROWS_PER_WRITER = 250_000;

  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  public StageStep(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.config = config;
  }

  public StageResult execute(LocalDate date, IngestResult ingest) {
    SparkSession spark = catalog.spark();
    spark.sparkContext().setJobDescription("geolake stage " + date + ": classify and compare with staging");
    // One pass: classify every raw row and look accepted ones up in staging's comparison range.
    // The classified rows are already spread by device_id (every key holds it); letting the join
    // with staging use that partitioning moves only staging's narrow side instead of both.
    String coPartition = "spark.sql.requireAllClusterKeysForCoPartition";
    String coPartitionBefore = spark.conf().get(coPartition, "true");
    Dataset<Row> staged;
    Outcomes outcomes;
    Dataset<Row> raw =
        spark.table(catalog.qualified(Tables.RAW_PINGS)).where(col("_ingest_date").equalTo(lit(Date.valueOf(date))));
    DeliveredFiles files = DeliveredFiles.of(catalog.table(Tables.RAW_PINGS), catalog.currentSnapshotId(Tables.RAW_PINGS), date, raw);
    spark.conf().set(coPartition, "false");
    try {
      staged = neededLater(compareWithStaging(classify(raw, date, files), raw, ingest.rawRows(), comparisonRange(date))).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        outcomes =
            Outcomes.of(
                staged.groupBy(col("_outcome"), col("_merge"), col("_event_date"), col(DeliveredFiles.FILE)).count()
                    .select(col("_outcome"), col("_merge"), col("_event_date"), files.sourceFile(), col("count"))
                    .collectAsList());
        outcomes.requireKnownFiles(date);
      } catch (RuntimeException e) {
        staged.unpersist();
        throw e;
      }
    } finally {
      spark.conf().set(coPartition, coPartitionBefore);
    }
    try {
      writeQuarantine(staged, date, files);
      RejectGuard.check(config.guard(), ingest, outcomes, date);

      List<LocalDate> acceptedDates = outcomes.datesOf(ACCEPTED);
      long inserted = outcomes.merged("insert");
      long updated = outcomes.merged("update");
      if (!acceptedDates.isEmpty()) {
        LocalDate from = acceptedDates.get(0);
        LocalDate to = acceptedDates.get(acceptedDates.size() - 1);
        // Updates go through MERGE (only files holding those keys are rewritten); inserts are
        // known to be absent from staging, so they are appended without another join.
        // Spark drops every cached plan that reads a table once the table is written, so after
        // the first write to staging `staged` would be classified and compared all over again.
        // The few updates are therefore checkpointed (no table in their lineage) before it.
        Dataset<Row> updates =
            updated > 0 ? staged.where(col("_merge").equalTo("update")).localCheckpoint() : null;
        if (inserted > 0) {
          spark.sparkContext().setJobDescription("geolake stage " + date + ": append inserts to staging.pings");
          append(staged.where(col("_merge").equalTo("insert")), date, outcomes.insertedOn(date), files);
        }
        if (updates != null) {
          spark.sparkContext().setJobDescription("geolake stage " + date + ": merge updates into staging.pings");
          merge(updates, from, to, files);
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
          outcomes.merged("unchanged"),
          outcomes.merged("superseded"),
          outcomes.lateMerged(date),
          outcomes.earliestChange(),
          stagingRowsByEventDate(first, last),
          catalog.currentSnapshotId(Tables.STAGING_PINGS),
          catalog.currentSnapshotId(Tables.STAGING_QUARANTINE));
    } finally {
      staged.unpersist();
    }
  }

  /**
   * Event dates an accepted row can have, known before reading the data: the lookback window up
   * to the future-tolerance limit; with too-late-policy merge, everything since the time floor.
   */
  private LocalDate[] comparisonRange(LocalDate date) {
    GeolakeConfig.Rules rules = config.rules();
    LocalDate to =
        date.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC).plus(rules.eventTime().futureTolerance())
            .atZone(java.time.ZoneOffset.UTC).toLocalDate();
    LocalDate from =
        config.staging().tooLatePolicy() == GeolakeConfig.TooLatePolicy.QUARANTINE
            ? date.minusDays(config.staging().lookbackDays())
            : rules.eventTime().notBefore().atZone(java.time.ZoneOffset.UTC).toLocalDate();
    return new LocalDate[] {from, to};
  }

  /**
   * One row per raw row of the date, with typed columns and its {@code _outcome}; lineage strings
   * replaced by the file's number in {@code files}.
   */
  Dataset<Row> classify(Dataset<Row> raw, LocalDate date, DeliveredFiles files) {
    Validation validation = new Validation(config.rules(), date);
    List<String> select = new ArrayList<>();
    for (PingField f : PingField.values()) {
      select.add("`" + f.column() + "`");
    }
    for (Column c : Tables.LINEAGE) {
      select.add(c.name());
    }
    select.addAll(validation.typedColumns());
    Map<String, org.apache.spark.sql.Column> carriedText = new LinkedHashMap<>();
    for (PingField f : PingField.values()) {
      carriedText.put(f.column(), expr(Validation.carriedText(f)));
    }
    // Keys always include device_id (config validation), so one shuffle by device serves both
    // the per-key window and the per-device track window below. The rules read the delivered
    // text before it is cut down to what the quarantine needs.
    Dataset<Row> checked =
        raw.selectExpr(select.toArray(String[]::new))
            .withColumn("_rule", expr(validation.reasonExpression()))
            .withColumns(carriedText)
            .withColumn(DeliveredFiles.FILE, files.number())
            .drop(DeliveredFiles.LINEAGE_STRINGS.toArray(String[]::new))
            .repartition(col("t_device_id"))
            .withColumn("_valid", expr("_rule IS NULL"));

    // Both windows below and the join with staging share one sort: rows of a key are contiguous
    // in the track order (device, event time, the key's other fields, validity, file, row), which
    // also starts with the join keys, so Spark sorts the shuffled rows once.
    List<String> key = trackOrderedKey();
    org.apache.spark.sql.Column[] keyPartition =
        Stream.concat(key.stream().map(k -> col("t_" + k)), Stream.of(col("_valid")))
            .toArray(org.apache.spark.sql.Column[]::new);
    WindowSpec byKey = Window.partitionBy(keyPartition).orderBy(col(DeliveredFiles.FILE), col("_row_number"));
    // The newest row of a key (last file by name, then last row) wins; the others are duplicates,
    // exact when all their values equal the winner's.
    Dataset<Row> ranked =
        checked
            .select(
                col("*"),
                lead(col("_row_number"), 1).over(byKey).isNull().as("_newest"),
                last(struct(typedValueColumns())).over(byKey.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing())).as("_winner"))
            .withColumn("_candidate", expr("_valid AND _newest"));

    // Neighbours along the device's track of candidates only: duplicates and invalid rows in
    // between are skipped by taking the previous/next non-null candidate value.
    List<org.apache.spark.sql.Column> trackOrder = new ArrayList<>();
    key.stream().filter(k -> !k.equals(PingField.DEVICE_ID.column())).forEach(k -> trackOrder.add(col("t_" + k)));
    if (!key.contains(PingField.EVENT_TS.column())) {
      trackOrder.add(0, col("t_event_ts"));
    }
    trackOrder.addAll(List.of(col("_valid"), col(DeliveredFiles.FILE), col("_row_number")));
    WindowSpec track = Window.partitionBy(col("t_device_id")).orderBy(trackOrder.toArray(org.apache.spark.sql.Column[]::new));
    Dataset<Row> tracked =
        ranked.select(
            col("*"),
            lag(candidateValue("t_latitude"), 1, null, true).over(track).as("_prev_lat"),
            lag(candidateValue("t_longitude"), 1, null, true).over(track).as("_prev_lon"),
            lag(candidateValue("t_event_ts"), 1, null, true).over(track).as("_prev_ts"),
            lead(candidateValue("t_latitude"), 1, null, true).over(track).as("_next_lat"),
            lead(candidateValue("t_longitude"), 1, null, true).over(track).as("_next_lon"),
            lead(candidateValue("t_event_ts"), 1, null, true).over(track).as("_next_ts"));

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
            + " CASE WHEN _valid AND NOT _newest THEN (CASE WHEN " + typedValuesSql() + " <=> _winner THEN '" + EXACT_DUPLICATE + "' ELSE '" + KEY_DUPLICATE + "' END) END,"
            + " CASE WHEN " + jump + " THEN '" + QuarantineReason.SPEED_JUMP.code() + "' END,"
            + " CASE WHEN " + tooLate + " THEN '" + QuarantineReason.TOO_LATE.code() + "' END,"
            + " '" + ACCEPTED + "')";
    return tracked
        .withColumn("_outcome", expr(outcome))
        .withColumn("_event_date", expr("to_date(t_event_ts)"))
        .drop("_rule", "_valid", "_newest", "_winner", "_candidate", "_prev_lat", "_prev_lon", "_prev_ts", "_next_lat", "_next_lon", "_next_ts");
  }

  /** Metres per second between two pings, null when they share a timestamp. */
  private static String speedExpression(String lat1, String lon1, String lat2, String lon2, String ts1, String ts2) {
    String seconds = "((unix_micros(" + ts2 + ") - unix_micros(" + ts1 + ")) / 1e6)";
    return "(" + io.geolake.pipeline.spark.GeoSql.haversineMetres(lat1, lon1, lat2, lon2) + " / nullif(" + seconds + ", 0))";
  }

  /** The key with device_id first and event_ts second when present: the track's sort order. */
  private List<String> trackOrderedKey() {
    List<String> ordered = new ArrayList<>(config.staging().key());
    ordered.sort(Comparator.comparingInt(k -> k.equals(PingField.DEVICE_ID.column()) ? 0 : k.equals(PingField.EVENT_TS.column()) ? 1 : 2));
    return ordered;
  }

  private static org.apache.spark.sql.Column candidateValue(String column) {
    return org.apache.spark.sql.functions.when(col("_candidate"), col(column));
  }

  /** The typed values as one struct in SQL, named like staging's columns. */
  private static String typedValuesSql() {
    return "named_struct(" + Arrays.stream(PingField.values()).map(f -> "'" + f.column() + "', t_" + f.column()).collect(Collectors.joining(", ")) + ")";
  }

  private static org.apache.spark.sql.Column[] typedValueColumns() {
    return Arrays.stream(PingField.values())
        .map(f -> col("t_" + f.column()).as(f.column()))
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  private void writeQuarantine(Dataset<Row> classified, LocalDate date, DeliveredFiles files) {
    catalog.spark().sparkContext().setJobDescription("geolake stage " + date + ": write staging.quarantine");
    List<String> reasons = Arrays.stream(QuarantineReason.values()).map(QuarantineReason::code).toList();
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    for (Column c : Tables.STAGING_QUARANTINE.columns()) {
      select.add(
          c.name().equals("reason") ? col("_outcome").as("reason")
              : DeliveredFiles.replaced(c.name()) ? files.restored(c.name())
              : col(c.name()));
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
  private Dataset<Row> compareWithStaging(Dataset<Row> classified, Dataset<Row> raw, long deliveredRows, LocalDate[] range) {
    List<org.apache.spark.sql.Column> targetColumns = new ArrayList<>();
    for (String k : config.staging().key()) {
      targetColumns.add(col(k).as("_k_" + k));
    }
    targetColumns.add(struct(Arrays.stream(PingField.values()).map(f -> col(f.column())).toArray(org.apache.spark.sql.Column[]::new)).as("_t_values"));
    targetColumns.add(col("_ingest_date").as("_t_ingest"));
    Dataset<Row> staged = catalog.spark().table(catalog.qualified(Tables.STAGING_PINGS)).where(rangeCondition("event_ts", range[0], range[1]));
    // In a steady state the range holds several days of staging for one day's delivery, and only
    // the keys of late and re-delivered rows can match: a Bloom filter of the delivery's keys
    // keeps the others out of the join's shuffle and sort. It pays little while the staged side
    // is narrow next to the delivery: bench/run --case steady, 1M rows/day, ~5M staged rows in
    // the range, classify and compare 0.95x, the stage step 0.97x (bench/results/steady.md).
    if (config.staging().bloomFilter() && stagedRows(range) > 2 * deliveredRows) {
      staged = staged.where(DeliveredKeys.of(catalog.spark(), raw, deliveredRows, config.staging().key()).mightHold());
    }
    Dataset<Row> target = staged.select(targetColumns.toArray(org.apache.spark.sql.Column[]::new));
    // Required fields are never null in accepted rows or in staging: plain equality keeps the
    // join on the key columns themselves, so the classified side's partitioning by device_id and
    // its sort can serve it (null-safe equality joins on coalesce(...) expressions and reshuffles
    // and re-sorts both sides).
    org.apache.spark.sql.Column on = null;
    for (String k : trackOrderedKey()) {
      boolean required = PingField.byColumn(k).map(PingField::required).orElse(false);
      org.apache.spark.sql.Column eq = required ? col("t_" + k).equalTo(col("_k_" + k)) : col("t_" + k).eqNullSafe(col("_k_" + k));
      on = on == null ? eq : on.and(eq);
    }
    List<String> drop = new ArrayList<>(List.of("_t_values", "_t_ingest"));
    config.staging().key().forEach(k -> drop.add("_k_" + k));
    return classified
        .join(target, on.and(col("_outcome").equalTo(ACCEPTED)), "left")
        .withColumn(
            "_merge",
            expr(
                "CASE WHEN _outcome <> '" + ACCEPTED + "' THEN NULL"
                    + " WHEN _t_ingest IS NULL THEN 'insert'"
                    + " WHEN " + typedValuesSql() + " <=> _t_values THEN 'unchanged'"
                    + " WHEN _ingest_date >= _t_ingest THEN 'update'"
                    + " ELSE 'superseded' END"))
        .drop(drop.toArray(String[]::new));
  }

  /**
   * Only what the writes after the classification read, so the persisted rows stay narrow: the
   * delivered text of quarantined rows, the typed values of rows going into staging, lineage and
   * the outcome of all.
   */
  private static Dataset<Row> neededLater(Dataset<Row> compared) {
    org.apache.spark.sql.Column quarantined =
        col("_outcome").isin(Arrays.stream(QuarantineReason.values()).map(QuarantineReason::code).toArray());
    org.apache.spark.sql.Column written = col("_merge").isin("insert", "update");
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    for (PingField f : PingField.values()) {
      select.add(org.apache.spark.sql.functions.when(quarantined, expr(Validation.restoredText(f))).as(f.column()));
      select.add(org.apache.spark.sql.functions.when(written, col("t_" + f.column())).as("t_" + f.column()));
    }
    for (Column c : Tables.LINEAGE) {
      if (!DeliveredFiles.replaced(c.name())) {
        select.add(col(c.name()));
      }
    }
    select.addAll(List.of(col(DeliveredFiles.FILE), col("_outcome"), col("_event_date"), col("_merge")));
    return compared.select(select.toArray(org.apache.spark.sql.Column[]::new));
  }

  /** Accepted rows in staging's column order and names. */
  private static Dataset<Row> asStaging(Dataset<Row> rows, DeliveredFiles files) {
    List<org.apache.spark.sql.Column> select = new ArrayList<>();
    for (Column c : Tables.STAGING_PINGS.columns()) {
      select.add(
          PingField.byColumn(c.name()).isPresent() ? col("t_" + c.name()).as(c.name())
              : DeliveredFiles.replaced(c.name()) ? files.restored(c.name())
              : col(c.name()));
    }
    return rows.select(select.toArray(org.apache.spark.sql.Column[]::new));
  }

  /**
   * Appends without the table's hash distribution: the delivery's own day, nearly all of it, is
   * written from the partitions it was classified in (already in track order), merged down to
   * about {@link #ROWS_PER_WRITER} rows each, instead of being shuffled again; only late rows are
   * gathered by day, so a late day still gets one file, not one per task (5M rows, warm rounds:
   * stage 31.9 s -> 29.0-30.3 s).
   */
  private void append(Dataset<Row> inserts, LocalDate date, long ownDayRows, DeliveredFiles files) {
    org.apache.spark.sql.Column ownDay = col("_event_date").equalTo(lit(Date.valueOf(date)));
    Dataset<Row> late = inserts.where(org.apache.spark.sql.functions.not(ownDay));
    // Without it a small delivery would write a file per shuffle partition (cached plans keep
    // their partitioning; adaptive execution does not coalesce them).
    int writers = (int) Math.max(1, (ownDayRows + ROWS_PER_WRITER - 1) / ROWS_PER_WRITER);
    Dataset<Row> rows = inserts.where(ownDay).coalesce(writers).unionByName(late.repartition(col("_event_date")));
    try {
      asStaging(rows, files)
          .writeTo(catalog.qualified(Tables.STAGING_PINGS))
          .option("distribution-mode", "none")
          .option("fanout-enabled", "true")
          .append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot append to " + catalog.qualified(Tables.STAGING_PINGS), e);
    }
  }

  private void merge(Dataset<Row> changes, LocalDate from, LocalDate to, DeliveredFiles files) {
    String view = "geolake_stage_changes_" + UUID.randomUUID().toString().replace("-", "");
    asStaging(changes, files).createOrReplaceTempView(view);
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

  /**
   * Rows of staging's data files in the event-date range, from main's metadata (no data read): an
   * estimate that only decides whether the Bloom filter pays, never which rows are compared.
   */
  private long stagedRows(LocalDate[] range) {
    org.apache.iceberg.Table table = catalog.table(Tables.STAGING_PINGS);
    if (table.currentSnapshot() == null) {
      return 0;
    }
    long from = range[0].atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    long to = range[1].plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    long rows = 0;
    try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> files =
        table.newScan().filter(org.apache.iceberg.expressions.Expressions.and(
            org.apache.iceberg.expressions.Expressions.greaterThanOrEqual("event_ts", from),
            org.apache.iceberg.expressions.Expressions.lessThan("event_ts", to))).planFiles()) {
      for (org.apache.iceberg.FileScanTask file : files) {
        rows += file.file().recordCount();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot list staging.pings' files of " + range[0] + ".." + range[1], e);
    }
    return rows;
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


  /** Counts of the classification by outcome, merge action, event date and file. */
  record Outcomes(List<Row> rows) {
    static Outcomes of(List<Row> rows) {
      return new Outcomes(List.copyOf(rows));
    }

    long total(String outcome) {
      return rows.stream().filter(r -> outcome.equals(r.getString(0))).mapToLong(r -> r.getLong(4)).sum();
    }

    long merged(String action) {
      return rows.stream().filter(r -> action.equals(r.getString(1))).mapToLong(r -> r.getLong(4)).sum();
    }

    /** Inserted rows whose event date is {@code date}. */
    long insertedOn(LocalDate date) {
      return rows.stream()
          .filter(r -> "insert".equals(r.getString(1)) && !r.isNullAt(2) && r.getDate(2).toLocalDate().equals(date))
          .mapToLong(r -> r.getLong(4))
          .sum();
    }

    /** Inserted or updated rows whose event date is before the delivery date. */
    long lateMerged(LocalDate date) {
      return rows.stream()
          .filter(r -> changed(r) && r.getDate(2).toLocalDate().isBefore(date))
          .mapToLong(r -> r.getLong(4))
          .sum();
    }

    /** Inserted or updated: the rows that change staging. */
    private static boolean changed(Row r) {
      return "insert".equals(r.getString(1)) || "update".equals(r.getString(1));
    }

    LocalDate earliestChange() {
      return rows.stream()
          .filter(Outcomes::changed)
          .map(r -> r.getDate(2).toLocalDate())
          .min(Comparator.naturalOrder())
          .orElse(null);
    }

    List<LocalDate> datesOf(String outcome) {
      return rows.stream()
          .filter(r -> outcome.equals(r.getString(0)) && !r.isNullAt(2))
          .map(r -> r.getDate(2).toLocalDate())
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

    /** Fails when rows came from a file {@link DeliveredFiles} did not list: their lineage would be lost. */
    void requireKnownFiles(LocalDate date) {
      long unknown = rows.stream().filter(r -> r.isNullAt(3)).mapToLong(r -> r.getLong(4)).sum();
      if (unknown > 0) {
        throw new IllegalStateException(
            unknown + " raw.pings rows of " + date + " come from files missing from the table's file metadata; nothing was written."
                + " Re-ingest the date, and report this: it is a geolake bug");
      }
    }

    /** Quarantined rows per file, largest first. */
    List<Map.Entry<String, Long>> quarantinedByFile() {
      Map<String, Long> byFile = new TreeMap<>();
      for (Row r : rows) {
        if (Arrays.stream(QuarantineReason.values()).anyMatch(q -> q.code().equals(r.getString(0)))) {
          byFile.merge(r.getString(3), r.getLong(4), Long::sum);
        }
      }
      return byFile.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).toList();
    }
  }
}
