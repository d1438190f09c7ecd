package io.geolake.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file the stack deploys passes geolake's own config validation and means what the stack wants. */
class TestClusterConfig {

  private static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:geolake-db-AbCdEf";

  @Test
  void theDeployedConfigIsValidGeolakeConfigForTheStacksResources(@TempDir Path folder) throws Exception {
    ClusterConfig cluster = new ClusterConfig(
        "geolake-lake-1a2b", "geolake-landing-3c4d", "geolake-db.abc.eu-west-1.rds.amazonaws.com", "5432", SECRET,
        "arn:aws:sns:eu-west-1:123456789012:geolake-alerts", "eu-west-1", "123456789012", "amazonaws.com", false);
    Path file = Files.writeString(folder.resolve("geolake.yaml"), cluster.yaml());

    GeolakeConfig config = ConfigLoader.load(file, List.of());
    Locations locations = Locations.of(config);

    assertThat(locations.data()).isEqualTo(URI.create("s3://geolake-lake-1a2b/geolake"));
    assertThat(locations.landing()).isEqualTo(URI.create("s3://geolake-landing-3c4d"));
    String expectedUri = "jdbc:aws-wrapper:postgresql://geolake-db.abc.eu-west-1.rds.amazonaws.com:5432/geolake"
        + "?wrapperPlugins=awsSecretsManager&secretsManagerSecretId=" + SECRET + "&secretsManagerRegion=eu-west-1";
    assertThat(config.catalog().type()).isEqualTo(GeolakeConfig.CatalogType.JDBC);
    assertThat(locations.catalogUri()).isEqualTo(expectedUri);
    assertThat(locations.runStoreUri()).isEqualTo(expectedUri);
    assertThat(config.alerts().sns().topicArn()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:geolake-alerts");
    assertThat(config.alerts().sns().region()).isEqualTo("eu-west-1");
    // No password anywhere in the file: the wrapper reads it from the secret with the job's role.
    assertThat(cluster.yaml()).doesNotContainIgnoringCase("password");
  }

  @Test
  void withTheGlueCatalogTheTablesGoToGluesIcebergEndpointSignedForGlue(@TempDir Path folder) throws Exception {
    ClusterConfig cluster = new ClusterConfig(
        "geolake-lake-1a2b", "geolake-landing-3c4d", "geolake-db.abc.eu-west-1.rds.amazonaws.com", "5432", SECRET,
        "arn:aws:sns:eu-west-1:123456789012:geolake-alerts", "eu-west-1", "123456789012", "amazonaws.com", true);

    GeolakeConfig config = ConfigLoader.load(Files.writeString(folder.resolve("geolake.yaml"), cluster.yaml()), List.of());
    Locations locations = Locations.of(config);

    assertThat(config.catalog().type()).isEqualTo(GeolakeConfig.CatalogType.REST);
    assertThat(config.catalog().uri()).isEqualTo("https://glue.eu-west-1.amazonaws.com/iceberg");
    assertThat(config.catalog().warehouse()).isEqualTo("123456789012");
    assertThat(config.catalog().tableLocation()).isEqualTo(GeolakeConfig.TableLocation.DATA);
    assertThat(config.catalog().properties()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "rest.sigv4-enabled", "true", "rest.signing-name", "glue", "rest.signing-region", "eu-west-1"));
    // The tables' files under the lake bucket; the run records still in the database.
    assertThat(locations.warehouse()).isEqualTo(URI.create("s3://geolake-lake-1a2b/geolake/warehouse"));
    assertThat(locations.runStoreUri()).startsWith("jdbc:aws-wrapper:postgresql://geolake-db.abc.eu-west-1.rds.amazonaws.com:5432/geolake");
  }
}
