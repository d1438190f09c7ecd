package io.geolake.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.schema.Tables;
import io.geolake.pipeline.testing.PostgresServer;
import io.geolake.restfixture.RestCatalogServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar runs through spark-submit on a real Spark standalone cluster, in the shape of a
 * production one: nothing of geolake is on the cluster's classpath (only Spark's jars and the S3A
 * connector), the executors are processes the worker starts and get geolake's classes (parsers,
 * H3, Sedona, Iceberg) from the jar, deliveries and the warehouse are in S3 (an S3-compatible
 * server), and the Iceberg catalog and run store are in PostgreSQL, as several hosts share them,
 * reached the way the AWS deployment does: through the AWS JDBC wrapper, with the user and password
 * taken from a Secrets Manager endpoint.
 */
class TestSparkSubmit {
  private static final String MAIN = "io.geolake.cli.Main";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failure keeps the cluster's, S3's and the submits' logs
  Path scratch;

  @Test
  void theDailyRunCompletesOnAStandaloneClusterOverS3FromTheShadedJar() throws Exception {
    Path jar = Path.of(System.getProperty("geolake.sparkJar"));
    assertThat(jar).exists();
    List<String> sparkClasspath = classpath("geolake.sparkClasspath");
    assertThat(sparkClasspath).noneMatch(p -> p.contains("geolake") || p.contains("iceberg") || p.contains("sedona"));
    List<String> installation = new ArrayList<>(sparkClasspath);
    installation.addAll(classpath("geolake.s3ConnectorClasspath"));

    // The database belongs to a role only the secret names: the URI geolake is given has no user.
    String database = "lake_" + Long.toHexString(System.nanoTime());
    String role = "job_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(PostgresServer.jdbcUrl()); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'from-the-secret'");
      s.execute("CREATE DATABASE " + database + " OWNER " + role);
    }
    String url = PostgresServer.jdbcUrl().replace("/postgres?", "/" + database + "?");

    try (SecretsManagerServer secrets = new SecretsManagerServer("geolake-db", role, "from-the-secret");
        S3Server s3 = new S3Server(scratch, Path.of(Files.readString(Path.of(System.getProperty("geolake.s3ProxyJar"))).trim()));
        StandaloneCluster cluster = new StandaloneCluster(scratch, installation)) {
      // As the deployed config does (geolake-infra): PostgreSQL through the AWS JDBC wrapper, credentials from Secrets Manager.
      URI server = URI.create(url.substring("jdbc:".length()));
      String wrapped = "jdbc:aws-wrapper:postgresql://" + server.getHost() + ":" + server.getPort() + "/" + database
          + "?wrapperPlugins=awsSecretsManager&secretsManagerSecretId=geolake-db&secretsManagerRegion=" + SecretsManagerServer.REGION
          + "&secretsManagerEndpoint=" + secrets.endpoint();
      String[] lake = {"--data", "s3a://lake/geolake", "--set", "catalog.uri=" + wrapped, "--set", "runs.uri=" + wrapped};
      Map<String, String> aws = SecretsManagerServer.credentials();
      Path bucket = s3.bucket("lake");
      // A vendor's delivery, uploaded into the bucket's landing folder.
      Path delivery = scratch.resolve("delivery");
      StandaloneCluster.Submitted generated = cluster.submit(jar, MAIN, scratch, List.of(),
          "generate", "--out", delivery.toString(), "--devices", "6", "--days", "1", "--start", "2024-05-06", "--seed", "5");
      assertThat(generated.code()).as(generated.err()).isZero();
      s3.upload(delivery, "s3a://lake/geolake/landing");

      StandaloneCluster.Submitted run = cluster.submit(jar, MAIN, scratch, s3.sparkConf(), aws, concat(new String[] {"run", "--date", "2024-05-06"}, lake));
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("== 2024-05-06", "staging rows by day", "quality");
      assertThat(run.err()).contains("Connected to Spark cluster", "Granted executor ID");

      StandaloneCluster.Submitted sql = cluster.submit(jar, MAIN, scratch, s3.sparkConf(), aws,
          concat(new String[] {"sql", "--format", "csv", "SELECT count(*) AS n FROM staging.pings"}, lake));
      assertThat(sql.code()).as(sql.err()).isZero();
      long staged = Long.parseLong(sql.out().lines().toList().get(1));
      assertThat(staged).isPositive();
      assertThat(run.out()).contains(String.format("%,d", staged));

      // Every table's files are objects in the bucket; the catalog and the runs are in PostgreSQL.
      try (Stream<Path> objects = Files.walk(bucket.resolve("geolake/warehouse/staging/pings/data"))) {
        assertThat(objects.filter(p -> p.toString().endsWith(".parquet")).count()).isPositive();
      }
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM iceberg_tables WHERE metadata_location LIKE 's3a://lake/geolake/warehouse/%'),"
              + " (SELECT count(*) FROM geolake_runs WHERE state = 'SUCCEEDED')")) {
        r.next();
        assertThat(r.getInt(1)).isEqualTo(Tables.ALL.size());
        assertThat(r.getInt(2)).isEqualTo(1);
      }
      // The catalog's and the run store's tables were created by the role the secret named.
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT tablename, tableowner FROM pg_tables WHERE tablename IN ('iceberg_tables', 'geolake_runs') ORDER BY 1")) {
        List<String> owners = new ArrayList<>();
        while (r.next()) {
          owners.add(r.getString(1) + "=" + r.getString(2));
        }
        assertThat(owners).containsExactly("geolake_runs=" + role, "iceberg_tables=" + role);
      }
      assertThat(secrets.rejected).isEmpty();
      assertThat(secrets.served).isNotEmpty();

      // The same jar with the catalog in AWS Glue's shape (geolake-infra's catalog=glue): an Iceberg REST
      // endpoint that serves only requests SigV4-signed for glue, the tables' files in the bucket.
      String restDatabase = database + "_rest";
      try (Connection c = DriverManager.getConnection(PostgresServer.jdbcUrl()); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + restDatabase + " OWNER " + role);
      }
      Path site = Files.createDirectories(scratch.resolve("rest-catalog-site"));
      Files.writeString(site.resolve("core-site.xml"), s3.hadoopSite());
      List<String> serverExtras = new ArrayList<>(classpath("geolake.s3ConnectorClasspath"));
      serverExtras.add(site.toString());
      try (RestCatalogServer rest = RestCatalogServer.start(scratch.resolve("rest-catalog"), serverExtras);
          SigV4CatalogEndpoint glue = new SigV4CatalogEndpoint(rest.uri())) {
        String[] glueLake = {"--data", "s3a://lake/glue-lake", "--set", "landing=s3a://lake/geolake/landing",
            "--set", "catalog.type=rest", "--set", "catalog.uri=" + glue.uri(), "--set", "catalog.warehouse=000000000000",
            "--set", "catalog.properties.rest.sigv4-enabled=true", "--set", "catalog.properties.rest.signing-name=glue",
            "--set", "catalog.properties.rest.signing-region=" + SecretsManagerServer.REGION,
            "--set", "runs.uri=" + wrapped.replace("/" + database + "?", "/" + restDatabase + "?")};
        StandaloneCluster.Submitted restRun = cluster.submit(jar, MAIN, scratch, s3.sparkConf(), aws, concat(new String[] {"run", "--date", "2024-05-06"}, glueLake));
        assertThat(restRun.code()).as(restRun.err()).isZero();
        // The same delivery and rules as the first lake: the same rows staged.
        assertThat(restRun.out()).contains("== 2024-05-06", String.format("%,d", staged));
        assertThat(glue.rejected).isEmpty();
        assertThat(glue.served).anyMatch(r -> r.startsWith("POST /iceberg/v1/namespaces/staging/tables/pings"));
        // An unsigned request is refused: the endpoint checks what the jar sends.
        java.net.http.HttpResponse<String> unsigned = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(URI.create(glue.uri() + "/v1/config")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        // The tables are the REST server's, their files objects in the bucket.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rest.catalogDatabase()); Statement s = c.createStatement();
            ResultSet r = s.executeQuery("SELECT count(*) FROM iceberg_tables WHERE metadata_location LIKE 's3a://lake/glue-lake/warehouse/%'")) {
          r.next();
          assertThat(r.getInt(1)).isEqualTo(Tables.ALL.size());
        }
        try (Stream<Path> objects = Files.walk(bucket.resolve("glue-lake/warehouse/staging/pings/data"))) {
          assertThat(objects.filter(p -> p.toString().endsWith(".parquet")).count()).isPositive();
        }
      }

      // The work ran in executors the worker started, one folder per application.
      List<Path> executorLogs = executorLogs(cluster.workDir());
      assertThat(executorLogs).hasSizeGreaterThanOrEqualTo(2);
      assertThat(executorLogs).anySatisfy(log -> assertThat(Files.readString(log)).contains("Finished task"));
    }
  }

  private static List<String> classpath(String property) throws IOException {
    return Arrays.asList(Files.readString(Path.of(System.getProperty(property))).trim().split(":"));
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
