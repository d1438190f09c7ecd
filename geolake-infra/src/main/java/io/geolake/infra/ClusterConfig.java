package io.geolake.infra;

/**
 * The geolake config file the deployed jobs run with ({@code --config geolake.yaml}), written from
 * the stack's resources. The values may be CDK tokens; they are resolved when the file is deployed.
 *
 * <p>The catalog and the run store share one PostgreSQL database, reached through the AWS Advanced
 * JDBC Wrapper with its Secrets Manager plugin: the password stays in Secrets Manager and the job's
 * role reads it, so neither this file nor the job's arguments hold one.
 *
 * @param lakeBucket the bucket of the warehouse and the model registry
 * @param landingBucket the bucket deliveries land in, as {@code <source>/dt=YYYY-MM-DD/}
 * @param databaseHost the database endpoint's address
 * @param databasePort the database endpoint's port
 * @param databaseSecretArn the secret holding the database's username and password
 * @param alertTopicArn the SNS topic geolake's alerts go to
 * @param region the stack's region
 */
public record ClusterConfig(
    String lakeBucket,
    String landingBucket,
    String databaseHost,
    String databasePort,
    String databaseSecretArn,
    String alertTopicArn,
    String region) {

  /** The database name created in the instance, holding the Iceberg catalog and the run records. */
  public static final String DATABASE = "geolake";

  /** JDBC URI of the catalog and run store: PostgreSQL through the wrapper, credentials from Secrets Manager. */
  public String jdbcUri() {
    return "jdbc:aws-wrapper:postgresql://" + databaseHost + ":" + databasePort + "/" + DATABASE
        + "?wrapperPlugins=awsSecretsManager"
        + "&secretsManagerSecretId=" + databaseSecretArn
        + "&secretsManagerRegion=" + region;
  }

  /** The YAML text of the config file. */
  public String yaml() {
    return String.join("\n",
        "# Written by geolake-infra's GeolakeStack on deployment; change the stack, not this file.",
        "data: s3://" + lakeBucket + "/geolake",
        "landing: s3://" + landingBucket,
        "catalog:",
        "  uri: \"" + jdbcUri() + "\"",
        "runs:",
        "  uri: \"" + jdbcUri() + "\"",
        "alerts:",
        "  sns:",
        "    topic-arn: \"" + alertTopicArn + "\"",
        "    region: \"" + region + "\"",
        "");
  }
}
