package io.geolake.cli.command;

import io.geolake.cli.output.ConsoleProgress;
import io.geolake.cli.output.ReportPrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code geolake demo}: generate a synthetic week and run the pipeline for each day in order. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a synthetic week and run the pipeline for each day.",
      "Deliveries go to <data>/landing; the daily pipeline runs for each date in order on the embedded engine,",
      "printing what every step did. Running it again regenerates the same files and shows that re-runs change nothing."
    })
public final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin GeneratorOptions generator;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    GeolakeConfig config = common.load();
    Locations locations = Locations.of(config);
    PrintWriter out = spec.commandLine().getOut();
    Path landing = Path.of(locations.landing());
    out.printf("geolake demo: %d devices, %d days from %s, seed %d%n", generator.devices, generator.days, generator.start, generator.seed);
    out.printf("1/2 generating deliveries into %s%n", landing);
    out.flush();
    new SyntheticDeliveries(generator.settings()).writeTo(landing, d -> GenerateCommand.print(d, out));

    out.printf("2/2 running the pipeline per delivery date (data folder %s)%n", Path.of(locations.data()));
    out.flush();
    LakehouseCatalog catalog = Lakehouse.open(config);
    DailyRun run = new DailyRun(catalog, config, new ConsoleProgress(catalog.spark(), spec.commandLine().getErr()));
    List<RunReport> reports = new ArrayList<>();
    for (LocalDate date : generator.settings().dates()) {
      RunReport report = run.run(date);
      ReportPrinter.print(report, out);
      reports.add(report);
    }
    out.println();
    out.println("Summary (staging rows = rows of that event date after all merges so far):");
    ReportPrinter.summary(reports, out);
    out.printf("%nDemo finished in %.1f s. Explore the tables:%n", (System.nanoTime() - started) / 1e9);
    String data = common.data != null ? " --data " + common.data : "";
    out.printf("  ./geolake tables%s%n", data);
    out.printf("  ./geolake sql%s \"SELECT reason, count(*) FROM staging.quarantine GROUP BY reason ORDER BY 2 DESC\"%n", data);
    out.printf("  ./geolake sql%s \"SELECT date(event_ts) AS day, count(*) AS pings, count(DISTINCT device_id) AS devices FROM staging.pings GROUP BY 1 ORDER BY 1\"%n", data);
    out.printf("  ./geolake sql%s \"SELECT feature_date, count(*) AS devices, round(avg(radius_of_gyration_m)) AS avg_rg_m, round(avg(stay_points), 1) AS stays FROM consumption.device_daily_features GROUP BY 1 ORDER BY 1\"%n", data);
    out.flush();
    return 0;
  }
}
