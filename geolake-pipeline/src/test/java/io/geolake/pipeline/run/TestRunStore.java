package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The run store and its lease lock, on the embedded SQLite file and on a real PostgreSQL server. */
class TestRunStore {
  private static final LocalDate DAY = LocalDate.parse("2024-05-06");

  @TempDir Path data;

  static Stream<String> stores() {
    return Stream.of("sqlite", "postgresql");
  }

  private GeolakeConfig config(String store, String... settings) throws Exception {
    List<String> all = new ArrayList<>(List.of("data=" + data));
    if (store.equals("postgresql")) {
      String url = PostgresServer.jdbcUrl();
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS geolake_runs, geolake_steps, geolake_locks, geolake_forgotten_devices, geolake_query_audit");
      }
      all.add("runs.uri=" + url);
    } else {
      all.add("runs.uri=jdbc:sqlite:" + data.resolve("shared-runs.db"));
    }
    all.addAll(List.of(settings));
    return ConfigLoader.load(null, all);
  }

  /** The lease's name: the lake's data folder. */
  private static String lake(GeolakeConfig config) {
    return io.geolake.core.config.Locations.of(config).data().toString();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void runsAndStepsAreRecordedAndReadBack(String kind) throws Exception {
    RunStore store = new RunStore(config(kind));
    RunRecord run = store.start(DAY, "holder one");
    assertThat(run.runId()).isEqualTo("2024-05-06-1");
    store.stepStarted(run.runId(), "ingest");
    store.stepSucceeded(run.runId(), "ingest", 10L, 9L, Map.of("raw.pings", 123456789012345L), Map.of("rawRows", 9));
    store.stepStarted(run.runId(), "stage");
    store.stepFailed(run.runId(), "stage", "boom: it's \"quoted\"");
    store.finish(run, RunState.FAILED, "boom");

    RunRecord resumed = store.resume(store.latest(DAY).orElseThrow(), "holder two");
    assertThat(resumed.attempt()).isEqualTo(2);
    assertThat(resumed.state()).isEqualTo(RunState.RUNNING);
    assertThat(resumed.holder()).isEqualTo("holder two");
    store.stepStarted(run.runId(), "stage");
    List<StepRecord> steps = store.steps(run.runId());
    assertThat(steps).extracting(StepRecord::step).containsExactly("ingest", "stage");
    assertThat(steps.get(0).state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(steps.get(0).rowsIn()).isEqualTo(10L);
    assertThat(steps.get(0).snapshots()).isEqualTo("{\"raw.pings\":123456789012345}");
    assertThat(steps.get(1).state()).isEqualTo(StepState.RUNNING);
    assertThat(steps.get(1).attempts()).isEqualTo(2);
    assertThat(steps.get(1).error()).isNull();

    store.finish(resumed, RunState.SUCCEEDED, null);
    RunRecord second = store.start(DAY, "holder three", DailyRun.STEPS);
    store.stepStarted(second.runId(), "stage"); // out of order on purpose: listing follows the run's order
    store.stepStarted(second.runId(), "ingest");
    store.stepSkipped(second.runId(), "publish", "not run: the quality gate failed");
    assertThat(store.steps(second.runId())).extracting(s -> s.step() + "=" + s.state() + "/" + s.attempts())
        .containsExactly("ingest=RUNNING/1", "stage=RUNNING/1", "features=PENDING/0", "quality=PENDING/0", "score=PENDING/0", "publish=SKIPPED/0");
    assertThat(second.runId()).isEqualTo("2024-05-06-2");
    assertThat(store.runs(DAY, 1)).extracting(RunRecord::runId).containsExactly("2024-05-06-2");
    assertThat(store.runs(null, 10)).hasSize(2);
  }

  /** What forget keeps in the run store (upserts, string replacement) works in both dialects. */
  @ParameterizedTest
  @MethodSource("stores")
  void forgottenDevicesAreKeptOnceAndTheirIdsRedactedFromTheQueryAudit(String kind) throws Exception {
    RunStore store = new RunStore(config(kind));
    io.geolake.pipeline.privacy.ForgottenDevices forgotten = new io.geolake.pipeline.privacy.ForgottenDevices(store);
    forgotten.add(List.of("p2", "p1"), "ana");
    forgotten.add(List.of("p1"), "ana"); // forgotten again: kept once
    assertThat(forgotten.pseudonyms()).containsExactly("p1", "p2");

    io.geolake.pipeline.access.QueryAudit audit = new io.geolake.pipeline.access.QueryAudit(store);
    String id = audit.started("ana", "admin", "cli", "SELECT * FROM staging.pings WHERE device_id = 'dev-7' OR device_id = 'dev-7'", List.of());
    audit.failed(id, "no such column near 'dev-7'");
    audit.refused("bo", "engineer", "api", "SELECT device_id FROM raw.pings", io.geolake.pipeline.access.QueryAudit.Outcome.DENIED, "personal data");

    assertThat(audit.redact("dev-7", "<forgotten device>")).isEqualTo(1);
    assertThat(audit.recent(null, 10)).extracting(e -> e.statement() + " / " + e.detail()).containsExactly(
        "SELECT device_id FROM raw.pings / personal data",
        "SELECT * FROM staging.pings WHERE device_id = '<forgotten device>' OR device_id = '<forgotten device>'"
            + " / no such column near '<forgotten device>'");
    assertThat(audit.redact("dev-7", "<forgotten device>")).isZero();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aSecondRunIsRefusedNamingTheHolderUntilTheFirstReleases(String kind) throws Exception {
    GeolakeConfig config = config(kind, "runs.heartbeat=PT0.2S", "runs.lock-timeout=PT5S");
    try (RunLock first = RunLock.acquire(config, "the run of 2024-05-06")) {
      assertThat(first).isInstanceOf(LeaseRunLock.class);
      Thread.sleep(600); // a few heartbeats
      assertThatThrownBy(() -> RunLock.acquire(config, "the run of 2024-05-07"))
          .isInstanceOf(RunLockedException.class)
          .hasMessageContaining("Cannot start the run of 2024-05-07")
          .hasMessageContaining("(the run of 2024-05-06, process ")
          .hasMessageContaining("runs.lock-timeout (PT5S)");
      first.checkHeld();
    }
    try (RunLock again = RunLock.acquire(config, "the run of 2024-05-07")) {
      again.checkHeld();
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void theModelRegistrysLeaseIsWaitedForAndIsNotTheRunsLock(String kind) throws Exception {
    GeolakeConfig config = config(kind, "runs.heartbeat=PT0.2S", "runs.lock-timeout=PT5S");
    RunLock registry = RunLock.await(config, "model-registry", "the model registry", "register model X", Duration.ofSeconds(5));
    assertThat(registry).isInstanceOf(LeaseRunLock.class);
    try (RunLock run = RunLock.acquire(config, "the run of 2024-05-06")) {
      run.checkHeld();
    }
    assertThatThrownBy(() -> RunLock.await(config, "model-registry", "the model registry", "make v0002 live", Duration.ofMillis(500)))
        .isInstanceOf(RunLockedException.class)
        .hasMessageContaining("Cannot make v0002 live: the model registry has been held for over 500 ms by register model X, process ");
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<RunLock> waiting = other.submit(() -> RunLock.await(config, "model-registry", "the model registry", "make v0002 live", Duration.ofSeconds(20)));
      Thread.sleep(500);
      assertThat(waiting).isNotDone();
      registry.close();
      try (RunLock taken = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
        assertThat(new RunStore(config).leaseHolder(lake(config) + "#model-registry")).hasValueSatisfying(h -> assertThat(h).startsWith("make v0002 live"));
      }
    } finally {
      registry.close();
      other.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aLeaseWhoseHeartbeatStoppedIsTakenOverByExactlyOneOfTheRunsRacingForIt(String kind) throws Exception {
    GeolakeConfig config = config(kind, "runs.heartbeat=PT0.2S", "runs.lock-timeout=PT1S");
    RunStore store = new RunStore(config);
    String lake = lake(config);
    // A process that took the lease and died: nobody renews it.
    assertThat(store.tryLease(lake, "the run of 2024-05-06, process 1@dead", Duration.ofSeconds(1)).acquired()).isTrue();
    assertThat(store.tryLease(lake, "someone else", Duration.ofSeconds(1)))
        .satisfies(lease -> assertThat(lease.acquired()).isFalse())
        .satisfies(lease -> assertThat(lease.holder()).isEqualTo("the run of 2024-05-06, process 1@dead"));
    Thread.sleep(1300);

    int racers = 6;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Future<Boolean>> outcomes = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      String holder = "racer " + i;
      Callable<Boolean> race = () -> {
        go.await();
        return new RunStore(config).tryLease(lake, holder, Duration.ofSeconds(1)).acquired();
      };
      outcomes.add(pool.submit(race));
    }
    go.countDown();
    int winners = 0;
    for (Future<Boolean> outcome : outcomes) {
      winners += outcome.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(winners).isEqualTo(1);
    assertThat(store.leaseHolder(lake)).get().asString().startsWith("racer ");
    assertThat(store.renewLease(lake, "the run of 2024-05-06, process 1@dead")).isFalse();
  }

  @ParameterizedTest
  @MethodSource("stores")
  void aLiveRunKeepsItsLeaseAndARunWhoseLeaseWasTakenOverStops(String kind) throws Exception {
    GeolakeConfig config = config(kind, "runs.heartbeat=PT0.2S", "runs.lock-timeout=PT1S");
    RunStore store = new RunStore(config);
    try (RunLock live = RunLock.acquire(config, "the run of 2024-05-06")) {
      Thread.sleep(1500); // longer than the timeout: only the heartbeats keep it
      assertThat(store.tryLease(lake(config), "a later run", Duration.ofSeconds(1)).acquired()).isFalse();
      live.checkHeld();

      // Another host decided this run was dead (e.g. a long GC pause) and took the lease over.
      try (Connection c = DriverManager.getConnection(config.runs().uri()); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE geolake_locks SET holder = 'the run of 2024-05-06 on another host'");
      }
      Thread.sleep(600);
      assertThatThrownBy(live::checkHeld)
          .isInstanceOf(RunLockedException.class)
          .hasMessageContaining("taken over by the run of 2024-05-06 on another host");
    }
    assertThat(store.leaseHolder(lake(config))).contains("the run of 2024-05-06 on another host");
  }
}
