package io.geolake.infra;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * What differs between deployments of the stack, read from CDK context ({@code cdk deploy -c key=value}
 * or {@code cdk.json}). Every key has a default; a bad value fails synthesis naming the key and the
 * expected form.
 *
 * @param schedule EventBridge cron of the daily run, in UTC (the form {@code cron(min hour dom month dow year)})
 * @param daysAfter the scheduled run's logical date is the day it fires on minus this many days
 * @param triggerSource the landing source whose {@code dt=D/_SUCCESS} object starts the run of D
 * @param alertEmail an address subscribed to the alert topic; empty means none
 * @param emrRelease EMR Serverless release label; EMR 7 runs Spark 3.5, the line geolake is built for
 * @param maxVcpu the most vCPUs EMR Serverless may give the application at once
 * @param databaseInstanceType the RDS instance class of the catalog and run store database
 * @param slaHours alarm when no run has succeeded for this many hours
 * @param catalog where the tables are registered: {@code jdbc} (the Iceberg JDBC catalog in the run
 *     database) or {@code glue} (the AWS Glue Data Catalog through its Iceberg REST endpoint, where
 *     Athena, Redshift and EMR see them)
 * @param maintenanceSchedule EventBridge cron (UTC) of {@code geolake maintain}; empty means never
 * @param trainingSchedule EventBridge cron (UTC) of {@code geolake train --latest}; empty means never
 */
public record DeploymentSettings(
    String schedule,
    int daysAfter,
    String triggerSource,
    String alertEmail,
    String emrRelease,
    int maxVcpu,
    String databaseInstanceType,
    int slaHours,
    String catalog,
    String maintenanceSchedule,
    String trainingSchedule) {

  private static final Pattern CRON = Pattern.compile("cron\\(\\S+( \\S+){5}\\)");
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern EMAIL = Pattern.compile("|[^@\\s]+@[^@\\s]+");
  private static final Pattern CATALOG = Pattern.compile("jdbc|glue");
  private static final Pattern EMR_7 = Pattern.compile("emr-7\\.\\d+\\.\\d+");

  public static DeploymentSettings defaults() {
    return new DeploymentSettings("cron(30 5 * * ? *)", 1, "pings", "", "emr-7.5.0", 32, "t4g.small", 26, "jdbc", "cron(0 4 ? * SUN *)", "");
  }

  public DeploymentSettings {
    check("schedule", schedule, CRON.matcher(schedule).matches(), "an EventBridge cron expression such as cron(30 5 * * ? *)");
    check("daysAfter", daysAfter, daysAfter >= 0 && daysAfter <= 30, "a whole number of days from 0 to 30");
    check("triggerSource", triggerSource, SOURCE.matcher(triggerSource).matches(), "a source name of letters, digits, '_' or '-'");
    check("alertEmail", alertEmail, EMAIL.matcher(alertEmail).matches(), "an e-mail address, or empty for none");
    check("emrRelease", emrRelease, EMR_7.matcher(emrRelease).matches(), "an EMR 7 release label such as emr-7.5.0 (Spark 3.5)");
    check("maxVcpu", maxVcpu, maxVcpu >= 4 && maxVcpu % 4 == 0, "a multiple of 4 vCPUs, at least 4");
    check("databaseInstanceType", databaseInstanceType, databaseInstanceType.matches("[a-z0-9]+\\.[a-z0-9]+"), "an RDS instance class such as t4g.small");
    check("slaHours", slaHours, slaHours >= 1 && slaHours <= 24 * 7, "a whole number of hours from 1 to 168");
    check("catalog", catalog, CATALOG.matcher(catalog).matches(), "jdbc (the run database) or glue (the AWS Glue Data Catalog)");
    check("maintenanceSchedule", maintenanceSchedule, maintenanceSchedule.isEmpty() || CRON.matcher(maintenanceSchedule).matches(),
        "an EventBridge cron expression such as cron(0 4 ? * SUN *), or empty for never");
    check("trainingSchedule", trainingSchedule, trainingSchedule.isEmpty() || CRON.matcher(trainingSchedule).matches(),
        "an EventBridge cron expression such as cron(0 7 ? * MON *), or empty for never");
  }

  /** Whether the tables go to the AWS Glue Data Catalog rather than the JDBC catalog. */
  public boolean glueCatalog() {
    return catalog.equals("glue");
  }

  /** The settings with each key taken from the construct tree's context where it is set. */
  public static DeploymentSettings fromContext(Node node) {
    DeploymentSettings d = defaults();
    Function<String, String> context = key -> {
      Object value = node.tryGetContext(key);
      return value == null ? null : value.toString();
    };
    return new DeploymentSettings(
        text(context, "schedule", d.schedule()),
        number(context, "daysAfter", d.daysAfter()),
        text(context, "triggerSource", d.triggerSource()),
        text(context, "alertEmail", d.alertEmail()),
        text(context, "emrRelease", d.emrRelease()),
        number(context, "maxVcpu", d.maxVcpu()),
        text(context, "databaseInstanceType", d.databaseInstanceType()),
        number(context, "slaHours", d.slaHours()),
        text(context, "catalog", d.catalog()),
        text(context, "maintenanceSchedule", d.maintenanceSchedule()),
        text(context, "trainingSchedule", d.trainingSchedule()));
  }

  private static String text(Function<String, String> context, String key, String fallback) {
    return Objects.requireNonNullElse(context.apply(key), fallback);
  }

  private static int number(Function<String, String> context, String key, int fallback) {
    String value = context.apply(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid CDK context value for '" + key + "': " + value + "; expected a whole number");
    }
  }

  private static void check(String key, Object value, boolean valid, String expected) {
    if (!valid) {
      throw new IllegalArgumentException("Invalid CDK context value for '" + key + "': " + value + "; expected " + expected);
    }
  }
}
