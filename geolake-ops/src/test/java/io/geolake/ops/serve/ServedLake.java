package io.geolake.ops.serve;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.MonitoredRun;
import io.geolake.ops.alert.Alerter;
import io.geolake.ops.alert.SlaMonitor;
import io.geolake.ops.metrics.RunMetrics;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.access.SqlGate;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.apache.spark.sql.SparkSession;

/** geolake serve as its command wires it, with the HTTP API and console, for the tests that call them. */
final class ServedLake {

  private ServedLake() {}

  /** A server (not started) whose queued runs are real daily runs, and whose users' SQL runs in a session of its own. */
  static Server server(SparkSession spark, GeolakeConfig config, LakehouseCatalog catalog) {
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RunMetrics metrics = new RunMetrics(registry);
    RunStore store = new RunStore(config);
    Alerter alerter = new Alerter(config, store, clock);
    MonitoredRun run = new MonitoredRun(new DailyRun(catalog, config, metrics), store, alerter, metrics);
    QueryAudit audit = new QueryAudit(store);
    SqlGate gate = new SqlGate(LakehouseCatalog.register(spark.newSession(), config), config, audit);
    return new Server(config, store, d -> run.run(d, false), () -> { }, () -> { }, new DeliveryWatcher(config, store, spark.sparkContext().hadoopConfiguration(), clock),
        new SlaMonitor(config.alerts().sla(), store, alerter, metrics, clock), registry, clock)
        .api(new HttpApi(config, gate, store, audit, new io.geolake.pipeline.run.RunRevert(catalog, config),
            new io.geolake.pipeline.model.ModelRegistry(spark, config)));
  }
}
