package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestBackfill extends BaseSparkTest {
  private static final LocalDate START = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  private static final class Started implements Backfill.Progress {
    final List<LocalDate> dates = new ArrayList<>();

    @Override
    public void dateStarted(LocalDate date, int index, int total) {
      dates.add(date);
    }

    @Override
    public void dateFinished(Backfill.Outcome outcome, int index, int total) {}
  }

  @Test
  void runsDatesInOrderSkipsSucceededOnesAndStopsAtAFailure() {
    new SyntheticDeliveries(GeneratorSettings.defaults(5, 3, START, 31)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    RunStore store = new RunStore(config);
    LocalDate last = START.plusDays(2);

    // The middle date fails once, at its stage step: the backfill stops there.
    RunListener failSecondStage =
        new RunListener() {
          private boolean failed;

          @Override
          public void stepStarted(LocalDate date, String step) {
            if (date.equals(START.plusDays(1)) && step.equals("stage") && !failed) {
              failed = true;
              throw new IllegalStateException("injected failure");
            }
          }
        };
    Backfill backfill = new Backfill(new DailyRun(catalog, config, failSecondStage), store);
    Started first = new Started();
    List<Backfill.Outcome> stopped = backfill.run(START, last, false, first);
    assertThat(stopped).extracting(Backfill.Outcome::status).containsExactly("succeeded", "failed", "not run (an earlier date failed)");
    assertThat(first.dates).containsExactly(START, START.plusDays(1));

    // Again: the succeeded date is skipped, the failed one resumed, the last one run.
    Started second = new Started();
    List<Backfill.Outcome> resumed = backfill.run(START, last, false, second);
    assertThat(resumed).extracting(Backfill.Outcome::status)
        .containsExactly("skipped (succeeded as run " + START + "-1)", "resumed, succeeded", "succeeded");
    assertThat(second.dates).containsExactly(START.plusDays(1), last);

    Started forced = new Started();
    assertThat(backfill.run(START, last, true, forced)).extracting(Backfill.Outcome::status).containsOnly("succeeded");
    assertThat(forced.dates).containsExactly(START, START.plusDays(1), last);
    assertThat(store.runs(START, 10)).hasSize(2);
  }
}
