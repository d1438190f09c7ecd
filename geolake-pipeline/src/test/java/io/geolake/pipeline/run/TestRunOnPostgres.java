package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daily run whose run store is a shared PostgreSQL database: recorded there, under a lease it gives back. */
class TestRunOnPostgres extends BaseSparkTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void aRunRecordsItsStepsInPostgresqlUnderALeaseItReleases() throws Exception {
    String url = PostgresServer.jdbcUrl();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS geolake_runs, geolake_steps, geolake_locks");
    }
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, DAY, 12)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config = config(data, "runs.uri=" + url);

    RunReport report = new DailyRun(catalog(config), config, RunListener.NONE).run(DAY);

    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT run_id, state FROM geolake_runs")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo(report.runId());
        assertThat(r.getString(2)).isEqualTo("SUCCEEDED");
        assertThat(r.next()).isFalse();
      }
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM geolake_steps WHERE run_id = '" + report.runId() + "' AND state = 'SUCCEEDED'")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(DailyRun.STEPS.size() + 1); // and the branch record
      }
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM geolake_locks")) {
        r.next();
        assertThat(r.getInt(1)).isZero(); // the lease was released
      }
    }
    // No SQLite run store was made in the data folder.
    assertThat(data.resolve("runs.db")).doesNotExist();
  }
}
