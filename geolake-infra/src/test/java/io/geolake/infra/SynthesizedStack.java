package io.geolake.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/** The stack synthesized with some CDK context, as {@code cdk synth} does, with ways to look into its template. */
final class SynthesizedStack {
  static final ObjectMapper JSON = new ObjectMapper();
  /** What AWS puts in place of the stack's account, region and domain on deployment, in the tests. */
  static final String ACCOUNT = "123456789012";
  static final String REGION = "eu-west-1";

  final GeolakeStack stack;
  final Template template;
  final Path assembly;
  final JsonNode resources;

  SynthesizedStack(Map<String, Object> context) {
    App app = new App(AppProps.builder().context(context).build());
    stack = new GeolakeStack(app, "geolake", StackProps.builder().build(), DeploymentSettings.fromContext(app.getNode()));
    Aspects.of(app).add(new AwsSolutionsChecks());
    assembly = Path.of(app.synth().getDirectory());
    template = Template.fromStack(stack);
    resources = JSON.valueToTree(template.toJSON()).get("Resources");
  }

  /** The AWS Solutions findings no suppression in {@link SecurityReview} covers. */
  List<String> unreviewedFindings() {
    return Stream.concat(
            Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream(),
            Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")).stream())
        .map(m -> m.getId() + " " + String.valueOf(m.getEntry().getData()).lines().findFirst().orElse(""))
        .toList();
  }

  /** The config file as the stack writes it, CDK's markers for deploy-time values still in. */
  String deployedConfigText() throws IOException {
    try (Stream<Path> files = Files.walk(assembly)) {
      return Files.readString(files.filter(p -> p.getFileName().toString().equals("geolake.yaml")).findFirst().orElseThrow());
    }
  }

  /** Which deploy-time value each marker of the config file stands for (a CloudFormation reference, as JSON). */
  Map<String, String> configMarkers() {
    JsonNode markers = resourcesOfType("Custom::CDKBucketDeployment").get(0).at("/Properties/SourceMarkers/0");
    Map<String, String> referenced = new HashMap<>();
    markers.fields().forEachRemaining(e -> referenced.put(e.getKey(), e.getValue().toString()));
    return referenced;
  }

  /** The deployed config with every deploy-time value filled in as AWS would, read by geolake's own loader. */
  GeolakeConfig deployedConfig() throws IOException {
    Map<String, String> referenced = configMarkers();
    String topic = logicalId(stack.alerts());
    String filled = Pattern.compile("<<marker:0xbaba:\\d+>>").matcher(deployedConfigText()).replaceAll(m -> {
      String reference = referenced.get(m.group());
      if (reference.contains(topic)) {
        return "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":alerts";
      }
      if (reference.contains("AWS::Region")) {
        return REGION;
      }
      if (reference.contains("AWS::AccountId")) {
        return ACCOUNT;
      }
      if (reference.contains("AWS::URLSuffix")) {
        return "amazonaws.com";
      }
      return "value-" + Integer.toHexString(reference.hashCode());
    });
    return ConfigLoader.load(Files.writeString(assembly.resolve("filled-geolake.yaml"), filled), List.of());
  }

  List<JsonNode> jobRoleStatements() {
    return resourcesOfType("AWS::IAM::Policy").stream()
        .filter(p -> p.at("/Properties/Roles/0/Ref").asText().startsWith("SparkJobRole"))
        .flatMap(p -> stream(p.at("/Properties/PolicyDocument/Statement")))
        .toList();
  }

  List<JsonNode> resourcesOfType(String type) {
    List<JsonNode> found = new ArrayList<>();
    resources.fields().forEachRemaining(e -> {
      if (e.getValue().get("Type").asText().equals(type)) {
        found.add(((ObjectNode) e.getValue().deepCopy()).put("_id", e.getKey()));
      }
    });
    return found;
  }

  String logicalId(IConstruct construct) {
    IConstruct element = construct.getNode().getDefaultChild() == null ? construct : construct.getNode().getDefaultChild();
    return stack.getLogicalId((CfnElement) element);
  }

  /**
   * The part of an ARN after its account, from a {@code Fn::Join} of the stack's partition, region
   * and account tokens with text (as {@code Stack.formatArn} writes it): {@code :catalog}, {@code :database/raw}.
   */
  static String arnSuffix(JsonNode arn) {
    JsonNode parts = arn.at("/Fn::Join/1");
    JsonNode last = parts.get(parts.size() - 1);
    return last.asText();
  }

  static List<String> actions(JsonNode statement) {
    JsonNode action = statement.get("Action");
    return action.isArray() ? stream(action).map(JsonNode::asText).toList() : List.of(action.asText());
  }

  static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items.stream();
  }
}
