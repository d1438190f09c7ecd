package io.geolake.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.DatabaseInstance;
import software.amazon.awscdk.services.rds.DatabaseInstanceEngine;
import software.amazon.awscdk.services.rds.PostgresEngineVersion;
import software.amazon.awscdk.services.rds.PostgresInstanceEngineProps;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.constructs.Construct;

/**
 * PostgreSQL holding the Iceberg JDBC catalog and geolake's run records (runs, steps, leases,
 * incidents, query audit): the shared database a cluster needs, where the laptop uses SQLite files.
 * Private subnets only; only the Spark jobs' security group may connect; the generated password
 * lives in Secrets Manager.
 */
public final class RunDatabase extends Construct {

  private final DatabaseInstance instance;

  public RunDatabase(Construct scope, String id, IVpc vpc, ISecurityGroup clients, String instanceType) {
    super(scope, id);
    instance = DatabaseInstance.Builder.create(this, "Instance")
        .engine(DatabaseInstanceEngine.postgres(PostgresInstanceEngineProps.builder().version(PostgresEngineVersion.VER_16).build()))
        .instanceType(new InstanceType(instanceType))
        .vpc(vpc)
        .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
        .credentials(Credentials.fromGeneratedSecret("geolake"))
        .databaseName(ClusterConfig.DATABASE)
        .allocatedStorage(20)
        .storageEncrypted(true)
        .publiclyAccessible(false)
        .backupRetention(Duration.days(7))
        .deletionProtection(true)
        .removalPolicy(RemovalPolicy.SNAPSHOT)
        .build();
    instance.getConnections().allowDefaultPortFrom(clients, "geolake Spark jobs");
    // Rotated every 30 days; the JDBC wrapper reads the secret again when a login is refused.
    instance.addRotationSingleUser();
  }

  public String host() {
    return instance.getDbInstanceEndpointAddress();
  }

  public String port() {
    return instance.getDbInstanceEndpointPort();
  }

  DatabaseInstance instance() {
    return instance;
  }

  public ISecret secret() {
    return instance.getSecret();
  }
}
