package io.geolake.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.stepfunctions.CustomState;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * What geolake serve does between runs on one machine, on AWS: {@code geolake maintain} on
 * maintenanceSchedule and {@code geolake train --latest} on trainingSchedule, each a job of the
 * cluster jar on EMR Serverless started by one state machine whose input names the command
 * ({@code {"command": ["maintain"]}}). Maintenance refuses to start while a run holds the lake,
 * and training learns as of the newest date whose run succeeded, so neither needs to know when
 * the daily run is. No retry: a failed chore alarms, and its schedule comes round again.
 */
public final class ScheduledChores extends Construct {
  static final List<String> MAINTAIN = List.of("maintain");
  static final List<String> TRAIN = List.of("train", "--latest");

  private final StateMachine stateMachine;
  private final List<Rule> schedules = new ArrayList<>();

  public ScheduledChores(Construct scope, String id, DeploymentSettings settings, SparkApplication spark, LakeBuckets buckets, ITopic topic) {
    super(scope, id);
    CustomState job = CustomState.Builder.create(this, "Run geolake command")
        .stateJson(GeolakeJob.taskState(spark, buckets.artifacts(), "{% 'geolake-' & $states.input.command[0] %}",
            "{% $append($states.input.command, ['--config', 'geolake.yaml']) %}",
            "{% {'command': $states.input.command, 'jobRunId': $states.result.JobRunId} %}"))
        .build();
    stateMachine = GeolakeJob.stateMachine(this, job, Duration.hours(6), spark);

    schedule("Maintenance", "geolake maintain", settings.maintenanceSchedule(), MAINTAIN);
    schedule("Training", "geolake train --latest (model X)", settings.trainingSchedule(), TRAIN);

    Alarm failed = stateMachine.metricFailed(MetricOptions.builder().period(Duration.hours(1)).statistic("Sum").build())
        .createAlarm(this, "ChoreFailed", CreateAlarmOptions.builder()
            .alarmDescription("A scheduled geolake maintain or train failed or timed out; its job log is under logs/ in the artifacts bucket.")
            .threshold(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .evaluationPeriods(1)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build());
    failed.addAlarmAction(new SnsAction(topic));
  }

  private void schedule(String id, String description, String cron, List<String> command) {
    if (cron.isEmpty()) {
      return;
    }
    schedules.add(Rule.Builder.create(this, id)
        .description(description)
        .schedule(Schedule.expression(cron))
        .targets(List.of(SfnStateMachine.Builder.create(stateMachine).input(RuleTargetInput.fromObject(Map.of("command", command))).build()))
        .build());
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }

  List<Rule> schedules() {
    return schedules;
  }
}
