package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.ingest.IngestStep;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.StageResult;
import io.geolake.pipeline.staging.StageStep;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.Landing;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestLateDataMerge extends BaseSparkTest {
  private static final LocalDate D = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void lateCorrectionReplacesTheOlderVersionAndTooLateRowsAreQuarantined() {
    // Tiny deliveries: one too-late row is a third of one, so the reject guard is off here.
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.csv(D.minusDays(4), "part-0.csv", "old,idfa,19.30,-99.00,10,2024-05-02T08:00:00Z");
    landing.csv(
        D.minusDays(2),
        "part-0.csv",
        "a,idfa,19.40,-99.10,10,2024-05-04T10:00:00Z",
        "a,idfa,19.41,-99.11,10,2024-05-04T10:30:00Z",
        "b,aaid,19.50,-99.20,10,2024-05-04T11:00:00Z");
    // Staging holds more than twice the last delivery in its window, so the stage compares
    // through the Bloom filter of the delivery's keys (DeliveredKeys).
    landing.csv(
        D.minusDays(1),
        "part-0.csv",
        "c,aaid,19.55,-99.25,10,2024-05-05T12:00:00Z",
        "c,aaid,19.55,-99.25,10,2024-05-05T12:01:00Z",
        "c,aaid,19.55,-99.25,10,2024-05-05T12:02:00Z",
        "c,aaid,19.55,-99.25,10,2024-05-05T12:03:00Z",
        "c,aaid,19.55,-99.25,10,2024-05-05T12:04:00Z");
    landing.csv(
        D,
        "part-0.csv",
        "a,idfa,19.45,-99.15,10,2024-05-04T10:00:00Z",
        "d,aaid,19.60,-99.30,10,2024-05-01T09:00:00Z",
        "e,aaid,19.61,-99.31,10,2024-05-06T09:00:00Z");

    DailyRun run = new DailyRun(catalog, config, RunListener.NONE);
    run.run(D.minusDays(4));
    run.run(D.minusDays(2));
    run.run(D.minusDays(1));
    String staging = catalog.qualified(Tables.STAGING_PINGS);
    List<String> filesBefore = dataFiles(staging, "2024-05-02");
    List<Long> snapshotsBefore = snapshotIds(staging);

    RunReport report = run.run(D);

    assertThat(report.stage().updated()).isEqualTo(1);
    assertThat(report.stage().inserted()).isEqualTo(1);
    assertThat(report.stage().lateMerged()).isEqualTo(1);
    assertThat(report.stage().tooLate()).isEqualTo(1);
    assertThat(report.stage().quarantinedByReason()).containsOnlyKeys("too_late");

    List<Row> a =
        sql(
            "SELECT latitude, longitude, _ingest_date FROM %s WHERE device_id = 'a'"
                + " AND event_ts = TIMESTAMP '2024-05-04 10:00:00'",
            staging);
    assertThat(a).hasSize(1);
    assertThat(a.get(0).getDouble(0)).isEqualTo(19.45);
    assertThat(a.get(0).getDate(2).toLocalDate()).isEqualTo(D);
    assertThat(count("SELECT count(*) FROM %s", staging)).isEqualTo(10);
    assertThat(count("SELECT count(*) FROM %s WHERE device_id = 'd'", staging)).isZero();

    List<Row> quarantined =
        sql(
            "SELECT device_id, reason, event_ts FROM %s WHERE _ingest_date = DATE '%s'",
            catalog.qualified(Tables.STAGING_QUARANTINE),
            D);
    assertThat(quarantined).hasSize(1);
    assertThat(quarantined.get(0).getString(0)).isEqualTo("d");
    assertThat(quarantined.get(0).getString(1)).isEqualTo("too_late");
    assertThat(quarantined.get(0).getString(2)).isEqualTo("2024-05-01T09:00:00Z");

    // The run's snapshots touched only partitions inside [D-3, D]: 05-04 rewritten, 05-06 added.
    List<Long> runSnapshots = snapshotIds(staging);
    runSnapshots.removeAll(snapshotsBefore);
    assertThat(runSnapshots).isNotEmpty().contains(report.stage().stagingSnapshotId());
    String ids = runSnapshots.stream().map(String::valueOf).collect(Collectors.joining(","));
    Set<String> touched =
        sql(
                "SELECT DISTINCT CAST(data_file.partition.event_ts_day AS STRING) FROM %s.all_entries"
                    + " WHERE snapshot_id IN (%s) AND status > 0",
                staging,
                ids)
            .stream()
            .map(r -> r.getString(0))
            .collect(Collectors.toSet());
    assertThat(touched).containsExactlyInAnyOrder("2024-05-04", "2024-05-06");
    assertThat(dataFiles(staging, "2024-05-02")).isEqualTo(filesBefore).isNotEmpty();
  }

  @Test
  void rowsMergedFromBeforeTheWindowRefreshTheFeaturesOfTheirDay() {
    // too-late-policy merge: a row six days late is merged, so its day's features must follow.
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0", "staging.too-late-policy=merge");
    LakehouseCatalog catalog = catalog(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.csv(D.minusDays(6), "part-0.csv", "old,idfa,19.30,-99.00,10,2024-04-30T08:00:00Z");
    landing.csv(
        D,
        "part-0.csv",
        "old,idfa,19.31,-99.01,10,2024-04-30T09:00:00Z",
        "e,aaid,19.61,-99.31,10,2024-05-06T09:00:00Z");
    DailyRun run = new DailyRun(catalog, config, RunListener.NONE);
    run.run(D.minusDays(6));
    String features = catalog.qualified(Tables.DEVICE_DAILY_FEATURES);
    String pingsOnApril30 = "SELECT sum(pings) FROM %s WHERE feature_date = DATE '2024-04-30'";
    assertThat(count(pingsOnApril30, features)).isEqualTo(1);

    RunReport report = run.run(D);

    assertThat(report.stage().tooLate()).isZero();
    assertThat(count(pingsOnApril30, features)).isEqualTo(2);
    assertThat(report.stage().earliestChange()).isEqualTo(LocalDate.of(2024, 4, 30));
    assertThat(report.features().from()).isEqualTo(LocalDate.of(2024, 4, 30));
    assertThat(count("SELECT count(*) FROM %s WHERE feature_date = DATE '2024-05-06'", features)).isEqualTo(1);
  }

  @Test
  void aDeliveryWithUpdatesAndInsertsIsReadAndClassifiedOnce() throws Exception {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.csv(
        D.minusDays(1),
        "part-0.csv",
        "a,idfa,19.40,-99.10,10,2024-05-05T10:00:00Z",
        "a,idfa,19.41,-99.11,10,2024-05-05T10:30:00Z");
    landing.csv(
        D,
        "part-0.csv",
        "a,idfa,19.45,-99.15,10,2024-05-05T10:00:00Z",
        "a,idfa,19.42,-99.12,10,2024-05-06T09:00:00Z");
    IngestResult yesterday = new IngestStep(catalog, config).execute(D.minusDays(1));
    new StageStep(catalog, config).execute(D.minusDays(1), yesterday);
    IngestResult ingest = new IngestStep(catalog, config).execute(D);

    // Spark drops cached data reading a table when the table is written: writing the inserts
    // must not make the updates (or anything else) classify the delivery again.
    String raw = catalog.qualified(Tables.RAW_PINGS);
    List<Integer> stagesReadingRaw = new java.util.concurrent.CopyOnWriteArrayList<>();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onStageCompleted(SparkListenerStageCompleted completed) {
            StageInfo stage = completed.stageInfo();
            boolean readsRaw =
                scala.collection.JavaConverters.seqAsJavaListConverter(stage.rddInfos()).asJava().stream()
                    .anyMatch(rdd -> rdd.scope().isDefined() && rdd.scope().get().name().contains("BatchScan " + raw));
            if (readsRaw) {
              stagesReadingRaw.add(stage.stageId());
            }
          }
        };
    StageResult result = stageWhileListening(listener, catalog, config, ingest);

    assertThat(result.updated()).isEqualTo(1);
    assertThat(result.inserted()).isEqualTo(1);
    assertThat(stagesReadingRaw).hasSize(1);
    assertThat(count("SELECT count(*) FROM %s WHERE latitude = 19.45 AND _ingest_date = DATE '%s'", catalog.qualified(Tables.STAGING_PINGS), D))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM %s", catalog.qualified(Tables.STAGING_PINGS))).isEqualTo(3);
  }

  @Test
  void theDeliveryDayIsAppendedWhereItWasClassifiedAndEachLateDayAsOneFile() throws Exception {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    Landing landing = new Landing(data.resolve("landing"));
    List<String> rows = new java.util.ArrayList<>();
    for (int device = 0; device < 16; device++) {
      rows.add("dev" + device + ",idfa,19.40,-99.10,10,2024-05-06T10:00:00Z");
      rows.add("dev" + device + ",idfa,19.40,-99.10,10," + (device % 2 == 0 ? "2024-05-05" : "2024-05-04") + "T10:00:00Z");
    }
    landing.csv(D, "part-0.csv", rows.toArray(String[]::new));
    IngestResult ingest = new IngestStep(catalog, config).execute(D);
    // Without coalescing, the classification keeps its 4 shuffle partitions, as a large delivery would.
    String coalesce = "spark.sql.adaptive.coalescePartitions.enabled";
    spark.conf().set(coalesce, "false");
    // Rows the append shuffles: its jobs' shuffle writes.
    java.util.Set<Integer> appendStages = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicLong shuffled = new java.util.concurrent.atomic.AtomicLong();
    SparkListener listener =
        new SparkListener() {
          @Override
          public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
            String description = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
            if (description != null && description.contains("append inserts")) {
              scala.collection.JavaConverters.seqAsJavaListConverter(start.stageIds()).asJava().forEach(id -> appendStages.add((Integer) id));
            }
          }

          @Override
          public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            if (appendStages.contains(end.stageId()) && end.taskMetrics() != null) {
              shuffled.addAndGet(end.taskMetrics().shuffleWriteMetrics().recordsWritten());
            }
          }
        };
    StageResult result;
    try {
      result = stageWhileListening(listener, catalog, config, ingest);
    } finally {
      spark.conf().unset(coalesce);
    }

    assertThat(result.inserted()).isEqualTo(32);
    String staging = catalog.qualified(Tables.STAGING_PINGS);
    assertThat(dataFiles(staging, "2024-05-04")).hasSize(1);
    assertThat(dataFiles(staging, "2024-05-05")).hasSize(1);
    // The delivery day is not shuffled again, and a small one is one file, not one per task.
    // (The late half, 16 rows, plus a few partial counts of the query that follows under the same
    // job description; shuffling every insert again would be 32 and more.)
    assertThat(shuffled.get()).isBetween(16L, 31L);
    assertThat(dataFiles(staging, "2024-05-06")).hasSize(1);
    assertThat(count("SELECT count(*) FROM %s WHERE event_ts >= TIMESTAMP '2024-05-06 00:00:00'", staging)).isEqualTo(16);
  }

  /** Stages date D with the listener attached, and returns once it has heard every event. */
  private static StageResult stageWhileListening(SparkListener listener, LakehouseCatalog catalog, GeolakeConfig config, IngestResult ingest)
      throws java.util.concurrent.TimeoutException {
    spark.sparkContext().addSparkListener(listener);
    try {
      StageResult result = new StageStep(catalog, config).execute(D, ingest);
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return result;
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  private static List<Long> snapshotIds(String table) {
    return new java.util.ArrayList<>(
        sql("SELECT snapshot_id FROM %s.snapshots", table).stream().map(r -> r.getLong(0)).toList());
  }

  private static List<String> dataFiles(String table, String day) {
    return sql(
            "SELECT file_path FROM %s.files WHERE partition.event_ts_day = DATE '%s' ORDER BY 1",
            table,
            day)
        .stream()
        .map(r -> r.getString(0))
        .toList();
  }
}
