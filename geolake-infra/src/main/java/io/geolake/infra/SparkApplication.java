package io.geolake.infra;

import io.geolake.core.schema.Layer;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.emrserverless.CfnApplication;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The EMR Serverless Spark application the daily run is submitted to, and the role its jobs run
 * as. The role reads landing (never writes it), reads and writes the lake, reads the jar and config
 * and writes logs under artifacts, reads the database secret, publishes alerts and, with the Glue
 * catalog, uses geolake's Glue databases and tables — nothing else.
 */
public final class SparkApplication extends Construct {

  /** Where the jobs' driver and executor logs go, under the artifacts bucket. */
  public static final String LOG_PREFIX = "logs/";

  private final CfnApplication application;
  private final Role jobRole;

  public SparkApplication(
      Construct scope, String id, DeploymentSettings settings, IVpc vpc, ISecurityGroup jobs, LakeBuckets buckets, ISecret databaseSecret, ITopic alerts) {
    super(scope, id);
    application = CfnApplication.Builder.create(this, "Application")
        .name("geolake")
        .type("SPARK")
        .releaseLabel(settings.emrRelease())
        .autoStartConfiguration(CfnApplication.AutoStartConfigurationProperty.builder().enabled(true).build())
        .autoStopConfiguration(CfnApplication.AutoStopConfigurationProperty.builder().enabled(true).idleTimeoutMinutes(15).build())
        .maximumCapacity(CfnApplication.MaximumAllowedResourcesProperty.builder()
            .cpu(settings.maxVcpu() + " vCPU")
            .memory(settings.maxVcpu() * 4 + " GB")
            .build())
        .networkConfiguration(CfnApplication.NetworkConfigurationProperty.builder()
            .subnetIds(vpc.selectSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds())
            .securityGroupIds(List.of(jobs.getSecurityGroupId()))
            .build())
        .build();

    jobRole = Role.Builder.create(this, "JobRole")
        .assumedBy(new ServicePrincipal("emr-serverless.amazonaws.com"))
        .description("geolake's Spark jobs on EMR Serverless")
        .build();
    buckets.landing().grantRead(jobRole);
    buckets.lake().grantReadWrite(jobRole);
    buckets.artifacts().grantRead(jobRole);
    buckets.artifacts().grantPut(jobRole, LOG_PREFIX + "*");
    databaseSecret.grantRead(jobRole);
    alerts.grantPublish(jobRole);
    if (settings.glueCatalog()) {
      jobRole.addToPolicy(glueCatalogAccess());
    }
  }

  /**
   * What the Glue Iceberg REST endpoint asks of geolake's calls, on geolake's databases (one per
   * layer) and their tables only: read the catalog, create the databases and tables once, load and
   * commit tables. No deletes: geolake never drops a table.
   */
  private PolicyStatement glueCatalogAccess() {
    Stack stack = Stack.of(this);
    List<String> resources = new ArrayList<>();
    resources.add(stack.formatArn(ArnComponents.builder().service("glue").resource("catalog").build()));
    for (Layer layer : Layer.values()) {
      resources.add(stack.formatArn(ArnComponents.builder().service("glue").resource("database").resourceName(layer.namespace()).build()));
      resources.add(stack.formatArn(ArnComponents.builder().service("glue").resource("table").resourceName(layer.namespace() + "/*").build()));
    }
    return PolicyStatement.Builder.create()
        .actions(List.of("glue:GetCatalog", "glue:GetDatabase", "glue:GetDatabases", "glue:CreateDatabase",
            "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable"))
        .resources(resources)
        .build();
  }

  public String applicationId() {
    return application.getAttrApplicationId();
  }

  public String applicationArn() {
    return application.getAttrArn();
  }

  public IRole jobRole() {
    return jobRole;
  }
}
