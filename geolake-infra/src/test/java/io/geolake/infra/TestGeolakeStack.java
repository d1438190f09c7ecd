package io.geolake.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.IConstruct;

/** The stack synthesized once (the way {@code cdk synth} does) and its CloudFormation template checked. */
class TestGeolakeStack {

  private static final ObjectMapper JSON = SynthesizedStack.JSON;
  private static SynthesizedStack synthesized;
  private static GeolakeStack stack;
  private static Template template;
  private static JsonNode resources;

  @BeforeAll
  static void synthesize() {
    synthesized = new SynthesizedStack(Map.of("alertEmail", "ops@example.com", "daysAfter", "1", "triggerSource", "pings"));
    stack = synthesized.stack;
    template = synthesized.template;
    resources = synthesized.resources;
  }

  @Test
  void theAwsSolutionsChecksFindNothingUnreviewed() {
    assertThat(synthesized.unreviewedFindings()).isEmpty();
  }

  @Test
  void everyBucketIsPrivateEncryptedAndTlsOnly() {
    template.resourceCountIs("AWS::S3::Bucket", 3);
    template.allResourcesProperties("AWS::S3::Bucket", Map.of(
        "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
        "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))));
    for (IBucket bucket : List.of(stack.buckets().landing(), stack.buckets().lake(), stack.buckets().artifacts())) {
      String id = logicalId(bucket);
      List<JsonNode> denials = resourcesOfType("AWS::S3::BucketPolicy").stream()
          .filter(p -> p.at("/Properties/Bucket/Ref").asText().equals(id))
          .flatMap(p -> stream(p.at("/Properties/PolicyDocument/Statement")))
          .filter(s -> s.get("Effect").asText().equals("Deny") && s.at("/Condition/Bool/aws:SecureTransport").asText().equals("false"))
          .toList();
      assertThat(denials).as("TLS-only policy of " + id).hasSize(1);
    }
    // Landing and lake outlive the stack; deleting it must not delete deliveries or the lake.
    assertThat(resources.get(logicalId(stack.buckets().landing())).get("DeletionPolicy").asText()).isEqualTo("Retain");
    assertThat(resources.get(logicalId(stack.buckets().lake())).get("DeletionPolicy").asText()).isEqualTo("Retain");
    // Landing's object events go to EventBridge (CDK sets this through its notifications resource).
    template.hasResourceProperties("Custom::S3BucketNotifications", Map.of(
        "BucketName", Map.of("Ref", logicalId(stack.buckets().landing())), "NotificationConfiguration", Map.of("EventBridgeConfiguration", Map.of())));
  }

  @Test
  void theJobRoleReadsLandingWithoutWritingIt() {
    List<String> landingActions = actionsOfJobRoleOn(logicalId(stack.buckets().landing()));
    assertThat(landingActions).contains("s3:GetObject*", "s3:List*");
    assertThat(landingActions).noneMatch(a -> a.startsWith("s3:Put") || a.startsWith("s3:Delete") || a.equals("s3:*"));
    assertThat(actionsOfJobRoleOn(logicalId(stack.buckets().lake()))).contains("s3:GetObject*", "s3:PutObject", "s3:DeleteObject*");
    List<JsonNode> statements = jobRoleStatements();
    assertThat(statements).anySatisfy(s -> {
      assertThat(actions(s)).contains("secretsmanager:GetSecretValue");
      assertThat(s.at("/Resource/Ref").asText()).contains("Secret");
    });
    assertThat(statements).anySatisfy(s -> assertThat(actions(s)).containsExactly("sns:Publish"));
    assertThat(statements).noneSatisfy(s -> assertThat(s.get("Resource").asText()).isEqualTo("*"));
    // The catalog is in the database: no Glue Data Catalog access.
    assertThat(statements).noneSatisfy(s -> assertThat(actions(s)).anyMatch(a -> a.startsWith("glue:")));
  }

  @Test
  void theDatabaseIsPrivateEncryptedAndOpenOnlyToTheJobs() {
    template.hasResourceProperties("AWS::RDS::DBInstance", Map.of(
        "Engine", "postgres", "StorageEncrypted", true, "PubliclyAccessible", false, "DeletionProtection", true, "DBName", "geolake"));
    // Only the Spark jobs and the secret's rotation function may connect, on the database's own port.
    List<JsonNode> ingress = resourcesOfType("AWS::EC2::SecurityGroupIngress");
    assertThat(ingress).allSatisfy(rule ->
        assertThat(rule.at("/Properties/FromPort/Fn::GetAtt").toString()).contains("DatabaseInstance").contains("Endpoint.Port"));
    assertThat(ingress.stream().map(rule -> rule.at("/Properties/SourceSecurityGroupId/Fn::GetAtt/0").asText()).sorted().toList())
        .satisfiesExactly(source -> assertThat(source).contains("RotationSingleUser"), source -> assertThat(source).startsWith("SparkJobs"));
    assertThat(resourcesOfType("AWS::EC2::SecurityGroup")).noneSatisfy(g ->
        assertThat(g.at("/Properties/SecurityGroupIngress").toString()).contains("0.0.0.0/0"));
    // CloudFormation refuses descriptions with other characters (an apostrophe, say) at deploy time.
    assertThat(resourcesOfType("AWS::EC2::SecurityGroup"))
        .allSatisfy(g -> assertThat(g.at("/Properties/GroupDescription").asText()).matches("[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]*"));
  }

  @Test
  void theSparkApplicationRunsEmr7InThePrivateSubnets() {
    template.hasResourceProperties("AWS::EMRServerless::Application", Map.of(
        "Type", "SPARK",
        "ReleaseLabel", Match.stringLikeRegexp("emr-7\\..*"),
        "AutoStopConfiguration", Map.of("Enabled", true, "IdleTimeoutMinutes", 15),
        "MaximumCapacity", Map.of("Cpu", "32 vCPU", "Memory", "128 GB")));
    JsonNode subnets = resourcesOfType("AWS::EMRServerless::Application").get(0).at("/Properties/NetworkConfiguration/SubnetIds");
    assertThat(stream(subnets).map(s -> s.at("/Ref").asText()).toList()).hasSize(2).allMatch(s -> s.contains("PrivateSubnet"));
  }

  @Test
  void theStateMachineSubmitsTheJarWithTheDeployedConfig() throws Exception {
    JsonNode definition = stateMachineDefinition();
    JsonNode run = definition.at("/States/Run geolake");
    assertThat(definition.get("StartAt").asText()).isEqualTo("Logical date");
    assertThat(definition.get("QueryLanguage").asText()).isEqualTo("JSONata");
    assertThat(run.get("Resource").asText()).isEqualTo("arn:aws:states:::emr-serverless:startJobRun.sync");
    JsonNode submit = run.at("/Arguments/JobDriver/SparkSubmit");
    assertThat(submit.get("EntryPoint").asText()).startsWith("s3://<").endsWith("/" + GeolakeJob.JAR_KEY);
    assertThat(stream(submit.get("EntryPointArguments")).map(JsonNode::asText).toList())
        .containsExactly("run", "--date", "{% $states.input.date %}", "--config", "geolake.yaml");
    assertThat(submit.get("SparkSubmitParameters").asText())
        .startsWith("--class io.geolake.cli.Main --files s3://<").endsWith("/" + GeolakeJob.CONFIG_KEY);
    assertThat(run.at("/Retry/0/ErrorEquals/0").asText()).isEqualTo("States.TaskFailed");
    assertThat(run.at("/Retry/0/MaxAttempts").asInt()).isEqualTo(2);

    // The config object the job reads is the one the stack deploys, at the key it passes.
    template.hasResourceProperties("Custom::CDKBucketDeployment", Map.of("DestinationBucketKeyPrefix", "config/"));
    assertThat(GeolakeJob.CONFIG_KEY).isEqualTo("config/geolake.yaml");
  }

  @Test
  void theDeployedConfigFileIsValidGeolakeConfigPointingAtTheStacksResources() throws Exception {
    String yaml = synthesized.deployedConfigText();
    Map<String, String> referenced = synthesized.configMarkers();
    assertThat(referenced.get(marker(yaml, "data: s3://", "/geolake"))).contains(logicalId(stack.buckets().lake()));
    assertThat(referenced.get(marker(yaml, "landing: s3://", "\n"))).contains(logicalId(stack.buckets().landing()));

    // With every deploy-time value filled in as AWS would, geolake itself must accept the file as deployed.
    GeolakeConfig config = synthesized.deployedConfig();
    Locations locations = Locations.of(config);
    assertThat(locations.data().getScheme()).isEqualTo("s3");
    assertThat(config.catalog().type()).isEqualTo(GeolakeConfig.CatalogType.JDBC);
    assertThat(locations.catalogUri()).startsWith("jdbc:aws-wrapper:postgresql://").contains("wrapperPlugins=awsSecretsManager").isEqualTo(locations.runStoreUri());
    assertThat(config.alerts().sns().topicArn()).isNotBlank();
  }

  /** The marker CDK put in place of a deploy-time value between two fixed texts of the file. */
  private static String marker(String yaml, String before, String after) {
    Matcher m = Pattern.compile(Pattern.quote(before) + "(<<marker:0xbaba:\\d+>>)" + after).matcher(yaml);
    assertThat(m.find()).as(before + " in " + yaml).isTrue();
    return m.group(1);
  }

  @Test
  void theLogicalDateComesFromTheInputTheEventOrTheScheduleDay() throws Exception {
    String expression = stateMachineDefinition().at("/States/Logical date/Output/date").asText();
    assertThat(expression).startsWith("{%").endsWith("%}");
    Jsonata jsonata = Jsonata.jsonata(expression.substring(2, expression.length() - 2));
    String startTime = "2024-05-09T08:00:00.000Z";

    assertThat(date(jsonata, Map.of("date", "2024-05-01"), startTime)).isEqualTo("2024-05-01");
    assertThat(date(jsonata, s3Event("pings/dt=2024-05-06/_SUCCESS"), startTime)).isEqualTo("2024-05-06");
    assertThat(date(jsonata, s3Event("pings/dt%3D2024-05-06/_SUCCESS"), startTime)).isEqualTo("2024-05-06");
    // The schedule's event carries the time it fired for; the date is that day minus daysAfter (1).
    assertThat(date(jsonata, Map.of("detail-type", "Scheduled Event", "time", "2024-05-07T05:30:00Z"), startTime)).isEqualTo("2024-05-06");
    assertThat(date(jsonata, Map.of("time", "2024-03-01T05:30:00Z"), startTime)).isEqualTo("2024-02-29");
    // Started by hand without a date: the day before the execution started.
    assertThat(date(jsonata, Map.of(), startTime)).isEqualTo("2024-05-08");
  }

  @Test
  void theRunStartsOnTheScheduleAndWhenADeliveryIsComplete() {
    template.hasResourceProperties("AWS::Events::Rule", Map.of("ScheduleExpression", "cron(30 5 * * ? *)", "State", "ENABLED"));
    template.hasResourceProperties("AWS::Events::Rule", Map.of("EventPattern", Map.of(
        "source", List.of("aws.s3"),
        "detail-type", List.of("Object Created"),
        "detail", Map.of(
            "bucket", Map.of("name", List.of(Map.of("Ref", logicalId(stack.buckets().landing())))),
            "object", Map.of("key", List.of(Map.of("wildcard", "pings/dt=*/_SUCCESS")))))));
    String machine = logicalId(stack.dailyRun().stateMachine());
    assertThat(resourcesOfType("AWS::Events::Rule").stream().filter(rule -> rule.at("/Properties/Targets/0/Arn/Ref").asText().equals(machine)))
        .hasSize(2);
    // The state machine may start job runs on this application only, and pass only the job role.
    List<JsonNode> statements = resourcesOfType("AWS::IAM::Policy").stream()
        .filter(p -> p.at("/Properties/Roles/0/Ref").asText().startsWith("DailyRunStateMachineRole"))
        .flatMap(p -> stream(p.at("/Properties/PolicyDocument/Statement"))).toList();
    assertThat(statements).anySatisfy(s -> {
      assertThat(actions(s)).contains("emr-serverless:StartJobRun");
      assertThat(s.get("Resource").toString()).contains("SparkApplication").doesNotContain("\"*\"");
    });
    assertThat(statements).anySatisfy(s -> {
      assertThat(actions(s)).containsExactly("iam:PassRole");
      assertThat(s.at("/Resource/Fn::GetAtt/0").asText()).startsWith("SparkJobRole");
    });
  }

  @Test
  void failuresTimeoutsAndDaysWithoutASuccessfulRunAlertTheTopic() {
    template.resourceCountIs("AWS::CloudWatch::Alarm", 4); // the daily run's three, a failed chore
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ExecutionsFailed", "Threshold", 1, "TreatMissingData", "notBreaching"));
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ExecutionsTimedOut", "Threshold", 1));
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
        "MetricName", "ExecutionsSucceeded", "ComparisonOperator", "LessThanThreshold", "EvaluationPeriods", 26, "Period", 3600, "TreatMissingData", "breaching"));
    String topic = resourcesOfType("AWS::SNS::Topic").get(0).path("_id").asText();
    assertThat(resourcesOfType("AWS::CloudWatch::Alarm"))
        .allSatisfy(alarm -> assertThat(alarm.at("/Properties/AlarmActions/0/Ref").asText()).isEqualTo(topic));
    template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "ops@example.com"));
  }

  @Test
  void maintenanceAndTrainingRunOnSchedulesOfTheirOwn() throws Exception {
    // By default: weekly maintenance, no training (as model.schedule in geolake's own config).
    String chores = logicalId(stack.chores().stateMachine());
    List<JsonNode> rules = resourcesOfType("AWS::Events::Rule").stream()
        .filter(rule -> rule.at("/Properties/Targets/0/Arn/Ref").asText().equals(chores)).toList();
    assertThat(rules).singleElement().satisfies(rule -> {
      assertThat(rule.at("/Properties/ScheduleExpression").asText()).isEqualTo("cron(0 4 ? * SUN *)");
      assertThat(JSON.readTree(rule.at("/Properties/Targets/0/Input").asText())).isEqualTo(JSON.readTree("{\"command\": [\"maintain\"]}"));
    });
    // The one state machine runs the command its input names, with the deployed config.
    JsonNode job = stateMachineDefinition(stack.chores().stateMachine()).at("/States/Run geolake command");
    assertThat(job.get("Resource").asText()).isEqualTo("arn:aws:states:::emr-serverless:startJobRun.sync");
    JsonNode submit = job.at("/Arguments/JobDriver/SparkSubmit");
    assertThat(submit.get("EntryPoint").asText()).endsWith("/" + GeolakeJob.JAR_KEY);
    assertThat(submit.get("SparkSubmitParameters").asText()).startsWith("--class io.geolake.cli.Main --files s3://<").endsWith("/" + GeolakeJob.CONFIG_KEY);
    Map<String, Object> input = Map.of("command", ScheduledChores.TRAIN);
    assertThat(evaluate(submit.get("EntryPointArguments").asText(), input)).isEqualTo(List.of("train", "--latest", "--config", "geolake.yaml"));
    assertThat(evaluate(job.at("/Arguments/Name").asText(), input)).isEqualTo("geolake-train");
    template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
        "MetricName", "ExecutionsFailed", "Dimensions", List.of(Map.of("Name", "StateMachineArn", "Value", Map.of("Ref", chores)))));

    // Training switched on and maintenance off, by context; nothing unreviewed by the checks.
    SynthesizedStack trained = new SynthesizedStack(Map.of("trainingSchedule", "cron(0 7 ? * MON *)", "maintenanceSchedule", ""));
    assertThat(trained.stack.chores().schedules()).hasSize(1);
    String trainedChores = trained.logicalId(trained.stack.chores().stateMachine());
    assertThat(trained.resourcesOfType("AWS::Events::Rule").stream().filter(r -> r.at("/Properties/Targets/0/Arn/Ref").asText().equals(trainedChores)))
        .singleElement().satisfies(rule -> {
          assertThat(rule.at("/Properties/ScheduleExpression").asText()).isEqualTo("cron(0 7 ? * MON *)");
          assertThat(JSON.readTree(rule.at("/Properties/Targets/0/Input").asText())).isEqualTo(JSON.readTree("{\"command\": [\"train\", \"--latest\"]}"));
        });
    assertThat(trained.unreviewedFindings()).isEmpty();
    assertThatThrownBy(() -> DeploymentSettings.fromContext(new App(AppProps.builder()
            .context(Map.of("trainingSchedule", "weekly")).build()).getNode()))
        .hasMessageContaining("'trainingSchedule'").hasMessageContaining("weekly").hasMessageContaining("cron(0 7 ? * MON *)");
  }

  /** A JSONata field of the chores' state ({@code {% ... %}}) evaluated for an execution input. */
  private static Object evaluate(String field, Map<String, Object> input) {
    assertThat(field).startsWith("{%").endsWith("%}");
    Jsonata jsonata = Jsonata.jsonata(field.substring(2, field.length() - 2));
    Jsonata.Frame frame = jsonata.createFrame();
    frame.bind("states", Map.of("input", input));
    return jsonata.evaluate(null, frame);
  }

  @Test
  void badContextValuesNameTheKeyAndTheExpectedForm() {
    assertThatThrownBy(() -> DeploymentSettings.fromContext(new App(AppProps.builder()
            .context(Map.of("schedule", "30 5 * * *")).build()).getNode()))
        .hasMessageContaining("'schedule'").hasMessageContaining("30 5 * * *").hasMessageContaining("cron(30 5 * * ? *)");
    assertThatThrownBy(() -> DeploymentSettings.fromContext(new App(AppProps.builder()
            .context(Map.of("maxVcpu", "lots")).build()).getNode()))
        .hasMessageContaining("'maxVcpu'").hasMessageContaining("whole number");
    assertThatThrownBy(() -> DeploymentSettings.fromContext(new App(AppProps.builder()
            .context(Map.of("emrRelease", "emr-6.15.0")).build()).getNode()))
        .hasMessageContaining("'emrRelease'").hasMessageContaining("EMR 7");
    assertThatThrownBy(() -> DeploymentSettings.fromContext(new App(AppProps.builder()
            .context(Map.of("catalog", "hive")).build()).getNode()))
        .hasMessageContaining("'catalog'").hasMessageContaining("hive").hasMessageContaining("jdbc (the run database) or glue");
  }

  private static Map<String, Object> s3Event(String key) {
    return Map.of("source", "aws.s3", "detail-type", "Object Created", "detail", Map.of("bucket", Map.of("name", "landing"), "object", Map.of("key", key)));
  }

  private static Object date(Jsonata jsonata, Map<String, Object> input, String startTime) {
    Jsonata.Frame frame = jsonata.createFrame();
    frame.bind("states", Map.of("input", input, "context", Map.of("Execution", Map.of("StartTime", startTime))));
    return jsonata.evaluate(null, frame);
  }

  /** The definition with every token (ARNs, bucket names) shown as {@code <token>}. */
  private static JsonNode stateMachineDefinition() throws Exception {
    return stateMachineDefinition(stack.dailyRun().stateMachine());
  }

  private static JsonNode stateMachineDefinition(IConstruct machine) throws Exception {
    JsonNode joined = resources.get(logicalId(machine)).at("/Properties/DefinitionString/Fn::Join/1");
    String text = stream(joined).map(part -> part.isTextual() ? part.asText() : "<token>").collect(Collectors.joining());
    return JSON.readTree(text);
  }

  private static List<String> actionsOfJobRoleOn(String bucketId) {
    return jobRoleStatements().stream()
        .filter(s -> s.get("Resource").toString().contains("\"" + bucketId + "\""))
        .flatMap(s -> actions(s).stream())
        .toList();
  }

  private static List<JsonNode> jobRoleStatements() {
    return synthesized.jobRoleStatements();
  }

  private static List<String> actions(JsonNode statement) {
    return SynthesizedStack.actions(statement);
  }

  private static List<JsonNode> resourcesOfType(String type) {
    return synthesized.resourcesOfType(type);
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    return SynthesizedStack.stream(array);
  }

  private static String logicalId(IConstruct construct) {
    return synthesized.logicalId(construct);
  }
}
