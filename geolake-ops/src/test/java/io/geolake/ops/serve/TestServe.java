package io.geolake.ops.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.ops.MonitoredRun;
import io.geolake.ops.MutableClock;
import io.geolake.ops.alert.Alerter;
import io.geolake.ops.alert.SlaMonitor;
import io.geolake.ops.metrics.RunMetrics;
import io.geolake.pipeline.maintenance.TableMaintenance;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geolake serve's triggers: a cron schedule, a delivery becoming complete, catch-up of missed dates. */
class TestServe extends BaseSparkTest {
  /**
   * The scheduled tests run yesterday's synthetic delivery, which differs from day to day: a few
   * broken rows in a 95-row day can pass the 5% reject guard one day and not the next, and the
   * guard is not what these tests are about.
   */
  private static final String ANY_REJECT_SHARE = "guard.max-reject-share=1.0";

  @TempDir Path data;

  private record Running(Server server, RunStore store, PrometheusMeterRegistry registry, Alerter alerter) {}

  private Running serve(GeolakeConfig config, Clock clock) {
    LakehouseCatalog catalog = catalog(config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RunMetrics metrics = new RunMetrics(registry);
    RunStore store = new RunStore(config);
    Alerter alerter = new Alerter(config, store, clock);
    MonitoredRun run = new MonitoredRun(new DailyRun(catalog, config, metrics), store, alerter, metrics);
    DeliveryWatcher watcher = new DeliveryWatcher(config, store, spark.sparkContext().hadoopConfiguration(), clock);
    SlaMonitor sla = new SlaMonitor(config.alerts().sla(), store, alerter, metrics, clock);
    Runnable maintenance = () -> new TableMaintenance(catalog, config).run(clock.instant(), false, r -> {});
    io.geolake.pipeline.model.TrainStep train = new io.geolake.pipeline.model.TrainStep(catalog, config);
    Runnable training = new io.geolake.ops.MonitoredTraining(train::train,
        () -> io.geolake.pipeline.model.TrainingCutOff.pick(store, train.registry(), config.model()), alerter, clock, ZoneOffset.UTC, line -> {});
    return new Running(new Server(config, store, d -> run.run(d, false), maintenance, training, watcher, sla, registry, clock), store, registry, alerter);
  }

  private static List<RunQueue.Finished> awaitRuns(Server server, int runs) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while (server.finishedRuns().size() < runs && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return server.finishedRuns();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theCronScheduleRunsTheScheduledDateAndMetricsShowIt() throws Exception {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, yesterday, 7)).writeTo(data.resolve("landing"), s -> {});
    ZonedDateTime fire = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(4);
    String once = "%d %d %d %d %d ? %d".formatted(fire.getSecond(), fire.getMinute(), fire.getHour(), fire.getDayOfMonth(), fire.getMonthValue(), fire.getYear());
    int port = freePort();
    GeolakeConfig config = config(data, ANY_REJECT_SHARE, "serve.schedule=" + once, "serve.time-zone=UTC", "serve.days-after=1", "serve.watch=false",
        "serve.catch-up-days=0", "serve.port=" + port);
    Running running = serve(config, Clock.systemUTC());
    try (Server server = running.server().start()) {
      Thread.sleep(1000);
      assertThat(server.finishedRuns()).isEmpty(); // nothing before the schedule fires
      List<RunQueue.Finished> runs = awaitRuns(server, 1);
      assertThat(runs).singleElement().satisfies(r -> {
        assertThat(r.date()).isEqualTo(yesterday);
        assertThat(r.reason()).isEqualTo("schedule " + once);
        assertThat(r.succeeded()).as(r.error()).isTrue();
      });
      assertThat(Instant.now()).isAfter(fire.toInstant());

      HttpClient http = HttpClient.newHttpClient();
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("geolake_run_duration_seconds_count{outcome=\"succeeded\"} 1");
      assertThat(metrics).containsPattern("geolake_rows_total\\{layer=\"staging\"\\} [1-9]");
      assertThat(metrics).contains("geolake_step_duration_seconds_count{step=\"quality\"} 1");
      String health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(health).isEqualTo("{\"status\":\"up\",\"running\":null,\"chore\":null,\"queued\":[]}");
    }
  }

