package io.geolake.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/** The CDK app: {@code npx aws-cdk synth|deploy} in this module runs it (see cdk.json). */
public final class GeolakeApp {

  private GeolakeApp() {}

  public static void main(String[] args) {
    App app = new App();
    Environment environment = Environment.builder()
        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
        .region(System.getenv("CDK_DEFAULT_REGION"))
        .build();
    DeploymentSettings settings = DeploymentSettings.fromContext(app.getNode());
    new GeolakeStack(app, "geolake", StackProps.builder().env(environment).build(), settings);
    AccessGrantSettings grants = AccessGrantSettings.fromContext(app.getNode());
    if (grants.any()) {
      // Deployed on its own (cdk deploy geolake-access) after the first run created the tables.
      new LakeFormationGrants(app, "geolake-access", StackProps.builder().env(environment).build(), settings, grants);
    }
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();
  }
}
