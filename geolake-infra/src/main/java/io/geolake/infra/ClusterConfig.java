package io.geolake.infra;

import java.util.ArrayList;
import java.util.List;

/**
 * The geolake config file the deployed jobs run with ({@code --config geolake.yaml}), written from
 * the stack's resources. The values may be CDK tokens; they are resolved when the file is deployed.
 *
 * <p>The run store, and the Iceberg catalog unless it is AWS Glue's, are one PostgreSQL database,
 * reached through the AWS Advanced JDBC Wrapper with its Secrets Manager plugin: the password stays
 * in Secrets Manager and the job's role reads it, so neither this file nor the job's arguments hold
 * one. The Glue Data Catalog is reached through its Iceberg REST endpoint, requests signed (SigV4)
 * with the job role's credentials.
 *
 * @param lakeBucket the bucket of the warehouse and the model registry
 * @param landingBucket the bucket deliveries land in, as {@code <source>/dt=YYYY-MM-DD/}
 * @param databaseHost the database endpoint's address
 * @param databasePort the database endpoint's port
 * @param databaseSecretArn the secret holding the database's username and password
 * @param alertTopicArn the SNS topic geolake's alerts go to
 * @param region the stack's region
 * @param account the stack's account, whose Glue Data Catalog holds the tables when {@code glueCatalog}
 * @param urlSuffix the region's domain for AWS endpoints ({@code amazonaws.com}; {@code amazonaws.com.cn} in China)
 * @param glueCatalog the tables are in the AWS Glue Data Catalog rather than in the database
 */
public record ClusterConfig(
    String lakeBucket,
    String landingBucket,
    String databaseHost,
    String databasePort,
    String databaseSecretArn,
    String alertTopicArn,
    String region,
    String account,
    String urlSuffix,
    boolean glueCatalog) {

  /** The database name created in the instance, holding the Iceberg catalog and the run records. */
  public static final String DATABASE = "geolake";

  /** JDBC URI of the catalog and run store: PostgreSQL through the wrapper, credentials from Secrets Manager. */
  public String jdbcUri() {
    return "jdbc:aws-wrapper:postgresql://" + databaseHost + ":" + databasePort + "/" + DATABASE
        + "?wrapperPlugins=awsSecretsManager"
        + "&secretsManagerSecretId=" + databaseSecretArn
        + "&secretsManagerRegion=" + region;
  }

  /** The Glue Data Catalog's Iceberg REST endpoint in the stack's region. */
  public String glueEndpoint() {
    return "https://glue." + region + "." + urlSuffix + "/iceberg";
  }

  /** The YAML text of the config file. */
  public String yaml() {
    List<String> catalog = glueCatalog
        ? List.of(
            "catalog:",
            "  type: rest",
            "  uri: \"" + glueEndpoint() + "\"",
            "  warehouse: \"" + account + "\"",
            "  properties:",
            "    rest.sigv4-enabled: \"true\"",
            "    rest.signing-name: glue",
            "    rest.signing-region: \"" + region + "\"")
        : List.of(
            "catalog:",
            "  uri: \"" + jdbcUri() + "\"");
    List<String> lines = new ArrayList<>(List.of(
        "# Written by geolake-infra's GeolakeStack on deployment; change the stack, not this file.",
        "data: s3://" + lakeBucket + "/geolake",
        "landing: s3://" + landingBucket));
    lines.addAll(catalog);
    lines.addAll(List.of(
        "runs:",
        "  uri: \"" + jdbcUri() + "\"",
        "alerts:",
        "  sns:",
        "    topic-arn: \"" + alertTopicArn + "\"",
        "    region: \"" + region + "\"",
        ""));
    return String.join("\n", lines);
  }
}
