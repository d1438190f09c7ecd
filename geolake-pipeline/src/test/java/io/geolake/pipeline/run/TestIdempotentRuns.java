package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-running dates, in any order, leaves every table with exactly the same rows. */
class TestIdempotentRuns extends BaseSparkTest {
  private static final LocalDate START = LocalDate.of(2024, 5, 6);

  @TempDir Path data;
  private GeolakeConfig config;
  private LakehouseCatalog catalog;
  private DailyRun run;

  @BeforeEach
  void generate() {
    config = config(data);
    catalog = catalog(config);
    run = new DailyRun(catalog, config, RunListener.NONE);
    new SyntheticDeliveries(GeneratorSettings.defaults(12, 4, START, 11)).writeTo(data.resolve("landing"), s -> {});
  }

  @Test
  void rerunningADateOrAnEarlierOneThenItAgainChangesNothing() {
    for (int d = 0; d < 4; d++) {
      run.run(START.plusDays(d));
    }
    Map<String, List<String>> expected = contents();
    assertThat(expected.get("staging.pings")).hasSizeGreaterThan(1000);
    assertThat(expected.get("staging.quarantine")).isNotEmpty();

    RunReport again = run.run(START.plusDays(3));
    assertThat(again.stage().inserted() + again.stage().updated()).isZero();
    assertThat(contents()).isEqualTo(expected);

    run.run(START.plusDays(2));
    run.run(START.plusDays(3));
    assertThat(contents()).isEqualTo(expected);
  }

  @Test
  void aFailingStepLeavesEveryTableAtItsPreviousSnapshot() {
    run.run(START);
    Map<String, Long> before = snapshots();
    Map<String, List<String>> contentsBefore = contents();
    RunListener failAfterIngest =
        new RunListener() {
          @Override
          public void stepFinished(LocalDate date, String step, Duration took, Object result) {
            if (step.equals("ingest")) {
              throw new IllegalStateException("injected failure after ingest");
            }
          }
        };

    assertThatThrownBy(() -> new DailyRun(catalog, config, failAfterIngest).run(START.plusDays(1)))
        .hasMessageContaining("injected failure");

    assertThat(snapshots()).isEqualTo(before);
    assertThat(contents()).isEqualTo(contentsBefore);
  }

  @Test
  void revertingADatesRunPutsEveryTableBackWhereItStartedAndTheDateRunsAgain() {
    RunRevert revert = new RunRevert(catalog, config);
    run.run(START);
    Map<String, Long> afterFirst = snapshots();
    Map<String, List<String>> contentsAfterFirst = contents();
    run.run(START.plusDays(1));
    Map<String, List<String>> contentsAfterSecond = contents();

    // The first date's changes are not the latest: going back would undo the second date's too.
    assertThatThrownBy(() -> revert.revert(START, false, "test"))
        .isInstanceOf(RevertRefusedException.class)
        .hasMessageContaining("Runs published since: " + START.plusDays(1) + " (" + START.plusDays(1) + "-1)")
        .hasMessageContaining("geolake revert --date " + START.plusDays(1))
        .hasMessageNotContaining("not by a published run");
    Map<String, Long> second = snapshots();
    RunRevert.Result dry = revert.revert(START.plusDays(1), true, "test");
    assertThat(dry.tables()).filteredOn(RunRevert.TableChange::changes).extracting(RunRevert.TableChange::table).contains("staging.pings", "raw.pings");
    assertThat(snapshots()).isEqualTo(second);
    assertThat(dry.trainedSince()).isEmpty(); // no model was trained here

    RunRevert.Result done = revert.revert(START.plusDays(1), false, "test");
    assertThat(snapshots()).isEqualTo(afterFirst);
    assertThat(contents()).isEqualTo(contentsAfterFirst);
    RunRevert.TableChange staging = done.tables().stream().filter(t -> t.table().equals("staging.pings")).findFirst().orElseThrow();
    assertThat(staging.rowsBefore()).isEqualTo(contentsAfterFirst.get("staging.pings").size());
    assertThat(staging.rowsPublished()).isEqualTo(contentsAfterSecond.get("staging.pings").size());
    RunStore store = new RunStore(config);
    assertThat(store.latest(START.plusDays(1)).orElseThrow().state()).isEqualTo(RunState.REVERTED);
    assertThatThrownBy(() -> revert.revert(START.plusDays(1), false, "test")).hasMessageContaining("is REVERTED").hasMessageContaining("reverted already");

    // A commit on main by anything but a run (maintain, forget) is not taken back with it.
    org.apache.iceberg.Table quarantine = catalog.table(Tables.STAGING_QUARANTINE);
    long quarantinePublished = quarantine.currentSnapshot().snapshotId();
    quarantine.newAppend().commit();
    assertThatThrownBy(() -> revert.revert(START, false, "test"))
        .hasMessageContaining("not by a published run")
        .hasMessageContaining("staging.quarantine: committed since: append")
        .hasMessageNotContaining("Runs published since");
    quarantine.manageSnapshots().rollbackTo(quarantinePublished).commit();

    // The first date's run is now the latest again; it started on empty tables.
    revert.revert(START, false, "test");
    assertThat(contents().values()).allMatch(List::isEmpty);

    // A reverted date runs again from the start, as a new run, and publishes the same tables.
    RunReport again = run.run(START);
    assertThat(again.runId()).isEqualTo(START + "-2");
    assertThat(contents()).isEqualTo(contentsAfterFirst);
    assertThat(store.runs(START, 10)).extracting(RunRecord::runId, RunRecord::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(START + "-2", RunState.SUCCEEDED), org.assertj.core.groups.Tuple.tuple(START + "-1", RunState.REVERTED));
  }

  /** Data tables; ops tables are logs of the runs themselves and grow with every run by design. */
  private Map<String, List<String>> contents() {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      if (table.layer() == io.geolake.core.schema.Layer.OPS) {
        continue;
      }
      tables.put(
          table.qualifiedName(),
          sql("SELECT * FROM %s", catalog.qualified(table)).stream().map(Object::toString).sorted().toList());
    }
    return tables;
  }

  private Map<String, Long> snapshots() {
    Map<String, Long> ids = new LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      Snapshot s = catalog.table(table).currentSnapshot();
      ids.put(table.qualifiedName(), s == null ? null : s.snapshotId());
    }
    return ids;
  }
}
