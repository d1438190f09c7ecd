package io.geolake.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.stepfunctions.CustomState;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.PassJsonataProps;
import software.amazon.awscdk.services.stepfunctions.RetryProps;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * The daily run as a Step Functions state machine: work out the logical date, then submit
 * {@code geolake run --date D} to EMR Serverless and wait for it, retrying a failed job (geolake
 * resumes a failed run from its failed step). Started by the daily schedule, by a delivery's
 * {@code _SUCCESS} object in landing, or by hand with {@code {"date": "YYYY-MM-DD"}}.
 *
 * <p>A second start for a date whose run is still going is refused by geolake's own run lease in
 * the shared run store, so overlapping triggers cannot run one date twice.
 */
public final class DailyRunWorkflow extends Construct {

  private final StateMachine stateMachine;

  public DailyRunWorkflow(Construct scope, String id, DeploymentSettings settings, SparkApplication spark, LakeBuckets buckets) {
    super(scope, id);
    IBucket artifacts = buckets.artifacts();
    Pass logicalDate = Pass.jsonata(this, "Logical date", PassJsonataProps.builder()
        .outputs(Map.of("date", "{% " + logicalDateExpression(settings.daysAfter()) + " %}"))
        .build());

    CustomState runJob = CustomState.Builder.create(this, "Run geolake")
        .stateJson(GeolakeJob.taskState(spark, artifacts, "{% 'geolake-run-' & $states.input.date %}",
            List.of("run", "--date", "{% $states.input.date %}", "--config", "geolake.yaml"),
            "{% {'date': $states.input.date, 'jobRunId': $states.result.JobRunId} %}"))
        .build();
    runJob.addRetry(RetryProps.builder()
        .errors(List.of("States.TaskFailed"))
        .interval(Duration.minutes(5))
        .backoffRate(2)
        .maxAttempts(2)
        .build());

    stateMachine = GeolakeJob.stateMachine(this, logicalDate.next(runJob), Duration.hours(12), spark);

    Rule.Builder.create(this, "Schedule")
        .description("geolake's daily run")
        .schedule(Schedule.expression(settings.schedule()))
        .targets(List.of(SfnStateMachine.Builder.create(stateMachine).build()))
        .build();
    Rule.Builder.create(this, "DeliveryComplete")
        .description("a delivery of " + settings.triggerSource() + " is complete (its _SUCCESS object landed)")
        .eventPattern(EventPattern.builder()
            .source(List.of("aws.s3"))
            .detailType(List.of("Object Created"))
            .detail(Map.of(
                "bucket", Map.of("name", List.of(buckets.landing().getBucketName())),
                "object", Map.of("key", List.of(Map.of("wildcard", settings.triggerSource() + "/dt=*/_SUCCESS")))))
            .build())
        .targets(List.of(SfnStateMachine.Builder.create(stateMachine).build()))
        .build();
  }

  /**
   * JSONata giving the run's logical date from the execution input: {@code date} when started by
   * hand; the {@code dt=} folder of the object when started by a landing event (EventBridge may
   * give the key URL-encoded); else the event's (or the execution's) start day minus days-after.
   */
  public static String logicalDateExpression(int daysAfter) {
    return "$exists($states.input.date) ? $states.input.date"
        + " : $exists($states.input.detail.object.key)"
        + " ? $match($states.input.detail.object.key, /dt(?:=|%3D)(\\d{4}-\\d{2}-\\d{2})/)[0].groups[0]"
        + " : $fromMillis($toMillis($exists($states.input.time) ? $states.input.time : $states.context.Execution.StartTime)"
        + " - " + daysAfter + " * 86400000, '[Y0001]-[M01]-[D01]')";
  }

  public StateMachine stateMachine() {
    return stateMachine;
  }
}
