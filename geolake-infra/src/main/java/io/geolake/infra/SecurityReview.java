package io.geolake.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.IConstruct;

/**
 * The AWS Solutions (cdk-nag) findings the stack keeps on purpose, each with its reason. Every
 * other finding fails synthesis ({@link GeolakeApp}) and the tests; suppressions are per resource,
 * so a new resource is checked in full.
 */
final class SecurityReview {

  private SecurityReview() {}

  static void suppressReviewedFindings(Stack stack, SparkApplication spark, List<StateMachine> stateMachines, LakeBuckets buckets, RunDatabase database) {
    suppress(spark.jobRole(), "AwsSolutions-IAM5",
        "Object-level S3 actions (Get/Put/Delete/Abort on objects, List/GetBucket) are granted on the three named buckets'"
            + " objects only (landing read-only, logs/ only in artifacts): Iceberg writes and deletes objects under names it chooses."
            + " With the Glue catalog, table actions are on the tables of geolake's own databases (table/<layer>/*), created by the runs.");
    for (StateMachine stateMachine : stateMachines) {
      suppress(stateMachine, "AwsSolutions-IAM5",
          "X-Ray tracing and log delivery need Resource *, as AWS documents for Step Functions; job-run actions are on this"
              + " application's jobruns/* only.");
    }
    suppress(buckets.artifacts(), "AwsSolutions-S1",
        "The artifacts bucket receives the other buckets' access logs; logging it into itself would log its own log writes.");
    suppress(database.instance(), "AwsSolutions-RDS3",
        "Single-AZ: the database holds the catalog and run records of a daily batch; an AZ outage fails a run, which is"
            + " retried and resumes from its failed step. Backups are kept 7 days.");
    suppress(database.instance(), "AwsSolutions-RDS11",
        "The default port is kept: only the Spark jobs' security group may connect, so another port would hide nothing.");
    // Lambda functions the CDK itself adds for the config upload, the bucket notifications and
    // emptying the artifacts bucket on deletion: their roles and runtimes are the CDK's.
    for (IConstruct cdkManaged : stack.getNode().getChildren()) {
      String id = cdkManaged.getNode().getId();
      if (id.startsWith("Custom::CDKBucketDeployment") || id.startsWith("BucketNotificationsHandler")) {
        suppress(cdkManaged, "AwsSolutions-IAM4", "The CDK's own handler uses the AWS-managed basic execution role for its logs.");
        suppress(cdkManaged, "AwsSolutions-IAM5", "The CDK's own handler copies the config from the CDK asset bucket into artifacts.");
        suppress(cdkManaged, "AwsSolutions-L1", "The CDK's own handler; its runtime moves with the CDK version.");
      }
    }
  }

  private static void suppress(IConstruct construct, String rule, String reason) {
    NagSuppressions.addResourceSuppressions(construct, List.of(NagPackSuppression.builder().id(rule).reason(reason).build()), true);
  }
}
