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
import io.geolake.pipeline.testing.TableContents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed run is resumed from its first unfinished step and ends where an uninterrupted run ends. */
class TestRunResume extends BaseSparkTest {
  private static final LocalDate START = LocalDate.of(2024, 5, 6);

  @TempDir Path data;
  @TempDir Path reference;

  /** Fails the first time the given step starts, and records what ran. */
  private static final class FailOnce implements RunListener {
    private final String failing;
    private final Runnable partialWork;
    private boolean failed;
    final List<String> started = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();

    FailOnce(String failing) {
      this(failing, () -> {});
    }

    /** Fails after {@code partialWork}: commits the attempt makes before it dies. */
    FailOnce(String failing, Runnable partialWork) {
      this.failing = failing;
      this.partialWork = partialWork;
    }

    @Override
    public void stepStarted(LocalDate date, String step) {
      started.add(step);
      if (step.equals(failing) && !failed) {
        failed = true;
        partialWork.run();
        throw new IllegalStateException("injected failure at the start of " + step);
      }
    }

    @Override
    public void stepSkipped(LocalDate date, String step, Object result) {
      skipped.add(step);
    }

    @Override
    public void stepFinished(LocalDate date, String step, Duration took, Object result) {}
  }

  @Test
  void aFailedRunResumesFromItsFirstUnfinishedStepAndEndsLikeAnUninterruptedOne() {
    Path landing = data.resolve("landing");
    new SyntheticDeliveries(GeneratorSettings.defaults(10, 3, START, 21)).writeTo(landing, s -> {});
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    GeolakeConfig uninterruptedConfig = config(reference, "landing=" + landing);
    LakehouseCatalog uninterrupted = catalog(uninterruptedConfig);
    for (int d = 0; d < 3; d++) {
      new DailyRun(uninterrupted, uninterruptedConfig, RunListener.NONE).run(START.plusDays(d));
    }

    new DailyRun(catalog, config, RunListener.NONE).run(START);
    Map<String, Long> before = mainSnapshots(catalog);
    // The failing attempt commits part of its work to the branch first (here: it deletes every trip;
    // the features step deletes the trips it is about to rebuild). The resumed step must start from
    // where the attempt started: trips outside what it rebuilds would otherwise stay lost.
    FailOnce failAtFeatures =
        new FailOnce("features", () -> spark.sql("DELETE FROM " + catalog.qualified(Tables.TRIPS) + " WHERE true"));
    DailyRun run = new DailyRun(catalog, config, failAtFeatures);
    LocalDate second = START.plusDays(1);
    assertThatThrownBy(() -> run.run(second)).hasMessageContaining("injected failure at the start of features");

    // Nothing of the failed run is visible on main; its finished steps are recorded.
    assertThat(mainSnapshots(catalog)).isEqualTo(before);
    RunStore store = new RunStore(config);
    RunRecord failed = store.latest(second).orElseThrow();
    assertThat(failed.state()).isEqualTo(RunState.FAILED);
    assertThat(failed.error()).contains("injected failure");
    assertThat(store.steps(failed.runId()))
        .extracting(s -> s.step() + "=" + s.state())
        .containsExactly("branch=SUCCEEDED", "ingest=SUCCEEDED", "stage=SUCCEEDED", "features=FAILED", "quality=PENDING", "score=PENDING",
            "publish=PENDING");
    assertThat(store.steps(failed.runId()).get(1).snapshots()).contains("raw.pings");

    failAtFeatures.started.clear();
    RunReport resumed = run.run(second);
    assertThat(failAtFeatures.skipped).containsExactly("ingest", "stage");
    assertThat(failAtFeatures.started).containsExactly("features", "quality", "score", "publish");
    assertThat(resumed.runId()).isEqualTo(failed.runId());
    assertThat(resumed.attempt()).isEqualTo(2);
    assertThat(resumed.stage().inserted()).isPositive(); // the stage result was read back from the store
    assertThat(store.latest(second).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.steps(failed.runId())).allMatch(s -> s.state() == StepState.SUCCEEDED);

    new DailyRun(catalog, config, RunListener.NONE).run(START.plusDays(2));
    Map<String, List<String>> expected = contents(uninterrupted);
    contents(catalog).forEach((table, rows) -> assertThat(rows).as(table).containsExactlyInAnyOrderElementsOf(expected.get(table)));
    // Published runs leave no branches behind.
    assertThat(catalog.table(Tables.STAGING_PINGS).refs()).containsOnlyKeys("main");
  }

  @Test
  void startingOverAbandonsTheUnfinishedRun() {
    Path landing = data.resolve("landing");
    new SyntheticDeliveries(GeneratorSettings.defaults(5, 1, START, 22)).writeTo(landing, s -> {});
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    FailOnce failAtStage = new FailOnce("stage");
    DailyRun run = new DailyRun(catalog, config, failAtStage);
    assertThatThrownBy(() -> run.run(START)).hasMessageContaining("injected failure");

    failAtStage.started.clear();
    RunReport fresh = run.run(START, true);
    assertThat(failAtStage.skipped).isEmpty();
    assertThat(failAtStage.started).containsExactly("ingest", "stage", "features", "quality", "score", "publish");
    assertThat(fresh.runId()).isEqualTo(START + "-2");
    assertThat(fresh.attempt()).isEqualTo(1);
    RunStore store = new RunStore(config);
    assertThat(store.runs(START, 10)).extracting(r -> r.runId() + "=" + r.state())
        .containsExactly(START + "-2=SUCCEEDED", START + "-1=FAILED");
    assertThat(catalog.table(Tables.RAW_PINGS).refs()).containsOnlyKeys("main");
  }

  @Test
  void anUnfinishedRunOvertakenByALaterPublishedDateStartsOver() {
    new SyntheticDeliveries(GeneratorSettings.defaults(5, 2, START, 23)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    FailOnce failAtFeatures = new FailOnce("features");
    assertThatThrownBy(() -> new DailyRun(catalog, config, failAtFeatures).run(START)).hasMessageContaining("injected failure");
    new DailyRun(catalog, config, RunListener.NONE).run(START.plusDays(1)); // publishes: main moves on

    failAtFeatures.started.clear();
    RunReport again = new DailyRun(catalog, config, failAtFeatures).run(START);
    assertThat(failAtFeatures.skipped).isEmpty();
    assertThat(again.runId()).isEqualTo(START + "-2");
    assertThat(new RunStore(config).runs(START, 10).get(1).error()).contains("another run published since it stopped");
  }

  private static Map<String, List<String>> contents(LakehouseCatalog catalog) {
    return TableContents.of(catalog, Set.of());
  }

  private static Map<String, Long> mainSnapshots(LakehouseCatalog catalog) {
    Map<String, Long> ids = new LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      Snapshot s = catalog.table(table).currentSnapshot();
      ids.put(table.qualifiedName(), s == null ? null : s.snapshotId());
    }
    return ids;
  }
}
