package io.geolake.infra;

import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * geolake on AWS: deliveries land in S3, the daily run is the cluster jar on EMR Serverless,
 * started by a schedule or a complete delivery through Step Functions (maintenance and model X's
 * training on schedules of their own), with the Iceberg catalog
 * and run records in PostgreSQL (RDS), the lake in S3, and alerts and SLA alarms on one SNS topic.
 */
public final class GeolakeStack extends Stack {

  private final LakeBuckets buckets;
  private final DailyRunWorkflow dailyRun;
  private final ScheduledChores chores;
  private final Topic alerts;

  public GeolakeStack(Construct scope, String id, StackProps props, DeploymentSettings settings) {
    super(scope, id, props);
    // One NAT gateway for Secrets Manager, SNS and CloudWatch; S3 traffic takes the free gateway endpoint.
    Vpc vpc = Vpc.Builder.create(this, "Network").maxAzs(2).natGateways(1).build();
    vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build());
    vpc.addFlowLog("FlowLog");
    SecurityGroup jobs = SecurityGroup.Builder.create(this, "SparkJobs")
        .vpc(vpc)
        .description("Spark jobs of geolake on EMR Serverless")
        .allowAllOutbound(true)
        .build();

    buckets = new LakeBuckets(this, "Buckets");
    alerts = Topic.Builder.create(this, "Alerts").displayName("geolake alerts").enforceSsl(true).build();
    if (!settings.alertEmail().isEmpty()) {
      alerts.addSubscription(new EmailSubscription(settings.alertEmail()));
    }
    RunDatabase database = new RunDatabase(this, "Database", vpc, jobs, settings.databaseInstanceType());
    SparkApplication spark = new SparkApplication(this, "Spark", settings, vpc, jobs, buckets, database.secret(), alerts);

    ClusterConfig config = new ClusterConfig(
        buckets.lake().getBucketName(),
        buckets.landing().getBucketName(),
        database.host(),
        database.port(),
        database.secret().getSecretArn(),
        alerts.getTopicArn(),
        getRegion(),
        getAccount(),
        getUrlSuffix(),
        settings.glueCatalog());
    BucketDeployment.Builder.create(this, "Config")
        .sources(List.of(Source.data("geolake.yaml", config.yaml())))
        .destinationBucket(buckets.artifacts())
        .destinationKeyPrefix("config/")
        .build();

    dailyRun = new DailyRunWorkflow(this, "DailyRun", settings, spark, buckets);
    new RunAlarms(this, "Alarms", dailyRun.stateMachine(), alerts, settings.slaHours());
    chores = new ScheduledChores(this, "Chores", settings, spark, buckets, alerts);
    SecurityReview.suppressReviewedFindings(this, spark, List.of(dailyRun.stateMachine(), chores.stateMachine()), buckets, database);

    output("LandingBucket", buckets.landing().getBucketName(), "Deliveries go to s3://<this>/<source>/dt=YYYY-MM-DD/");
    output("LakeBucket", buckets.lake().getBucketName(), "The warehouse and model registry, under geolake/");
    output("UploadJar", "aws s3 cp geolake-dist/target/geolake-spark-0.1.0-SNAPSHOT.jar " + buckets.artifacts().s3UrlForObject(GeolakeJob.JAR_KEY),
        "Upload the cluster jar before the first run");
    output("RunDate", "aws stepfunctions start-execution --state-machine-arn " + dailyRun.stateMachine().getStateMachineArn()
        + " --input '{\"date\":\"YYYY-MM-DD\"}'", "Run (or re-run) a date by hand");
    output("AlertTopic", alerts.getTopicArn(), "Alerts and alarms; subscribe to it");
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  public LakeBuckets buckets() {
    return buckets;
  }

  public Topic alerts() {
    return alerts;
  }

  public DailyRunWorkflow dailyRun() {
    return dailyRun;
  }

  public ScheduledChores chores() {
    return chores;
  }
}
