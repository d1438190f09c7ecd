package io.geolake.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.geolake.cli.output.ConsoleProgress;
import io.geolake.cli.output.ReportPrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.Operations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake run --date D}: the daily run of one delivery date, resumed if it was left unfinished. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the daily pipeline for one delivery date: ingest, stage, features, quality, score, publish.",
      "Steps write to a branch of every table that publish makes visible, so a failed run leaves every table as it was; "
          + "running the date again resumes it from its first unfinished step. Re-running a finished date yields the same tables. "
          + "A failure, a failed quality rule and a recovery are sent to the alert channels (alerts.*)."
    })
public final class RunCommand implements Callable<Integer> {
  enum Format {
    text,
    json
  }

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "Delivery date (the dt= folder).")
  LocalDate date;

  @Option(names = "--landing", paramLabel = "DIR", description = "Landing root holding <source>/dt=YYYY-MM-DD/ (overrides the config); a path or a URI.")
  String landing;

  @Option(
      names = "--force",
      description = "Start over: abandon an unfinished (failed or killed) run of the date instead of resuming it from its first unfinished step.")
  boolean force;

  @Option(names = "--format", defaultValue = "text", description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() throws Exception {
    List<String> explicit = new ArrayList<>();
    if (landing != null) {
      explicit.add("landing=" + landing);
    }
    GeolakeConfig config = common.load(explicit.toArray(String[]::new));
    LakehouseCatalog catalog = Lakehouse.open(config);
    PrintWriter out = spec.commandLine().getOut();
    RunReport report =
        Operations.monitoredRun(catalog, config, new ConsoleProgress(catalog.spark(), spec.commandLine().getErr()), new SimpleMeterRegistry())
            .run(date, force);
    if (format == Format.json) {
      out.println(
          new ObjectMapper()
              .registerModule(new JavaTimeModule())
              .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
              .writerWithDefaultPrettyPrinter()
              .writeValueAsString(report));
      out.flush();
    } else {
      ReportPrinter.print(report, out);
    }
    return 0;
  }
}
