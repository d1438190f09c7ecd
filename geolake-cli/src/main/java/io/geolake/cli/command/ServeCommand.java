package io.geolake.cli.command;

import io.geolake.cli.output.ConsoleProgress;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.MonitoredMaintenance;
import io.geolake.ops.MonitoredTraining;
import io.geolake.ops.MonitoredRun;
import io.geolake.ops.alert.Alerter;
import io.geolake.ops.alert.SlaMonitor;
import io.geolake.ops.metrics.RunMetrics;
import io.geolake.ops.serve.DeliveryWatcher;
import io.geolake.ops.serve.HttpApi;
import io.geolake.ops.serve.Server;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.access.SqlGate;
import io.geolake.pipeline.maintenance.TableMaintenance;
import io.geolake.pipeline.model.TrainStep;
import io.geolake.pipeline.model.TrainingCutOff;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunRevert;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code geolake serve}: the schedule, the landing watcher, SLA checks and /metrics, until stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run dates, maintenance and training by themselves, with the web console and HTTP API, until stopped.",
      "Stopped by Ctrl-C / SIGTERM. Dates run on the cron schedule (serve.schedule), as soon as a "
          + "delivery is complete (serve.watch: a _SUCCESS file, or files unchanged for serve.stable-for), and the scheduled "
          + "dates missed while the server was down (serve.catch-up-days). Maintains the lake on maintenance.schedule (see "
          + "geolake maintain) and trains model X on model.schedule (see geolake train) when no date is waiting. Checks the "
          + "SLA (alerts.sla) every minute and serves on http://localhost:<serve.port>/ a web console and the HTTP API (/api/: "
          + "SQL in the caller's role, runs, tables, audit; users and their tokens in access.users), Prometheus metrics "
          + "(/metrics) and /health."
    })
public final class ServeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    GeolakeConfig config = common.load();
    Server.checkSchedules(config); // before Spark starts
    LakehouseCatalog catalog = Lakehouse.open(config);
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
    RunMetrics metrics = new RunMetrics(registry);
    RunStore store = new RunStore(config);
    Alerter alerter = new Alerter(config, store, clock);
    DailyRun daily = new DailyRun(catalog, config, new ConsoleProgress(catalog.spark(), spec.commandLine().getErr()).and(metrics));
    MonitoredRun run = new MonitoredRun(daily, store, alerter, metrics);
    DeliveryWatcher watcher = new DeliveryWatcher(config, store, catalog.spark().sparkContext().hadoopConfiguration(), clock);
    SlaMonitor sla = new SlaMonitor(config.alerts().sla(), store, alerter, metrics, clock);
    PrintWriter err = spec.commandLine().getErr();
    QueryAudit audit = new QueryAudit(store);
    TableMaintenance tables = new TableMaintenance(catalog, config);
    MonitoredMaintenance maintenance = new MonitoredMaintenance(alerter, clock, config.serve().timeZone());
    Runnable maintain = () -> maintenance.run(() -> {
      tables.run(clock.instant(), false, r -> {
        err.printf("[maintenance] %s: %s%d small files compacted, %d of %d snapshots expired, %d data files and %d orphan files deleted%s%n",
            r.table(), r.retention() == null ? "" : String.format("%,d rows of days before %s deleted (data-retention), ", r.retention().rows(), r.retention().before()),
            r.compactedFiles(), r.snapshotsExpired(), r.snapshotsBefore(), r.deletedDataFiles(), r.orphans().size(),
            r.tagsReleased().isEmpty() ? "" : ", model-input tags released: " + String.join(" ", r.tagsReleased()));
        err.flush();
      });
      long expired = audit.expire(clock.instant().minus(config.maintenance().auditRetention()), false);
      err.printf("[maintenance] query audit: %,d entries older than maintenance.audit-retention (%s) deleted%n", expired, config.maintenance().auditRetention());
      err.flush();
      return expired;
    });
    // Users' SQL gets a session of its own: a run's write-audit-publish branch is set in the runs'
    // session and must never show in a user's query.
    LakehouseCatalog usersCatalog = LakehouseCatalog.register(catalog.spark().newSession(), config);
    TrainStep trainStep = new TrainStep(catalog, config);
    Runnable train = new MonitoredTraining(trainStep::train, () -> TrainingCutOff.pick(store, trainStep.registry(), config.model()), alerter, clock,
        config.serve().timeZone(), line -> {
      err.println("[training] " + line);
      err.flush();
    });
    Server server = new Server(config, store, date -> run.run(date, false), maintain, train, watcher, sla, registry, clock)
        .api(new HttpApi(config, new SqlGate(usersCatalog, config, audit), store, audit, new RunRevert(catalog, config), trainStep.registry()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "geolake-serve-stop"));
    server.start();
    GeolakeConfig.Serve serve = config.serve();
    out.printf("geolake serve: schedule %s (%s, date = day - %d), maintenance %s, training %s, landing watcher %s, SLA %s, alerts by %s%n",
        serve.schedule().isBlank() ? "off" : "'" + serve.schedule() + "'", serve.timeZone(), serve.daysAfter(),
        config.maintenance().schedule().isBlank() ? "off" : "'" + config.maintenance().schedule() + "'",
        config.model().schedule().isBlank() ? "off" : "'" + config.model().schedule() + "'",
        serve.watch() ? "every " + serve.poll() + " (stable for " + serve.stableFor() + " or _SUCCESS)" : "off",
        config.alerts().sla().configured() ? "scores by " + config.alerts().sla().scoresBy() + " " + config.alerts().sla().timeZone() + " on D+" + config.alerts().sla().daysAfter() : "off",
        alerter.channelNames());
    if (server.port() > 0) {
      GeolakeConfig.Oidc oidc = config.access().oidc();
      out.printf("console on http://localhost:%d/ (%d API user%s in access.users%s), API on /api/, metrics on /metrics, health on /health%n",
          server.port(), config.access().users().size(), config.access().users().size() == 1 ? "" : "s",
          oidc.enabled() ? "; sign-in with " + oidc.issuer() + " for groups " + oidc.roles().keySet().stream().sorted().toList() : "");
    }
    out.flush();
    stopped.await();
    return 0;
  }
}
