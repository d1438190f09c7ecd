package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line's start-up: {@code ./geolake sql} on a small lake, timed as a user meets it (a
 * new JVM per command, through the launcher), with the launcher's class-data archive and without
 * it, alternating; plus the one command that records the archive.
 */
final class StartupCase implements BenchCase {
  private static final Path LAUNCHER = Path.of("geolake");
  private static final Path ARCHIVES = Path.of("geolake-cli/target");
  private final int rounds;

  StartupCase(int rounds) {
    this.rounds = rounds;
  }

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public String description() {
    return "`geolake sql` on a small lake, a new JVM per command, with and without the launcher's class-data archive";
  }

  @Override
  public Report run(BenchContext ctx) {
    if (!Files.isExecutable(LAUNCHER)) {
      throw new IllegalStateException("Run the startup case from the project root (bench/run does): it times ./geolake");
    }
    GeolakeConfig config = ctx.lake("startup");
    ctx.generate(config, 1, 20_000, Map.of());
    new DailyRun(ctx.catalog(config), config, RunListener.NONE).run(BenchContext.START);
    List<String> sql = List.of("sql", "--data", config.data().toString(), "--set", "catalog.name=" + config.catalog().name(),
        "SELECT count(*) FROM staging.pings");

    deleteArchives();
    double recording = time(sql, true);
    List<Double> with = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      with.add(time(sql, true));
      without.add(time(sql, false));
    }
    int cores = ctx.meter.cores();
    List<Measurement> measurements = List.of(
        Measurement.timeAndRows("sql, recording the archive (once per build)", recording, Measurement.NOT_MEASURED, Measurement.NOT_MEASURED, cores),
        Measurement.timeAndRows("sql with the archive, median of " + rounds, median(with), Measurement.NOT_MEASURED, Measurement.NOT_MEASURED, cores),
        Measurement.timeAndRows("sql without it (GEOLAKE_CDS=0), median of " + rounds, median(without), Measurement.NOT_MEASURED, Measurement.NOT_MEASURED, cores));
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put("with / without the archive (medians)", median(with) / median(without));
    List<String> notes = List.of(
        String.format("with the archive: %s s; without: %s s (rounds alternate)", seconds(with), seconds(without)),
        "each command is `./geolake sql --data <lake> \"SELECT count(*) FROM staging.pings\"` on one day of ~20,000 rows;"
            + " the time is the whole process, launcher included, while this JVM idles");
    return new Report(measurements, ratios, notes);
  }

  private static double time(List<String> args, boolean archive) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toAbsolutePath().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("GEOLAKE_CDS", archive ? "1" : "0");
    long started = System.nanoTime();
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IllegalStateException("geolake " + String.join(" ", args) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.err.printf("  geolake sql, GEOLAKE_CDS=%d: %.2f s%n", archive ? 1 : 0, seconds);
    return seconds;
  }

  private static void deleteArchives() {
    try (DirectoryStream<Path> archives = Files.newDirectoryStream(ARCHIVES, "geolake-*.jsa")) {
      for (Path archive : archives) {
        Files.delete(archive);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String seconds(List<Double> values) {
    return values.stream().map(v -> String.format("%.2f", v)).collect(java.util.stream.Collectors.joining(", "));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
