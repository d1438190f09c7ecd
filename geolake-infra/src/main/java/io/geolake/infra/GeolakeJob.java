package io.geolake.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.IChainable;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.QueryLanguage;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/** A geolake command run from the cluster jar on EMR Serverless by a Step Functions task, waited for. */
final class GeolakeJob {
  /** The cluster jar's key in the artifacts bucket; upload {@code geolake-dist}'s jar there. */
  static final String JAR_KEY = "jars/geolake-spark.jar";
  /** The config file's key in the artifacts bucket, written by the stack. */
  static final String CONFIG_KEY = "config/geolake.yaml";
  static final String MAIN_CLASS = "io.geolake.cli.Main";

  private GeolakeJob() {}

  /**
   * The task's state: {@code name} and {@code arguments} (the command line after {@code geolake},
   * without {@code --config}) are JSONata or literal values; the output keeps {@code output}.
   */
  static Map<String, Object> taskState(SparkApplication spark, IBucket artifacts, String name, Object arguments, String output) {
    return Map.of(
        "Type", "Task",
        "Resource", "arn:aws:states:::emr-serverless:startJobRun.sync",
        "Arguments", Map.of(
            "ApplicationId", spark.applicationId(),
            "ExecutionRoleArn", spark.jobRole().getRoleArn(),
            "Name", name,
            "JobDriver", Map.of("SparkSubmit", Map.of(
                "EntryPoint", artifacts.s3UrlForObject(JAR_KEY),
                "EntryPointArguments", arguments,
                "SparkSubmitParameters", "--class " + MAIN_CLASS + " --files " + artifacts.s3UrlForObject(CONFIG_KEY))),
            "ConfigurationOverrides", Map.of("MonitoringConfiguration", Map.of(
                "S3MonitoringConfiguration", Map.of("LogUri", artifacts.s3UrlForObject(SparkApplication.LOG_PREFIX))))),
        "Output", output);
  }

  /**
   * The state machine ({@code StateMachine} under {@code scope}) running {@code definition} in
   * JSONata, traced, every event logged for three months, allowed to run jobs of {@code spark}.
   */
  static StateMachine stateMachine(Construct scope, IChainable definition, Duration timeout, SparkApplication spark) {
    StateMachine stateMachine = StateMachine.Builder.create(scope, "StateMachine")
        .queryLanguage(QueryLanguage.JSONATA)
        .definitionBody(DefinitionBody.fromChainable(definition))
        .timeout(timeout)
        .tracingEnabled(true)
        .logs(LogOptions.builder()
            .destination(LogGroup.Builder.create(scope, "Log").retention(RetentionDays.THREE_MONTHS).build())
            .level(LogLevel.ALL)
            .build())
        .build();
    allowJobRuns(stateMachine, spark);
    return stateMachine;
  }

  /** The optimized EMR Serverless integration waits on a rule of its own, and passes the job role. */
  private static void allowJobRuns(StateMachine stateMachine, SparkApplication spark) {
    Stack stack = Stack.of(stateMachine);
    stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
        .actions(List.of("emr-serverless:StartJobRun", "emr-serverless:GetJobRun", "emr-serverless:CancelJobRun"))
        .resources(List.of(spark.applicationArn(), spark.applicationArn() + "/jobruns/*"))
        .build());
    stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
        .actions(List.of("iam:PassRole"))
        .resources(List.of(spark.jobRole().getRoleArn()))
        .build());
    stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
        .actions(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"))
        .resources(List.of("arn:" + stack.getPartition() + ":events:" + stack.getRegion() + ":" + stack.getAccount()
            + ":rule/StepFunctionsGetEventsForEMRServerlessJobRule"))
        .build());
  }
}
