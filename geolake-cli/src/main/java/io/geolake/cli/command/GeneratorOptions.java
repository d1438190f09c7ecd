package io.geolake.cli.command;

import io.geolake.generator.FaultRates;
import io.geolake.generator.FileFormat;
import io.geolake.generator.GeneratorSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** What to generate; shared by {@code generate} and {@code demo}. */
public final class GeneratorOptions {
  @Option(names = "--devices", defaultValue = "200", description = "Number of devices (default: ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--days", defaultValue = "7", description = "Number of daily deliveries (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--start", defaultValue = "2024-05-06", paramLabel = "YYYY-MM-DD", description = "First delivery date (default: ${DEFAULT-VALUE}).")
  LocalDate start;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed; the same seed writes the same files (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--formats", split = ",", defaultValue = "csv.gz,jsonl,parquet", description = "File formats, assigned to part files in turn (default: ${DEFAULT-VALUE}).")
  List<String> formats = new ArrayList<>();

  @Option(names = "--files-per-day", defaultValue = "3", description = "Part files per delivery (default: ${DEFAULT-VALUE}).")
  int filesPerDay;

  @Option(
      names = "--fault-rate",
      paramLabel = "FAULT=SHARE",
      description =
          "Override an injected fault's share of rows, e.g. --fault-rate late=0.05 (repeatable). Faults: exact_duplicate,"
              + " redelivered, late, malformed, wrong_type, out_of_range, null_island, future, teleport, missing_accuracy,"
              + " coarse_fix.")
  Map<String, Double> faultRates = new LinkedHashMap<>();

  @Option(names = "--no-faults", description = "Clean data only.")
  boolean noFaults;

  GeneratorSettings settings() {
    List<FileFormat> parsed = formats.stream().map(FileFormat::parse).toList();
    return new GeneratorSettings(devices, days, start, seed, "pings", parsed, filesPerDay, faults());
  }

  private FaultRates faults() {
    FaultRates base = noFaults ? FaultRates.NONE : FaultRates.DEFAULT;
    Map<String, Double> overrides = new LinkedHashMap<>();
    faultRates.forEach((name, share) -> overrides.put(name.toLowerCase(Locale.ROOT), share));
    return base.with(overrides);
  }
}
