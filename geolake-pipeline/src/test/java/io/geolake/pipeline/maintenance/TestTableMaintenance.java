package io.geolake.pipeline.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.model.ModelMetrics;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.model.ModelVersion;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.TableContents;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geolake maintain: expiry and orphan removal delete only what no kept snapshot needs. */
class TestTableMaintenance extends BaseSparkTest {
  private static final LocalDate START = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void expiryAndOrphanRemovalDeleteOnlyWhatNoKeptSnapshotNeeds() throws IOException {
    new SyntheticDeliveries(GeneratorSettings.defaults(10, 1, START, 31)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config = config(data, "maintenance.snapshot-retention=PT0S", "maintenance.retain-last=1");
    LakehouseCatalog catalog = catalog(config);
    new DailyRun(catalog, config, RunListener.NONE).run(START);
    new DailyRun(catalog, config, RunListener.NONE).run(START); // a re-run replaces the date's files
    // Five small files in a settled day (older than the newest by more than the lookback window)
    // and five in the newest day, which late rows may still change.
    LocalDate settled = START.minusDays(config.staging().lookbackDays() + 1);
    for (int i = 0; i < 5; i++) {
      rawCopy(catalog, settled);
      rawCopy(catalog, START);
    }
    Map<String, List<String>> before = TableContents.of(catalog, Set.of());

    // A registered model version trained on an old snapshot of the profiles.
    Table profiles = catalog.table(Tables.DEVICE_PROFILES);
    Snapshot trainedOn = oldest(profiles);
    long trainedOnRows = count("SELECT count(*) FROM %s VERSION AS OF %d", catalog.qualified(Tables.DEVICE_PROFILES), trainedOn.snapshotId());
    register(config, Map.of(Tables.DEVICE_PROFILES.qualifiedName(), trainedOn.snapshotId()));
    Snapshot expiredRaw = oldest(catalog.table(Tables.RAW_PINGS));

    Path stagingData = folder(catalog.table(Tables.STAGING_PINGS)).resolve("data");
    Path staleOrphan = Files.writeString(stagingData.resolve("left-by-a-killed-write.parquet"), "debris");
    Files.setLastModifiedTime(staleOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
    Path freshOrphan = Files.writeString(stagingData.resolve("being-written.parquet"), "in flight");

    // A dry run reports and changes nothing.
    int stagingSnapshots = snapshots(catalog.table(Tables.STAGING_PINGS));
    TableMaintenanceResult dryStaging = byTable(new TableMaintenance(catalog, config).run(Instant.now(), true, r -> {}), Tables.STAGING_PINGS);
    assertThat(dryStaging.snapshotsBefore()).isEqualTo(stagingSnapshots).isGreaterThan(1);
    assertThat(dryStaging.snapshotsAfter()).isEqualTo(1);
    assertThat(dryStaging.orphans()).singleElement().asString().endsWith("left-by-a-killed-write.parquet");
    assertThat(snapshots(catalog.table(Tables.STAGING_PINGS))).isEqualTo(stagingSnapshots);
    assertThat(staleOrphan).exists();
    assertThat(catalog.table(Tables.DEVICE_PROFILES).refs()).containsOnlyKeys("main");

    List<TableMaintenanceResult> reported = new ArrayList<>();
    List<TableMaintenanceResult> results = new TableMaintenance(catalog, config).run(Instant.now(), false, reported::add);
    assertThat(reported).isEqualTo(results).hasSize(Tables.ALL.size());

    // Every table keeps its current rows and one snapshot; profiles also the model's, by tag.
    assertThat(TableContents.of(catalog, Set.of())).isEqualTo(before);
    for (TableDefinition table : Tables.ALL) {
      Table t = catalog.table(table);
      int expected =
          t.currentSnapshot() == null ? 0 : table.equals(Tables.DEVICE_PROFILES) && trainedOn.snapshotId() != t.currentSnapshot().snapshotId() ? 2 : 1;
      assertThat(snapshots(t)).as(table.qualifiedName()).isEqualTo(expected);
      assertThat(byTable(results, table).snapshotsAfter()).as(table.qualifiedName()).isEqualTo(expected);
      // Nothing is left in the table's data folder that the current snapshot does not read.
      if (!table.equals(Tables.DEVICE_PROFILES)) {
        Set<String> unreferenced = dataFiles(folder(t).resolve("data"));
        unreferenced.removeAll(referencedFiles(t));
        assertThat(unreferenced).as(table.qualifiedName()).allMatch(f -> f.endsWith("being-written.parquet"));
      }
    }
    assertThat(byTable(results, Tables.RAW_PINGS).deletedDataFiles()).isPositive(); // the re-run's replaced files
    TableMaintenanceResult raw = byTable(results, Tables.RAW_PINGS);
    assertThat(raw.compactedFiles()).isEqualTo(5);
    assertThat(raw.compactedInto()).isEqualTo(1);
    assertThat(filesOn(catalog, settled)).isEqualTo(1);
    assertThat(filesOn(catalog, START)).isGreaterThanOrEqualTo(6);
    assertThatThrownBy(() -> sql("SELECT count(*) FROM %s VERSION AS OF %d", catalog.qualified(Tables.RAW_PINGS), expiredRaw.snapshotId()))
        .hasMessageContaining(String.valueOf(expiredRaw.snapshotId()));

    assertThat(byTable(results, Tables.DEVICE_PROFILES).tagsCreated()).containsExactly("model-x-v0001");
    assertThat(catalog.table(Tables.DEVICE_PROFILES).refs().get("model-x-v0001").snapshotId()).isEqualTo(trainedOn.snapshotId());
    assertThat(count("SELECT count(*) FROM %s VERSION AS OF 'model-x-v0001'", catalog.qualified(Tables.DEVICE_PROFILES))).isEqualTo(trainedOnRows);

    assertThat(byTable(results, Tables.STAGING_PINGS).orphans()).singleElement().asString().endsWith("left-by-a-killed-write.parquet");
    assertThat(staleOrphan).doesNotExist();
    assertThat(freshOrphan).exists();

    // Past maintenance.model-input-retention (a year) a version that is not live lets its inputs go:
    // a dry run names the tag, the real run removes it and its snapshot expires.
    Instant yearLater = Instant.now().plus(Duration.ofDays(366));
    assertThat(byTable(new TableMaintenance(catalog, config).run(Instant.now(), true, r -> {}), Tables.DEVICE_PROFILES).tagsReleased()).isEmpty();
    assertThat(byTable(new TableMaintenance(catalog, config).run(yearLater, true, r -> {}), Tables.DEVICE_PROFILES).tagsReleased())
        .containsExactly("model-x-v0001");
    assertThat(catalog.table(Tables.DEVICE_PROFILES).refs()).containsKey("model-x-v0001");
    TableMaintenanceResult released = byTable(new TableMaintenance(catalog, config).run(yearLater, false, r -> {}), Tables.DEVICE_PROFILES);
    assertThat(released.tagsReleased()).containsExactly("model-x-v0001");
    assertThat(released.tagsCreated()).isEmpty(); // not tagged again
    assertThat(catalog.table(Tables.DEVICE_PROFILES).refs()).containsOnlyKeys("main");
    assertThat(snapshots(catalog.table(Tables.DEVICE_PROFILES))).isEqualTo(1);
    assertThatThrownBy(() -> sql("SELECT count(*) FROM %s VERSION AS OF %d", catalog.qualified(Tables.DEVICE_PROFILES), trainedOn.snapshotId()))
        .hasMessageContaining(String.valueOf(trainedOn.snapshotId()));
  }

  @Test
  void dataRetentionDeletesTheDaysPastEachTablesRetentionWithoutRewritingFiles() {
    new SyntheticDeliveries(GeneratorSettings.defaults(10, 2, START, 41)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config =
        config(data, "maintenance.data-retention.raw.pings=P5D", "maintenance.data-retention.staging.pings=P5D",
            "maintenance.data-retention.consumption.device_daily_features=P5D");
    LakehouseCatalog catalog = catalog(config);
    new DailyRun(catalog, config, RunListener.NONE).run(START);
    new DailyRun(catalog, config, RunListener.NONE).run(START.plusDays(1));
    // Five days after the second delivery, every table named keeps its days from 05-07 on.
    Instant now = Instant.parse("2024-05-12T10:00:00Z");
    Map<TableDefinition, String> past =
        Map.of(
            Tables.RAW_PINGS, "_ingest_date < DATE '2024-05-07'",
            Tables.STAGING_PINGS, "event_ts < TIMESTAMP '2024-05-07 00:00:00'",
            Tables.DEVICE_DAILY_FEATURES, "feature_date < DATE '2024-05-07'");
    Map<String, Long> pastRows = new java.util.HashMap<>();
    past.forEach((table, where) -> pastRows.put(table.qualifiedName(), count("SELECT count(*) FROM %s WHERE %s", catalog.qualified(table), where)));
    assertThat(pastRows).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
    for (TableDefinition table : past.keySet()) {
      assertThat(count("SELECT count(*) FROM %s WHERE NOT (%s)", catalog.qualified(table), past.get(table))).as(table.qualifiedName()).isPositive();
    }
    Map<String, List<String>> before = TableContents.of(catalog, Set.of());
    long stagingBefore = catalog.table(Tables.STAGING_PINGS).currentSnapshot().snapshotId();

    List<TableMaintenanceResult> dry = new TableMaintenance(catalog, config).run(now, true, r -> {});
    for (TableMaintenanceResult r : dry) {
      assertThat(r.retention() == null ? null : r.retention().rows()).as(r.table()).isEqualTo(pastRows.get(r.table()));
    }
    assertThat(byTable(dry, Tables.STAGING_PINGS).retention().before()).isEqualTo(LocalDate.of(2024, 5, 7));
    assertThat(TableContents.of(catalog, Set.of())).isEqualTo(before);

    List<TableMaintenanceResult> done = new TableMaintenance(catalog, config).run(now, false, r -> {});
    assertThat(done).extracting(TableMaintenanceResult::retention).isEqualTo(dry.stream().map(TableMaintenanceResult::retention).toList());
    Map<String, List<String>> after = TableContents.of(catalog, Set.of());
    for (TableDefinition table : Tables.ALL) {
      String name = table.qualifiedName();
      if (past.containsKey(table)) {
        assertThat(count("SELECT count(*) FROM %s WHERE %s", catalog.qualified(table), past.get(table))).as(name).isZero();
        assertThat(after.get(name)).as(name).hasSize(before.get(name).size() - pastRows.get(name).intValue());
        assertThat(before.get(name)).as(name).containsAll(after.get(name));
      } else {
        assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
      }
    }
    // Whole day partitions were dropped from the metadata: no data file was written.
    Table staging = catalog.table(Tables.STAGING_PINGS);
    List<Snapshot> since = new ArrayList<>();
    for (Snapshot s : staging.snapshots()) {
      if (s.sequenceNumber() > staging.snapshot(stagingBefore).sequenceNumber()) {
        since.add(s);
      }
    }
    assertThat(since).singleElement().satisfies(s -> {
      assertThat(s.operation()).isEqualTo("delete");
      assertThat(s.summary()).doesNotContainKey("added-data-files").containsKey("deleted-data-files");
    });
    // Time travel still reaches them until snapshot-retention expires that snapshot.
    assertThat(count("SELECT count(*) FROM %s VERSION AS OF %d", catalog.qualified(Tables.STAGING_PINGS), stagingBefore))
        .isEqualTo(before.get(Tables.STAGING_PINGS.qualifiedName()).size());
  }

  @Test
  void theSnapshotsAnUnfinishedRunResumesFromAreKept() {
    new SyntheticDeliveries(GeneratorSettings.defaults(5, 2, START, 32)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config = config(data, "maintenance.snapshot-retention=PT0S", "maintenance.retain-last=1");
    LakehouseCatalog catalog = catalog(config);
    new DailyRun(catalog, config, RunListener.NONE).run(START);
    List<Row> trips = sql("SELECT device, started_at FROM %s", catalog.qualified(Tables.TRIPS));
    assertThat(trips).isNotEmpty();
    // A settled day with small files to compact: compacting it would move main past the branch.
    LocalDate settled = START.minusDays(config.staging().lookbackDays() + 1);
    for (int i = 0; i < 5; i++) {
      rawCopy(catalog, settled);
    }
    // The failing quality step first commits to the branch (deletes every trip), so its resumed
    // attempt resets the branch to the snapshot the features step left: neither main's snapshot
    // nor the branch's head, the two that expiry would keep by itself.
    RunListener failAtQuality =
        new RunListener() {
          private boolean failed;

          @Override
          public void stepStarted(LocalDate date, String step) {
            if (step.equals("quality") && !failed) {
              failed = true;
              spark.sql("DELETE FROM " + catalog.qualified(Tables.TRIPS) + " WHERE true");
              throw new IllegalStateException("injected failure at the start of quality");
            }
          }

          @Override
          public void stepSkipped(LocalDate date, String step, Object result) {}

          @Override
          public void stepFinished(LocalDate date, String step, Duration took, Object result) {}
        };
    DailyRun run = new DailyRun(catalog, config, failAtQuality);
    assertThatThrownBy(() -> run.run(START.plusDays(1))).hasMessageContaining("injected failure");

    TableMaintenanceResult raw = byTable(new TableMaintenance(catalog, config).run(Instant.now(), false, r -> {}), Tables.RAW_PINGS);
    assertThat(raw.compactionDeferred()).isTrue();
    assertThat(raw.compactedFiles()).isZero();
    assertThat(raw.snapshotsExpired()).isPositive();

    // Resumed, not started over: the branch still reaches back to main and the quality step is
    // reset to the snapshots the features step left.
    RunReport resumed = run.run(START.plusDays(1));
    assertThat(resumed.runId()).isEqualTo(START.plusDays(1) + "-1");
    assertThat(resumed.attempt()).isEqualTo(2);
    assertThat(sql("SELECT device, started_at FROM %s", catalog.qualified(Tables.TRIPS))).containsAll(trips);
  }

  /** Appends a copy of one raw row, as if delivered on {@code date}, as a file of its own. */
  private static void rawCopy(LakehouseCatalog catalog, LocalDate date) {
    String columns =
        Tables.RAW_PINGS.columnNames().stream()
            .map(c -> c.equals("_ingest_date") ? "DATE '" + date + "'" : "`" + c + "`")
            .collect(java.util.stream.Collectors.joining(", "));
    String table = catalog.qualified(Tables.RAW_PINGS);
    spark.sql("INSERT INTO " + table + " SELECT " + columns + " FROM " + table + " WHERE _ingest_date = DATE '" + START + "' LIMIT 1");
  }

  private static long filesOn(LakehouseCatalog catalog, LocalDate date) {
    return count("SELECT count(*) FROM %s.files WHERE partition._ingest_date = DATE '%s'", catalog.qualified(Tables.RAW_PINGS), date);
  }

  private void register(GeolakeConfig config, Map<String, Long> snapshots) {
    ModelRegistry registry = new ModelRegistry(spark, config);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[0]).fit(spark.range(1).toDF());
    ModelMetrics metrics = new ModelMetrics(0.5, 0.5, 0.7, 0.5, 1);
    registry.register(
        model,
        new ModelVersion(registry.nextVersion(), Instant.now(), START, "gbt", Map.of(), 1, START, START, START, START, 1, 0.5, List.of("pings"),
            metrics, null, snapshots, true, "test"),
        new io.geolake.pipeline.model.ModelBaseline(List.of(), null));
  }

  private static TableMaintenanceResult byTable(List<TableMaintenanceResult> results, TableDefinition table) {
    return results.stream().filter(r -> r.table().equals(table.qualifiedName())).findFirst().orElseThrow();
  }

  private static Snapshot oldest(Table table) {
    Snapshot oldest = null;
    for (Snapshot s : table.snapshots()) {
      if (oldest == null || s.sequenceNumber() < oldest.sequenceNumber()) {
        oldest = s;
      }
    }
    return oldest;
  }

  private static int snapshots(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }

  private static Path folder(Table table) {
    String location = table.location();
    return location.startsWith("file:") ? Paths.get(URI.create(location)) : Paths.get(location);
  }

  private static Set<String> dataFiles(Path folder) throws IOException {
    Set<String> files = new HashSet<>();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> walk = Files.walk(folder)) {
        walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(p -> files.add(p.toAbsolutePath().toString()));
      }
    }
    return files;
  }

  private static Set<String> referencedFiles(Table table) throws IOException {
    Set<String> files = new HashSet<>();
    if (table.currentSnapshot() == null) {
      return files;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        files.add(folderless(task.file().location()));
        task.deletes().forEach(d -> files.add(folderless(d.location())));
      }
    }
    return files;
  }

  private static String folderless(String location) {
    return location.startsWith("file:") ? Paths.get(URI.create(location)).toString() : location;
  }
}
