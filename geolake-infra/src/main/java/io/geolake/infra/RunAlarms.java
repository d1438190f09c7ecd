package io.geolake.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * What the run itself cannot report. geolake's own alerts (a failed step, a quality gate, a
 * missed SLA of a date) go to the topic from inside the job; these alarms cover the job not
 * starting, dying or being stopped, and days with no successful run at all.
 */
public final class RunAlarms extends Construct {

  public RunAlarms(Construct scope, String id, StateMachine dailyRun, ITopic topic, int slaHours) {
    super(scope, id);
    SnsAction notify = new SnsAction(topic);
    Duration hour = Duration.hours(1);
    alarm(dailyRun.metricFailed(sum(hour)), "RunFailed", "A geolake daily run failed after its retries.", TreatMissingData.NOT_BREACHING)
        .addAlarmAction(notify);
    alarm(dailyRun.metricTimedOut(sum(hour)), "RunTimedOut", "A geolake daily run was stopped at the state machine's timeout.", TreatMissingData.NOT_BREACHING)
        .addAlarmAction(notify);
    // Missing data means no run finished at all, which is exactly what this alarm is for.
    Alarm sla = dailyRun.metricSucceeded(sum(hour)).createAlarm(this, "NoSuccessfulRun", CreateAlarmOptions.builder()
        .alarmDescription("No geolake daily run has succeeded for " + slaHours + " hours.")
        .threshold(1)
        .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
        .evaluationPeriods(slaHours)
        .datapointsToAlarm(slaHours)
        .treatMissingData(TreatMissingData.BREACHING)
        .build());
    sla.addAlarmAction(notify);
    sla.addOkAction(notify);
  }

  private Alarm alarm(Metric metric, String id, String description, TreatMissingData missing) {
    return metric.createAlarm(this, id, CreateAlarmOptions.builder()
        .alarmDescription(description)
        .threshold(1)
        .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
        .evaluationPeriods(1)
        .treatMissingData(missing)
        .build());
  }

  private static MetricOptions sum(Duration period) {
    return MetricOptions.builder().period(period).statistic("Sum").build();
  }
}
