package io.geolake.ops;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.alert.Alerter;
import io.geolake.ops.metrics.RunMetrics;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** Assembles a daily run with its alerts and metrics, the same way for run, backfill and serve. */
public final class Operations {
  private Operations() {}

  public static MonitoredRun monitoredRun(LakehouseCatalog catalog, GeolakeConfig config, RunListener progress, MeterRegistry registry) {
    RunStore store = new RunStore(config);
    RunMetrics metrics = new RunMetrics(registry);
    DailyRun run = new DailyRun(catalog, config, progress.and(metrics));
    return new MonitoredRun(run, store, new Alerter(config, store, Clock.systemUTC()), metrics);
  }
}