  @Test
  void scheduledMaintenanceWaitsForTheRunInProgressThenExpiresSnapshots() throws Exception {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, yesterday, 8)).writeTo(data.resolve("landing"), s -> {});
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String run = once(now.plusSeconds(6)); // after the lake and server are set up, which can take seconds
    String maintain = once(now.plusSeconds(7)); // fires while the run is in progress
    GeolakeConfig config = config(data, ANY_REJECT_SHARE, "serve.schedule=" + run, "serve.time-zone=UTC", "serve.days-after=1", "serve.watch=false",
        "serve.catch-up-days=0", "serve.port=0", "maintenance.schedule=" + maintain, "maintenance.snapshot-retention=PT0S", "maintenance.retain-last=1");
    Running running = serve(config, Clock.systemUTC());
    // A lake with history before the delivery (a date that failed long ago): old enough for a
    // training date, so the training runs for real.
    running.store().finish(running.store().start(yesterday.minusDays(60), "test"), io.geolake.pipeline.run.RunState.FAILED, "no delivery");
    try (Server server = running.server().start()) {
      List<RunQueue.Finished> done = awaitRuns(server, 2);
      assertThat(done).hasSize(2);
      assertThat(done.get(0).date()).isEqualTo(yesterday);
      assertThat(done.get(0).succeeded()).as(done.get(0).error()).isTrue();
      assertThat(done.get(1).date()).isNull();
      assertThat(done.get(1).chore()).isEqualTo("maintenance");
      assertThat(done.get(1).reason()).isEqualTo("schedule " + maintain);
      assertThat(done.get(1).succeeded()).as(done.get(1).error()).isTrue();
    }
    org.apache.iceberg.Table staging = catalog(config).table(io.geolake.core.schema.Tables.STAGING_PINGS);
    assertThat(staging.snapshots()).hasSize(1);
    assertThat(staging.currentSnapshot().summary().get("total-records")).isNotEqualTo("0");
  }

  @Test
  void scheduledTrainingWaitsForTheRunInProgressThenTrainsAsOfItsDate() throws Exception {
    LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, yesterday, 9)).writeTo(data.resolve("landing"), s -> {});
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    String run = once(now.plusSeconds(6)); // after the lake and server are set up, which can take seconds
    String train = once(now.plusSeconds(7)); // fires while the run is in progress
    GeolakeConfig config = config(data, ANY_REJECT_SHARE, "serve.schedule=" + run, "serve.time-zone=UTC", "serve.days-after=1", "serve.watch=false",
        "serve.catch-up-days=0", "serve.port=0", "model.schedule=" + train);
    Running running = serve(config, Clock.systemUTC());
    // A lake with history before the delivery (a date that failed long ago): old enough for a
    // training date, so the training runs for real.
    running.store().finish(running.store().start(yesterday.minusDays(60), "test"), io.geolake.pipeline.run.RunState.FAILED, "no delivery");
    try (Server server = running.server().start()) {
      List<RunQueue.Finished> done = awaitRuns(server, 2);
      assertThat(done).hasSize(2);
      assertThat(done.get(0).date()).isEqualTo(yesterday);
      assertThat(done.get(0).succeeded()).as(done.get(0).error()).isTrue();
      // Real training as of the date that just ran: one day of three devices holds no example to
      // learn from, so it fails, says why, and raises the incident.
      assertThat(done.get(1).chore()).isEqualTo("training");
      assertThat(done.get(1).reason()).isEqualTo("schedule " + train);
      assertThat(done.get(1).succeeded()).isFalse();
      assertThat(done.get(1).error()).contains("Cannot train model X as of " + yesterday);
      assertThat(running.alerter().isOpen("training:" + LocalDate.now(ZoneOffset.UTC))).isTrue();
    }
  }

  /** A Quartz cron expression that fires once, at the given second. */
  private static String once(ZonedDateTime at) {
    return "%d %d %d %d %d ? %d".formatted(at.getSecond(), at.getMinute(), at.getHour(), at.getDayOfMonth(), at.getMonthValue(), at.getYear());
  }

  @Test
  void theWatcherRunsADeliveryOnceItsSuccessMarkerArrivesAndNotAgain() throws Exception {
    LocalDate day = LocalDate.of(2024, 5, 6);
    Path landing = data.resolve("landing");
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, day, 8)).writeTo(landing, s -> {});
    Path marker = landing.resolve("pings/dt=2024-05-06/_SUCCESS");
    Files.delete(marker); // still arriving
    GeolakeConfig config = config(data, "serve.schedule=", "serve.watch=true", "serve.stable-for=PT1H", "serve.poll=PT0.3S", "serve.port=0");
    Running running = serve(config, Clock.systemUTC());
    try (Server server = running.server().start()) {
      Thread.sleep(2000);
      assertThat(server.finishedRuns()).isEmpty();
      assertThat(running.store().latest(day)).isEmpty();

      Files.writeString(marker, "");
      List<RunQueue.Finished> runs = awaitRuns(server, 1);
      assertThat(runs).singleElement().satisfies(r -> {
        assertThat(r.date()).isEqualTo(day);
        assertThat(r.reason()).isEqualTo("delivery complete");
        assertThat(r.succeeded()).as(r.error()).isTrue();
      });
      Thread.sleep(1500); // several more polls: the date ran since its delivery last changed
      assertThat(server.finishedRuns()).hasSize(1);
    }
  }

  @Test
  void filesUnchangedForStableForMakeADeliveryComplete() throws Exception {
    LocalDate day = LocalDate.of(2024, 5, 6);
    Path landing = data.resolve("landing");
    new SyntheticDeliveries(GeneratorSettings.defaults(2, 1, day, 9)).writeTo(landing, s -> {});
    Files.delete(landing.resolve("pings/dt=2024-05-06/_SUCCESS"));
    GeolakeConfig config = config(data, "serve.stable-for=PT10M");
    MutableClock clock = new MutableClock(Instant.now());
    DeliveryWatcher watcher = new DeliveryWatcher(config, new RunStore(config), spark.sparkContext().hadoopConfiguration(), clock);
    assertThat(watcher.deliveries().get(day).why()).isEqualTo("still arriving");
    assertThat(watcher.datesToRun()).isEmpty();
    clock.advance(Duration.ofMinutes(11));
    assertThat(watcher.deliveries().get(day).why()).isEqualTo("files unchanged for PT10M");
    assertThat(watcher.datesToRun()).containsExactly(day);
  }

  @Test
  void startUpCatchesUpTheScheduledDatesMissedWhileDown() throws Exception {
    Path landing = data.resolve("landing");
    new SyntheticDeliveries(GeneratorSettings.defaults(2, 3, LocalDate.of(2024, 5, 6), 10)).writeTo(landing, s -> {});
    GeolakeConfig config = config(data, "serve.schedule=0 30 5 * * ?", "serve.time-zone=UTC", "serve.days-after=1", "serve.catch-up-days=3",
        "serve.watch=false", "serve.port=0");
    MutableClock clock = new MutableClock(Instant.parse("2024-05-09T06:00:00Z"));
    try (Server server = serve(config, clock).server()) {
      // Fired (or should have) at 05:30 on 05-07, 05-08 and 05-09 for the dates before them.
      assertThat(server.missedDates()).containsExactly(LocalDate.of(2024, 5, 6), LocalDate.of(2024, 5, 7), LocalDate.of(2024, 5, 8));
      clock.set(Instant.parse("2024-05-09T05:00:00Z")); // today's fire time has not come yet
      assertThat(server.missedDates()).containsExactly(LocalDate.of(2024, 5, 6), LocalDate.of(2024, 5, 7));
      // A failed date is caught up; a reverted one (its delivery was found bad) waits for its delivery to change.
      RunStore store = new RunStore(config);
      store.finish(store.start(LocalDate.of(2024, 5, 6), "test"), io.geolake.pipeline.run.RunState.REVERTED, "reverted");
      store.finish(store.start(LocalDate.of(2024, 5, 7), "test"), io.geolake.pipeline.run.RunState.FAILED, "failed");
      assertThat(server.missedDates()).containsExactly(LocalDate.of(2024, 5, 7));
    }
  }
}
