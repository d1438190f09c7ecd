package io.geolake.ops.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.ops.MonitoredMaintenance;
import io.geolake.ops.MonitoredRun;
import io.geolake.ops.MonitoredTraining;
import io.geolake.ops.MutableClock;
import io.geolake.ops.Receivers;
import io.geolake.ops.metrics.RunMetrics;
import io.geolake.pipeline.maintenance.TableMaintenance;
import io.geolake.pipeline.model.ManualPromotion;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.model.TrainResult;
import io.geolake.pipeline.model.TrainingCutOff;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.RegisteredVersions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every channel against a real receiver: a webhook HTTP server, an SMTP server (GreenMail), an SNS endpoint. */
class TestAlerts extends BaseSparkTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

  @TempDir Path data;
  private Receivers receivers;
  private GreenMail smtp;

  @BeforeEach
  void startReceivers() throws Exception {
    receivers = new Receivers();
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    System.setProperty("aws.accessKeyId", Receivers.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", "geolake-test-secret");
  }

  @AfterEach
  void stopReceivers() {
    smtp.stop();
    receivers.close();
  }

  private GeolakeConfig config() throws Exception {
    Path file = data.resolve("alerts.yaml");
    Files.writeString(file, """
        alerts:
          repeat-after: PT1H
          webhook: {url: "%s"}
          email: {smtp-host: 127.0.0.1, smtp-port: %d, from: geolake@example.com, to: [oncall@example.com, data@example.com]}
          sns: {topic-arn: "%s", region: us-east-1, endpoint: "%s"}
          sla: {scores-by: "07:00", days-after: 1, time-zone: UTC}
        """.formatted(receivers.url("/hook"), smtp.getSmtp().getPort(), Receivers.TOPIC, receivers.url("")));
    return ConfigLoader.load(file, List.of("data=" + data, "catalog.name=" + config(data).catalog().name(), "spark.shuffle-partitions=4"));
  }

  private List<String> mailSubjects() {
    return Arrays.stream(smtp.getReceivedMessages()).map(m -> {
      try {
        return ((MimeMessage) m).getSubject() + " -> " + Arrays.toString(m.getAllRecipients());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).distinct().toList();
  }

  @Test
  void failedScheduledMaintenanceRaisesAnIncidentOnEveryChannel() throws Exception {
    GeolakeConfig config = config();
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    MutableClock clock = new MutableClock(Instant.parse("2024-05-12T04:00:00Z"));
    Alerter alerter = new Alerter(config, new RunStore(config), clock);
    // A registered model version whose metadata cannot be read: maintenance cannot tell which
    // snapshots trained it, so it stops before expiring anything.
    Path version = Path.of(Locations.of(config).warehouse()).resolve("_registry/model_x/versions/v0001/version.json");
    Files.createDirectories(version.getParent());
    Files.writeString(version, "{\"version\": \"v0001\", truncated");
    MonitoredMaintenance monitored = new MonitoredMaintenance(alerter, clock, java.time.ZoneOffset.UTC);
    Runnable maintenance = () -> monitored.run(() -> new TableMaintenance(catalog, config).run(clock.instant(), false, r -> {}));

    assertThatThrownBy(maintenance::run).hasMessageContaining("version.json");
    assertThat(receivers.webhookBodies).singleElement().asString()
        .contains("\"kind\":\"maintenance_failed\"", "geolake maintenance failed on 2024-05-12", "version.json", "geolake maintain --dry-run");
    assertThat(mailSubjects()).containsExactly("[geolake] geolake maintenance failed on 2024-05-12 -> [oncall@example.com, data@example.com]");
    assertThat(receivers.snsPublishes).singleElement().satisfies(p -> assertThat(p.get("Subject")).isEqualTo("[geolake] geolake maintenance failed on 2024-05-12"));
    assertThat(alerter.isOpen("maintenance:2024-05-12")).isTrue();

    // The cause removed, the next maintenance succeeds and closes the incident without a message.
    Files.delete(version);
    maintenance.run();
    assertThat(alerter.isOpen("maintenance:2024-05-12")).isFalse();
    assertThat(receivers.webhookBodies).hasSize(1);
  }

  @Test
  void scheduledTrainingLearnsAsOfTheNewestSucceededDateSkipsRepeatsAndRaisesItsFailure() throws Exception {
    GeolakeConfig config = config();
    RunStore store = new RunStore(config);
    MutableClock clock = new MutableClock(Instant.parse("2024-05-15T07:00:00Z"));
    Alerter alerter = new Alerter(config, store, clock);
    ModelRegistry registry = new ModelRegistry(spark, config);
    List<LocalDate> trainedAsOf = new java.util.ArrayList<>();
    RuntimeException[] failWith = {null};
    List<String> told = new java.util.ArrayList<>();
    MonitoredTraining training = new MonitoredTraining(asOf -> {
      trainedAsOf.add(asOf);
      if (failWith[0] != null) {
        throw failWith[0];
      }
      return new TrainResult(RegisteredVersions.register(spark, config, 7, 0.8, asOf), null, java.time.Duration.ZERO);
    }, () -> TrainingCutOff.pick(store, registry, config.model()), alerter, clock, java.time.ZoneOffset.UTC, told::add);

    training.run(); // no run yet: nothing to learn from
    assertThat(trainedAsOf).isEmpty();
    assertThat(told).singleElement().asString().contains("no date has run successfully");

    // A lake whose first date is 05-13: every training date of a training as of 05-13 (up to 21
    // days before it, with the default horizon and hold-out) precedes the lake. Skipped, no incident.
    store.finish(store.start(DAY.plusDays(7), "test"), io.geolake.pipeline.run.RunState.SUCCEEDED, null);
    training.run();
    assertThat(trainedAsOf).isEmpty();
    assertThat(told.get(1)).contains("not enough history yet", "feature dates up to 2024-04-22", "the lake's first date is 2024-05-13",
        "the first training can be as of 2024-06-03");
    assertThat(receivers.webhookBodies).isEmpty();
    // The lake's history reaches back further (its first date, 04-01, failed; a date is the lake's once it ran).
    store.finish(store.start(LocalDate.of(2024, 4, 1), "test"), io.geolake.pipeline.run.RunState.FAILED, "no delivery");

    // 05-13 succeeded; 05-14 succeeded, then ran again and failed: the newest published date is 05-13.
    store.finish(store.start(DAY.plusDays(8), "test"), io.geolake.pipeline.run.RunState.SUCCEEDED, null);
    store.finish(store.start(DAY.plusDays(8), "test"), io.geolake.pipeline.run.RunState.FAILED, "bad delivery");
    failWith[0] = new io.geolake.pipeline.run.DataException("Cannot train model X as of 2024-05-13: the 0 training examples have no visit");
    assertThatThrownBy(training::run).hasMessageContaining("no visit");
    assertThat(trainedAsOf).containsExactly(DAY.plusDays(7));
    assertThat(alerter.isOpen("training:2024-05-15")).isTrue();
    assertThat(receivers.webhookBodies).singleElement().asString()
        .contains("\"kind\":\"training_failed\"", "Training model X as of 2024-05-13 failed on 2024-05-15", "no visit", "geolake train --as-of 2024-05-13");
    assertThat(mailSubjects()).containsExactly("[geolake] Training model X as of 2024-05-13 failed on 2024-05-15 -> [oncall@example.com, data@example.com]");

    // The cause fixed, the next training registers a version as of 05-13 and closes the incident without a message.
    failWith[0] = null;
    training.run();
    assertThat(registry.versions()).singleElement().satisfies(v -> assertThat(v.asOf()).isEqualTo(DAY.plusDays(7)));
    assertThat(alerter.isOpen("training:2024-05-15")).isFalse();
    assertThat(receivers.webhookBodies).hasSize(1);
    assertThat(told.get(told.size() - 1)).startsWith("model X v0001 trained as of 2024-05-13");

    // Nothing published since: the schedule fires again and does not repeat the fit.
    training.run();
    assertThat(trainedAsOf).hasSize(2);
    assertThat(told.get(told.size() - 1)).contains("nothing new to learn from: v0001 was trained as of 2024-05-13");
    // 05-14 runs again and succeeds: the next training learns from it.
    store.finish(store.start(DAY.plusDays(8), "test"), io.geolake.pipeline.run.RunState.SUCCEEDED, null);
    training.run();
    assertThat(trainedAsOf).containsExactly(DAY.plusDays(7), DAY.plusDays(7), DAY.plusDays(8));
  }

  @Test
  void aFailedRunAnSlaMissAndTheRecoveryReachEveryChannelOncePerIncident() throws Exception {
    GeolakeConfig config = config();
    LakehouseCatalog catalog = catalog(config);
    MutableClock clock = new MutableClock(Instant.parse("2024-05-07T06:00:00Z"));
    RunStore store = new RunStore(config);
    Alerter alerter = new Alerter(config, store, clock);
    assertThat(alerter.channelNames()).containsExactly("log", "webhook", "email", "sns");
    RunMetrics metrics = new RunMetrics(new SimpleMeterRegistry());
    MonitoredRun run = new MonitoredRun(new DailyRun(catalog, config, metrics), store, alerter, metrics);

    // The delivery has not arrived: the run fails in ingest.
    assertThatThrownBy(() -> run.run(DAY, false)).hasMessageContaining("no delivery folder exists");
    assertThat(receivers.webhookBodies).singleElement().asString()
        .contains("\"kind\":\"run_failed\"", "geolake run of 2024-05-06 failed in step ingest", "error: Cannot ingest 2024-05-06: no delivery folder exists", "geolake runs --date 2024-05-06");
    assertThat(mailSubjects()).containsExactly("[geolake] geolake run of 2024-05-06 failed in step ingest -> [oncall@example.com, data@example.com]");
    assertThat(receivers.snsRejections).isEmpty();
    assertThat(receivers.snsPublishes).singleElement()
        .satisfies(p -> assertThat(p.get("Subject")).isEqualTo("[geolake] geolake run of 2024-05-06 failed in step ingest"))
        .satisfies(p -> assertThat(p.get("Message")).contains("step: ingest"));

    // The same failure again within repeat-after: the incident is open, nothing is re-sent.
    assertThatThrownBy(() -> run.run(DAY, false)).hasMessageContaining("no delivery folder exists");
    assertThat(receivers.webhookBodies).hasSize(1);

    // 07:00 on the next day passes without scores: SLA missed, once.
    SlaMonitor sla = new SlaMonitor(config.alerts().sla(), store, alerter, metrics, clock);
    assertThat(sla.check()).isEmpty();
    clock.set(Instant.parse("2024-05-07T07:01:00Z"));
    assertThat(sla.check()).containsExactly(DAY);
    assertThat(receivers.webhookBodies).hasSize(2);
    assertThat(receivers.webhookBodies.get(1)).contains("\"kind\":\"sla_missed\"", "Scores for 2024-05-06 were not published by 2024-05-07T07:00:00Z",
        "run 2024-05-06-1 is FAILED");
    assertThat(mailSubjects()).hasSize(2).last().asString().contains("Scores for 2024-05-06 were not published by 2024-05-07T07:00:00Z");
    assertThat(receivers.snsPublishes).hasSize(2);
    clock.advance(Duration.ofMinutes(30));
    sla.check();
    assertThat(receivers.webhookBodies).hasSize(2);
    clock.advance(Duration.ofMinutes(31)); // repeat-after (1 h) has passed: still open, sent again
    sla.check();
    assertThat(receivers.webhookBodies).hasSize(3);

    // The delivery arrives and the run succeeds: its incidents close with one "recovered" message.
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, DAY, 5)).writeTo(data.resolve("landing"), s -> {});
    run.run(DAY, false);
    assertThat(receivers.webhookBodies).hasSize(4);
    assertThat(receivers.webhookBodies.get(3)).contains("\"kind\":\"run_recovered\"", "geolake run of 2024-05-06 recovered",
        "geolake run of 2024-05-06 failed in step ingest", "Scores for 2024-05-06 were not published");
    assertThat(smtp.getReceivedMessages()).hasSize(4 * 2); // four alerts, two recipients each
    assertThat(mailSubjects()).last().asString().contains("geolake run of 2024-05-06 recovered");
    assertThat(receivers.snsPublishes).hasSize(4);
    assertThat(alerter.isOpen("run:" + DAY)).isFalse();
    assertThat(alerter.isOpen("sla:" + DAY)).isFalse();
    assertThat(sla.check()).isEmpty();
    assertThat(metrics.registry().counter("geolake.sla.misses").count()).isEqualTo(1.0);
  }

  @Test
  void aModelThatLearnedFromRevertedRowsIsOneIncidentUntilAnotherVersionScores() throws Exception {
    GeolakeConfig config = config();
    MutableClock clock = new MutableClock(Instant.parse("2024-05-13T06:00:00Z"));
    Alerter alerter = new Alerter(config, new RunStore(config), clock);
    alerter.raise(Alert.modelLearnedFromReverted(DAY, "v0001", List.of("2024-05-05-1")));
    clock.advance(java.time.Duration.ofMinutes(10));
    alerter.raise(Alert.modelLearnedFromReverted(DAY.plusDays(1), "v0001", List.of("2024-05-05-1")));
    assertThat(receivers.webhookBodies).singleElement().asString().contains("\"kind\":\"model_learned_from_reverted\"",
        "Model X v0001 scored 2024-05-06 but learned from rows since reverted (2024-05-05-1)", "geolake train --as-of");
    assertThat(alerter.isOpen("model-reverted:v0001")).isTrue();
    Incidents incidents = new Incidents(new RunStore(config));
    assertThat(incidents.recent(false, 10)).singleElement().satisfies(i -> {
      assertThat(i.kind()).isEqualTo("MODEL_LEARNED_FROM_REVERTED");
      assertThat(i.occurrences()).isEqualTo(2);
      assertThat(i.lastSentAt()).isEqualTo(Instant.parse("2024-05-13T06:00:00Z"));
    });
    alerter.modelScoresClean();
    assertThat(alerter.isOpen("model-reverted:v0001")).isFalse();
    assertThat(incidents.recent(false, 10)).isEmpty();
    assertThat(incidents.recent(true, 10)).singleElement().satisfies(i -> assertThat(i.closedAt()).isEqualTo(Instant.parse("2024-05-13T06:10:00Z")));
    assertThat(receivers.webhookBodies).hasSize(1);
  }

  @Test
  void dailyRunsScoringWithAVersionThatLearnedFromRevertedRowsRaiseItUntilACleanVersionScores() throws Exception {
    GeolakeConfig config = config();
    LakehouseCatalog catalog = catalog(config);
    RunStore store = new RunStore(config);
    Alerter alerter = new Alerter(config, store, new MutableClock(Instant.parse("2024-05-07T06:00:00Z")));
    RunMetrics metrics = new RunMetrics(new SimpleMeterRegistry());
    MonitoredRun run = new MonitoredRun(new DailyRun(catalog, config, metrics), store, alerter, metrics);
    ModelRegistry registry = new ModelRegistry(spark, config);
    RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.8);
    registry.makeLive("v0001", "geolake train --as-of 2024-05-05", "live: no version was live");
    registry.learnedFromReverted("v0001", "2024-05-05-1");
    RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.8);
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, DAY, 5)).writeTo(data.resolve("landing"), s -> {});

    var first = run.run(DAY, false).score();
    assertThat(first.modelVersion()).isEqualTo("v0001");
    assertThat(alerter.isOpen("model-reverted:v0001")).isTrue();
    assertThat(receivers.webhookBodies).filteredOn(b -> b.contains("\"kind\":\"model_learned_from_reverted\"")).singleElement().asString()
        .contains("Model X v0001 scored 2024-05-06 but learned from rows since reverted (2024-05-05-1)");
    // Three real devices against a baseline of eight made-up examples: features drifted, a warn
    // incident each, which the run's own success leaves open (no "recovered" for them).
    assertThat(first.driftFailures()).isNotEmpty();
    assertThat(receivers.webhookBodies).hasSize(1 + first.driftFailures().size()).noneMatch(b -> b.contains("run_recovered"));
    assertThat(receivers.webhookBodies).filteredOn(b -> b.contains("\"kind\":\"quality_failed\"")).hasSize(first.driftFailures().size())
        .allSatisfy(b -> assertThat(b).contains("model_x_drift_", "above the maximum", "v0001's"));
    first.driftFailures().forEach(o -> assertThat(alerter.isOpen("quality:" + DAY + ":" + o.rule())).as(o.rule()).isTrue());

    // The operator makes the other version live; the date's next run scores with it and closes the
    // model incident without a message; drift still failing stays open, not re-sent within repeat-after.
    new ManualPromotion(registry, config.model()).makeLive("v0002", "cli: ops", "v0001 learned from a bad delivery", false);
    var second = run.run(DAY, true).score();
    assertThat(second.modelVersion()).isEqualTo("v0002");
    assertThat(alerter.isOpen("model-reverted:v0001")).isFalse();
    assertThat(receivers.webhookBodies).hasSize(1 + first.driftFailures().size());
    second.driftFailures().forEach(o -> assertThat(alerter.isOpen("quality:" + DAY + ":" + o.rule())).as(o.rule()).isTrue());
  }

  @Test
  void aBrokenChannelDoesNotSilenceTheOthers() throws Exception {
    GeolakeConfig config = config();
    smtp.stop(); // the mail server is down
    Alerter alerter = new Alerter(config, new RunStore(config), java.time.Clock.systemUTC());
    List<Alerter.Delivery> deliveries = alerter.raise(Alert.qualityFailed(DAY, "staging_fresh", "warn", "staging_fresh (warn): 30, above the maximum 24"));
    assertThat(deliveries).as(deliveries + " " + receivers.snsRejections).extracting(d -> d.channel() + "=" + d.delivered()).containsExactly("log=true", "webhook=true", "email=false", "sns=true");
    assertThat(deliveries.get(2).error()).containsIgnoringCase("connect");
    assertThat(receivers.webhookBodies).singleElement().asString().contains("Data-quality rule staging_fresh failed for 2024-05-06 (warn)");
    smtp.start();
  }
}
