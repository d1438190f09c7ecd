package io.geolake.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.schema.Tables;
import io.geolake.pipeline.testing.PostgresServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar runs on a real Spark standalone cluster through spark-submit, as on a cluster of
 * machines: nothing of geolake is on the cluster's classpath, the executors are processes the
 * worker starts, and they get geolake's classes (parsers, H3, Sedona, Iceberg) from the jar. The
 * Iceberg catalog and the run store are in PostgreSQL, as several hosts would share them.
 */
class TestSparkSubmit {
  @TempDir Path scratch;

  @Test
  void theDailyRunCompletesOnAStandaloneClusterFromTheShadedJar() throws Exception {
    Path jar = Path.of(System.getProperty("geolake.sparkJar"));
    assertThat(jar).exists();
    List<String> sparkClasspath = Arrays.asList(Files.readString(Path.of(System.getProperty("geolake.sparkClasspath"))).trim().split(":"));
    assertThat(sparkClasspath).noneMatch(p -> p.contains("geolake") || p.contains("iceberg") || p.contains("sedona"));
    Path data = scratch.resolve("data");
    String database = "lake_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(PostgresServer.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    String url = PostgresServer.jdbcUrl().replace("/postgres?", "/" + database + "?");
    String[] shared = {"--data", data.toString(), "--set", "catalog.uri=" + url, "--set", "runs.uri=" + url};
    try (StandaloneCluster cluster = new StandaloneCluster(scratch, sparkClasspath)) {
      StandaloneCluster.Submitted generated = cluster.submit(jar, "io.geolake.cli.Main", scratch,
          "generate", "--data", data.toString(), "--devices", "6", "--days", "1", "--start", "2024-05-06", "--seed", "5");
      assertThat(generated.code()).as(generated.err()).isZero();

      StandaloneCluster.Submitted run = cluster.submit(jar, "io.geolake.cli.Main", scratch, concat(new String[] {"run", "--date", "2024-05-06"}, shared));
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("== 2024-05-06", "staging rows by day", "quality");
      assertThat(run.err()).contains("Connected to Spark cluster", "Granted executor ID");

      StandaloneCluster.Submitted sql = cluster.submit(jar, "io.geolake.cli.Main", scratch,
          concat(new String[] {"sql", "--format", "csv", "SELECT count(*) AS n FROM staging.pings"}, shared));
      assertThat(sql.code()).as(sql.err()).isZero();
      assertThat(Long.parseLong(sql.out().lines().toList().get(1))).isPositive();

      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM iceberg_tables), (SELECT count(*) FROM geolake_runs WHERE state = 'SUCCEEDED')")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(Tables.ALL.size());
        assertThat(r.getInt(2)).isEqualTo(1);
      }
      assertThat(data.resolve("catalog.db")).doesNotExist();
      assertThat(data.resolve("runs.db")).doesNotExist();

      // The work ran in executors the worker started, one folder per application.
      List<Path> executorLogs = executorLogs(cluster.workDir());
      assertThat(executorLogs).hasSizeGreaterThanOrEqualTo(2);
      assertThat(executorLogs).anySatisfy(log -> assertThat(Files.readString(log)).contains("Finished task"));
    }
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
  }

  private static List<Path> executorLogs(Path workDir) throws IOException {
    try (Stream<Path> files = Files.walk(workDir)) {
      return files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
    }
  }
}
