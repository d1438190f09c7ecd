package io.geolake.cli.command;

import io.geolake.core.config.Locations;
import io.geolake.generator.DeliverySummary;
import io.geolake.generator.PlacesOfInterest;
import io.geolake.generator.SyntheticDeliveries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake generate}: write synthetic deliveries into a landing folder. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic daily deliveries into a landing folder.",
      "Mexico City devices with home/work routines, written to <out>/pings/dt=YYYY-MM-DD/ with duplicates, "
          + "re-deliveries, late rows and broken rows injected. Deterministic per seed."
    })
public final class GenerateCommand implements Callable<Integer> {
  /** Where generate and demo put the synthetic city's places of interest, in the landing folder. */
  static final String PLACES_FILE = "places.geojson";

  @Mixin CommonOptions common;

  @Mixin GeneratorOptions generator;

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Landing folder to write into (default: the config's landing, <data>/landing).")
  Path out;

  @Override
  public Integer call() {
    Path landing = out != null ? out : Path.of(Locations.of(common.load()).landing());
    PrintWriter writer = spec.commandLine().getOut();
    writer.printf("Generating %d days for %d devices into %s%n", generator.days, generator.devices, landing);
    writer.flush();
    List<DeliverySummary> days = new SyntheticDeliveries(generator.settings()).writeTo(landing, d -> print(d, writer));
    Path places = PlacesOfInterest.writeTo(landing.resolve(PLACES_FILE));
    writer.printf("Wrote %,d rows in %d deliveries.%n", days.stream().mapToLong(DeliverySummary::rows).sum(), days.size());
    writer.printf("The city's places of interest (for visits and model X): --set features.places.geofences=%s%n", places);
    writer.flush();
    return 0;
  }

  static void print(DeliverySummary d, PrintWriter out) {
    String faults =
        d.faults().entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .sorted(java.util.Map.Entry.comparingByKey())
            .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + " " + e.getValue())
            .collect(Collectors.joining(", "));
    out.printf("  dt=%s  %,9d rows in %d files  injected: %s%n", d.date(), d.rows(), d.files(), faults.isEmpty() ? "none" : faults);
    out.flush();
  }
}
