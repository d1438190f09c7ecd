package io.geolake.pipeline.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.run.StepRecord;
import io.geolake.pipeline.run.StepState;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quality step: rules measured on the run date's data, results in ops.quality_results, error rules gate scoring. */
class TestQualityGates extends BaseSparkTest {
  private static final LocalDate DAY1 = LocalDate.of(2024, 5, 6);
  private static final LocalDate DAY2 = DAY1.plusDays(1);

  @TempDir Path data;

  private static final class StepsStarted implements RunListener {
    final List<String> started = new ArrayList<>();

    @Override
    public void stepStarted(LocalDate date, String step) {
      started.add(step);
    }
  }

  @Test
  void rulesAreMeasuredAndStoredAndAFailedErrorRuleStopsTheRunBeforeScoring() throws Exception {
    new SyntheticDeliveries(GeneratorSettings.defaults(10, 2, DAY1, 41)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    // A history of far larger days: today's row count is an anomaly (a warn rule: the run goes on).
    for (int d = 1; d <= 3; d++) {
      spark.sql("INSERT INTO " + catalog.qualified(Tables.QUALITY_RESULTS) + " VALUES (DATE '" + DAY1.minusDays(d)
          + "', 'old-run', 'staging_row_count', 'staging.pings', 'row-count', 'warn', " + (1_000_000 + d) + "D, NULL, NULL, true, 'planted', current_timestamp())");
    }

    RunReport first = new DailyRun(catalog, config, RunListener.NONE).run(DAY1);

    assertThat(first.quality().outcomes()).hasSize(config.quality().rules().size());
    assertThat(first.quality().failures()).extracting(RuleOutcome::rule).containsExactly("staging_row_count");
    RuleOutcome rowCount = first.quality().failures().get(0);
    assertThat(rowCount.metric()).isEqualTo((double) first.stage().inserted());
    assertThat(rowCount.detail()).contains("median of the last 3 dates 1000002");
    assertThat(rowCount.lowerBound()).isEqualTo(1_000_002 - 4 * 0.05 * 1_000_002, org.assertj.core.data.Offset.offset(1e-6));
    RuleOutcome unique = first.quality().outcomes().stream().filter(o -> o.rule().equals("staging_key_unique")).findFirst().orElseThrow();
    assertThat(unique.metric()).isZero();
    assertThat(unique.passed()).isTrue();
    List<Row> stored = sql("SELECT rule, passed, metric FROM %s WHERE logical_date = DATE '%s' ORDER BY rule", catalog.qualified(Tables.QUALITY_RESULTS), DAY1);
    assertThat(stored).hasSize(config.quality().rules().size());
    assertThat(stored).filteredOn(r -> !r.getBoolean(1)).extracting(r -> r.getString(0)).containsExactly("staging_row_count");

    // Day 2 with an error rule the data breaks (accuracy of at most 5 m) and a warn rule.
    Path rules = data.resolve("strict.yaml");
    Files.writeString(rules, """
        quality:
          rules:
            - {name: accuracy_within_5m, table: staging.pings, check: range, column: horizontal_accuracy, lower: 0, upper: 5, severity: error}
            - {name: key_unique, table: staging.pings, check: unique, columns: [device_id, event_ts], severity: error}
            - {name: huge_profiles, table: consumption.device_profiles, check: sql, predicate: "pings > 1000000", severity: warn}
        """);
    GeolakeConfig strict = ConfigLoader.load(rules, List.of("data=" + data, "catalog.name=" + config.catalog().name()));
    long stagingBefore = catalog.table(Tables.STAGING_PINGS).currentSnapshot().snapshotId();
    StepsStarted steps = new StepsStarted();

    assertThatThrownBy(() -> new DailyRun(catalog, strict, steps).run(DAY2))
        .isInstanceOf(QualityGateException.class)
        .hasMessageContaining("Data-quality gate failed for 2024-05-07: 1 error rule(s) failed, scoring not run")
        .hasMessageContaining("accuracy_within_5m (error): ")
        .hasMessageContaining(", below the minimum 1 — share of the ");

    assertThat(steps.started).containsExactly("ingest", "stage", "features", "quality"); // never score
    assertThat(catalog.table(Tables.STAGING_PINGS).currentSnapshot().snapshotId()).isEqualTo(stagingBefore);
    List<Row> evidence = sql("SELECT rule, passed FROM %s WHERE logical_date = DATE '%s' ORDER BY rule", catalog.qualified(Tables.QUALITY_RESULTS), DAY2);
    assertThat(evidence).extracting(r -> r.getString(0) + "=" + r.getBoolean(1))
        .containsExactly("accuracy_within_5m=false", "huge_profiles=false", "key_unique=true");
    RunStore store = new RunStore(strict);
    List<StepRecord> recorded = store.steps(store.latest(DAY2).orElseThrow().runId());
    assertThat(recorded).extracting(s -> s.step() + "=" + s.state())
        .containsExactly("branch=SUCCEEDED", "ingest=SUCCEEDED", "stage=SUCCEEDED", "features=SUCCEEDED", "quality=FAILED", "score=SKIPPED",
            "publish=SKIPPED");
    assertThat(recorded.get(6).error()).isEqualTo("not run: the quality gate failed");
    StepRecord quality = recorded.get(4);
    assertThat(quality.attempts()).isEqualTo(1); // a data error: not retried

    // With the default rules the date runs again from the start and is published.
    RunReport again = new DailyRun(catalog, config, RunListener.NONE).run(DAY2);
    assertThat(again.runId()).isEqualTo(DAY2 + "-2");
    assertThat(again.stage().inserted()).isPositive();
    assertThat(catalog.table(Tables.STAGING_PINGS).currentSnapshot().snapshotId()).isNotEqualTo(stagingBefore);
  }

  @Test
  void theRowCountBaselineIsTheMedianPlusOrMinusKMads() {
    RowCountBaseline b = RowCountBaseline.of(List.of(100.0, 130.0, 98.0, 101.0, 99.0, 104.0), 3).orElseThrow();
    assertThat(b.median()).isEqualTo(100.5);
    assertThat(b.mad()).isEqualTo(2.0); // |deviations| 0.5 29.5 2.5 0.5 1.5 3.5 -> median 2.0
    assertThat(b.lower()).isEqualTo(100.5 - 3 * 0.05 * 100.5, org.assertj.core.data.Offset.offset(1e-9)); // MAD floored at 5% of the median
    RowCountBaseline wide = RowCountBaseline.of(List.of(10.0, 50.0, 30.0), 2).orElseThrow();
    assertThat(wide.lower()).isEqualTo(30 - 2 * 20.0);
    assertThat(wide.upper()).isEqualTo(30 + 2 * 20.0);
    assertThat(RowCountBaseline.of(List.of(1.0, 2.0), 3)).isEmpty();
  }
}
