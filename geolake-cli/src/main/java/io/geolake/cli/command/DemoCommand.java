package io.geolake.cli.command;

import io.geolake.cli.output.ConsoleProgress;
import io.geolake.cli.output.FeatureSummary;
import io.geolake.cli.output.ModelPrinter;
import io.geolake.cli.output.ReportPrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.generator.PlacesOfInterest;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.model.ScoreResult;
import io.geolake.pipeline.model.ScoreStep;
import io.geolake.pipeline.model.TrainResult;
import io.geolake.pipeline.model.TrainStep;
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

/**
 * {@code geolake demo}: generate a synthetic week, run the pipeline for each day in order, train
 * model X and score the last days.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a synthetic week, run the pipeline for each day, train model X and score the last days.",
      "Deliveries go to <data>/landing; the daily pipeline runs for each date in order on the embedded engine, "
          + "printing what every step did. Running it again regenerates the same files and shows that re-runs change nothing."
    })
public final class DemoCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin GeneratorOptions generator;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    Path places = Path.of(Locations.of(common.load()).landing()).resolve(GenerateCommand.PLACES_FILE);
    GeolakeConfig config = common.loadWithDefaults(demoDefaults(places));
    Locations locations = Locations.of(config);
    PrintWriter out = spec.commandLine().getOut();
    Path landing = Path.of(locations.landing());
    out.printf("geolake demo: %d devices, %d days from %s, seed %d%n", generator.devices, generator.days, generator.start, generator.seed);
    out.printf("1/3 generating deliveries into %s%n", landing);
    out.flush();
    new SyntheticDeliveries(generator.settings()).writeTo(landing, d -> GenerateCommand.print(d, out));
    PlacesOfInterest.writeTo(places);
    out.printf("  places of interest   %s%n", places);

    out.printf("2/3 running the pipeline per delivery date (data folder %s)%n", Path.of(locations.data()));
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

    LocalDate last = generator.settings().dates().get(generator.days - 1);
    out.printf("%n3/3 training model X as of %s, then scoring the last days%n", last);
    out.flush();
    TrainResult trained = new TrainStep(catalog, config).train(last);
    ModelPrinter.trained(trained, out);
    for (LocalDate date = last.minusDays(1); !date.isAfter(last); date = date.plusDays(1)) {
      ScoreResult score = new ScoreStep(catalog, config).execute(date);
      out.printf("  scores %s  %,d devices by %s, %,d predicted to visit a place of interest within %d day%s (mean score %.3f)%n",
          date, score.devices(), score.modelVersion(), score.predictedPositive(), config.model().horizonDays(),
          config.model().horizonDays() == 1 ? "" : "s", score.meanScore());
      if (!score.drift().isEmpty()) {
        out.printf("    drift from its training data: %s%n", ReportPrinter.drift(score));
      }
    }
    out.println();
    out.println("Features (consumption layer, all days):");
    FeatureSummary.print(catalog, out);

    out.printf("%nDemo finished in %.1f s. Explore the tables:%n", (System.nanoTime() - started) / 1e9);
    String data = common.data != null ? " --data " + common.data : "";
    out.printf("  ./geolake tables%s%n", data);
    out.printf("  ./geolake sql%s \"SELECT reason, count(*) FROM staging.quarantine GROUP BY reason ORDER BY 2 DESC\"%n", data);
    out.printf("  ./geolake sql%s \"SELECT place_name, count(*) AS visits, count(DISTINCT device) AS devices FROM consumption.visits GROUP BY 1 ORDER BY 2 DESC\"%n", data);
    out.printf("  ./geolake sql%s \"SELECT * FROM consumption.model_scores ORDER BY score DESC\" --limit 10%n", data);
    out.printf("  ./geolake models%s%n", data);
    out.flush();
    return 0;
  }

  /**
   * What the demo changes unless you did: the synthetic city's places, and a next-day model — a
   * week of data cannot hold training examples, a gap and a hold-out for the 7-day default horizon.
   */
  private List<String> demoDefaults(Path places) {
    return List.of(
        "features.places.geofences=" + places,
        "model.horizon-days=1",
        "model.holdout-days=2",
        "model.training-days=" + generator.days);
  }
}
