package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.ConfigException;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step that fails with a transient error runs again from where it started; a data error fails at once. */
class TestStepRetries extends BaseSparkTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  /** Throws the given error the first {@code times} times the step starts, after doing some damage. */
  private static final class Failing implements RunListener {
    private final String step;
    private final int times;
    private final Runnable damage;
    private final RuntimeException error;
    int starts;
    final List<String> retries = new ArrayList<>();

    Failing(String step, int times, Runnable damage, RuntimeException error) {
      this.step = step;
      this.times = times;
      this.damage = damage;
      this.error = error;
    }

    @Override
    public void stepStarted(LocalDate date, String name) {
      if (name.equals(step) && ++starts <= times) {
        damage.run();
        throw error;
      }
    }

    @Override
    public void stepRetrying(LocalDate date, String name, int failedAttempt, Duration wait, Throwable e) {
      retries.add(name + " attempt " + failedAttempt + " then " + wait);
    }
  }

  private GeolakeConfig config() {
    new SyntheticDeliveries(GeneratorSettings.defaults(5, 1, DAY, 31)).writeTo(data.resolve("landing"), s -> {});
    return config(data, "runs.retry.max-attempts=3", "runs.retry.backoff=PT0.1S", "runs.retry.max-backoff=PT0.15S");
  }

  @Test
  void aTransientFailureIsRetriedWithBackoffFromWhereTheStepStartedAndTheRunSucceeds() {
    GeolakeConfig config = config();
    LakehouseCatalog catalog = catalog(config);
    // Each failing attempt first commits damage to the run's branch (it empties raw.pings, the
    // stage step's input): a retry that started from there would stage nothing.
    Failing conflicts =
        new Failing("stage", 2, () -> spark.sql("DELETE FROM " + catalog.qualified(Tables.RAW_PINGS) + " WHERE true"),
            new CommitFailedException("injected: Cannot commit staging.pings: metadata location changed"));

    RunReport report = new DailyRun(catalog, config, conflicts).run(DAY);

    assertThat(conflicts.retries).containsExactly("stage attempt 1 then PT0.1S", "stage attempt 2 then PT0.15S");
    assertThat(report.stage().inserted()).isPositive();
    assertThat(count("SELECT count(*) FROM " + catalog.qualified(Tables.STAGING_PINGS))).isEqualTo(report.stage().inserted());
    assertThat(count("SELECT count(*) FROM " + catalog.qualified(Tables.RAW_PINGS))).isEqualTo(report.ingest().rawRows());
    RunStore store = new RunStore(config);
    RunRecord run = store.latest(DAY).orElseThrow();
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    StepRecord stage = store.steps(run.runId()).stream().filter(s -> s.step().equals("stage")).findFirst().orElseThrow();
    assertThat(stage.attempts()).isEqualTo(3);
    assertThat(stage.state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void aDataErrorFailsAtOnceAndATransientOneFailsAfterTheLastAttempt() {
    GeolakeConfig config = config();
    LakehouseCatalog catalog = catalog(config);
    Failing badData = new Failing("features", 5, () -> {}, new DataException("injected: the places file names no place"));
    assertThatThrownBy(() -> new DailyRun(catalog, config, badData).run(DAY)).hasMessageContaining("injected: the places file");
    assertThat(badData.retries).isEmpty();
    assertThat(badData.starts).isEqualTo(1);

    Failing io = new Failing("features", 5, () -> {}, new UncheckedIOException(new IOException("injected: connection reset")));
    assertThatThrownBy(() -> new DailyRun(catalog, config, io).run(DAY, true)).hasMessageContaining("connection reset");
    assertThat(io.starts).isEqualTo(3);
    RunStore store = new RunStore(config);
    StepRecord features =
        store.steps(store.latest(DAY).orElseThrow().runId()).stream().filter(s -> s.step().equals("features")).findFirst().orElseThrow();
    assertThat(features.attempts()).isEqualTo(3);
    assertThat(features.state()).isEqualTo(StepState.FAILED);
  }

  @Test
  void transientErrorsAreToldFromDataAndConfigErrors() {
    assertThat(TransientErrors.isTransient(new CommitFailedException("conflict"))).isTrue();
    assertThat(TransientErrors.isTransient(new RuntimeException(new IOException("disk")))).isTrue();
    assertThat(TransientErrors.isTransient(
        new SparkException("Job aborted due to stage failure: ... com.amazonaws.services.s3.model.AmazonS3Exception: Slow Down (Status Code: 503)")))
        .isTrue();
    assertThat(TransientErrors.isTransient(new SparkException("Job aborted: java.lang.NumberFormatException: For input string: x"))).isFalse();
    assertThat(TransientErrors.isTransient(new IllegalStateException("a bug"))).isFalse();
    DataException dataWithIoCause = new DataException("unreadable delivery");
    dataWithIoCause.initCause(new IOException("truncated gzip"));
    assertThat(TransientErrors.isTransient(dataWithIoCause)).isFalse();
    assertThat(TransientErrors.isTransient(new ConfigException("bad key"))).isFalse();
  }
}
