package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunRecord;
import io.geolake.pipeline.run.RunState;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.TableContents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes killed with SIGKILL in the middle of each step, then resumed: the tables end as
 * an uninterrupted run leaves them. And two processes running the same date: exactly one proceeds.
 */
class TestKillAndResume extends BaseSparkTest {
  private static final String DAY1 = "2024-05-06";
  private static final String DAY2 = "2024-05-07";

  @TempDir Path scratch;

  @Test
  void aRunKilledInEachStepResumesToTheSameTablesAsAnUninterruptedRun() throws Exception {
    Path landing = scratch.resolve("landing");
    Path killed = scratch.resolve("killed");
    Path uninterrupted = scratch.resolve("uninterrupted");
    new SyntheticDeliveries(GeneratorSettings.defaults(60, 2, LocalDate.parse(DAY1), 5)).writeTo(landing, s -> {});
    GeolakeConfig killedConfig = config(killed, "catalog.name=" + killed.getFileName(), "landing=" + landing);
    GeolakeConfig referenceConfig = config(uninterrupted, "catalog.name=" + uninterrupted.getFileName(), "landing=" + landing);
    // What is under test is the killed process: the runs before it and the reference run here, in
    // this JVM's session, which saves a Spark start-up per run.
    new DailyRun(catalog(killedConfig), killedConfig, RunListener.NONE).run(LocalDate.parse(DAY1));
    LakehouseCatalog reference = catalog(referenceConfig);
    new DailyRun(reference, referenceConfig, RunListener.NONE).run(LocalDate.parse(DAY1));
    new DailyRun(reference, referenceConfig, RunListener.NONE).run(LocalDate.parse(DAY2));

    // Each attempt resumes the last one and is killed once the next step has started.
    List<String> interrupted = new ArrayList<>();
    for (String step : List.of("ingest", "stage", "features", "publish")) {
      ChildGeolake child = ChildGeolake.start(scratch, run(DAY2, killed, landing));
      if (child.awaitError("[" + DAY2 + "] " + step + " ...", Duration.ofMinutes(3)) && child.isAlive()) {
        Thread.sleep(step.equals("publish") ? 200 : 1500);
        if (child.isAlive()) {
          child.kill();
          interrupted.add(step);
          continue;
        }
      }
      child.await();
    }
    assertThat(interrupted).as("steps the kills landed in").contains("ingest", "stage", "features");
    ChildGeolake.Result resumed = ChildGeolake.run(scratch, run(DAY2, killed, landing));
    assertThat(resumed.code()).as(resumed.err()).isZero();

    RunRecord run = new RunStore(killedConfig).latest(LocalDate.parse(DAY2)).orElseThrow();
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(run.attempt()).isGreaterThan(interrupted.size());
    Map<String, List<String>> expected = contents(reference);
    Map<String, List<String>> actual = contents(catalog(killedConfig));
    actual.forEach((table, rows) -> assertThat(rows).as(table).containsExactlyInAnyOrderElementsOf(expected.get(table)));
    assertThat(expected.get("staging.pings")).hasSizeGreaterThan(1000);
  }

  @Test
  void twoProcessesRunningTheSameDateExactlyOneProceeds() throws Exception {
    Path landing = scratch.resolve("landing");
    Path lake = scratch.resolve("lake");
    new SyntheticDeliveries(GeneratorSettings.defaults(20, 1, LocalDate.parse(DAY1), 6)).writeTo(landing, s -> {});
    ChildGeolake a = ChildGeolake.start(scratch, run(DAY1, lake, landing));
    ChildGeolake b = ChildGeolake.start(scratch, run(DAY1, lake, landing));
    ChildGeolake.Result first = a.await();
    ChildGeolake.Result second = b.await();

    assertThat(List.of(first.code(), second.code())).containsExactlyInAnyOrder(0, ExitCodes.RUN_FAILED);
    ChildGeolake.Result refused = first.code() == 0 ? second : first;
    assertThat(refused.err()).contains("another run holds the lock", "the run of " + DAY1, "process ");
    assertThat(new RunStore(config(lake)).runs(LocalDate.parse(DAY1), 10)).hasSize(1);
  }

  /** The arguments of a run of one date; the catalog is named after the lake so that both can be open here at once. */
  private static String[] run(String date, Path lake, Path landing) {
    return new String[] {
      "run", "--date", date, "--data", lake.toString(), "--landing", landing.toString(), "--set", "catalog.name=" + lake.getFileName()
    };
  }

  private static Map<String, List<String>> contents(LakehouseCatalog catalog) {
    return TableContents.of(catalog, Set.of());
  }
}
