package io.geolake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.geolake.core.config.ConfigLoader;
import io.geolake.pipeline.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark harness: runs named cases on the embedded engine and writes each case's
 * measurements and ratios as JSON and markdown under {@code bench/results/}.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true, description = "Measure geolake's pipeline steps side by side.")
public final class Bench implements Callable<Integer> {
  @Option(names = "--case", split = ",", defaultValue = "floor,history,duckdb", description = "Cases to run: floor, history, naive, duckdb, merge-mode, steady, hudi, memory, startup, maintain (default: ${DEFAULT-VALUE}).")
  List<String> cases = new ArrayList<>();

  @Option(names = "--rows-per-day", defaultValue = "1000000", description = "Delivery size for the floor, duckdb and memory cases (default: ${DEFAULT-VALUE}).")
  long rowsPerDay;

  @Option(names = "--merge-days", defaultValue = "6", description = "Days of deliveries for the merge-mode, steady and hudi cases (default: ${DEFAULT-VALUE}).")
  int mergeDays;

  @Option(names = "--maintain-days", defaultValue = "10", description = "Daily runs before the maintain case maintains the lake (default: ${DEFAULT-VALUE}).")
  int maintainDays;

  @Option(names = "--history-rows-per-day", defaultValue = "200000", description = "Delivery size for the history, naive, merge-mode, steady, hudi and maintain cases (default: ${DEFAULT-VALUE}).")
  long historyRowsPerDay;

  @Option(names = "--history-days", defaultValue = "30", description = "Days of history to build (default: ${DEFAULT-VALUE}).")
  int historyDays;

  @Option(names = "--naive-days", split = ",", defaultValue = "30,90", description = "Days of history at which the naive case measures (default: ${DEFAULT-VALUE}).")
  List<Integer> naiveDays = new ArrayList<>();

  @Option(names = "--work", defaultValue = "${java.io.tmpdir}/geolake-bench", description = "Scratch folder, emptied first (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--out", defaultValue = "bench/results", description = "Where results go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    deleteRecursively(work);
    Files.createDirectories(work);
    Files.createDirectories(out);
    if (cases.stream().anyMatch(c -> c.trim().equals("hudi"))) {
      // Hudi refuses any other serializer; a session has one, so the hudi case runs on its own.
      if (cases.size() > 1) {
        throw new CommandLine.ParameterException(new CommandLine(this), "Run the hudi case on its own: it needs Spark's Kryo serializer for the whole session");
      }
      System.setProperty("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
      System.setProperty("spark.kryo.registrator", "org.apache.spark.HoodieSparkKryoRegistrar");
    }
    SparkSession spark = SparkSessions.create(ConfigLoader.load(null, List.of("data=" + work.resolve("session"))));
    BenchContext context = new BenchContext(spark, work, seed);
    for (String name : cases) {
      BenchCase benchCase =
          switch (name.trim()) {
            case "floor" -> new FloorCase(rowsPerDay);
            case "history" -> new HistoryCase(historyRowsPerDay, historyDays);
            case "duckdb" -> new DuckDbCase(rowsPerDay);
            case "merge-mode" -> new MergeModeCase(historyRowsPerDay, mergeDays);
            case "steady" -> steadyCase();
            case "hudi" -> new HudiCase(historyRowsPerDay, mergeDays);
            case "memory" -> new MemoryCase(rowsPerDay);
            case "naive" -> naiveCase();
            case "startup" -> new StartupCase(5);
            case "maintain" -> new MaintainCase(historyRowsPerDay, maintainDays);
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "Unknown case '" + name + "': expected floor, history, naive, duckdb, merge-mode, steady, hudi, memory, startup or maintain");
          };
      System.err.printf("== %s: %s%n", benchCase.name(), benchCase.description());
      long started = System.nanoTime();
      context.meter.phaseMillis.clear();
      BenchCase.Report report = benchCase.run(context);
      write(benchCase, report, context, (System.nanoTime() - started) / 1e9);
    }
    spark.stop();
    return 0;
  }

  private SteadyCase steadyCase() {
    try {
      return new SteadyCase(historyRowsPerDay, mergeDays);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
  }

  private NaiveCase naiveCase() {
    try {
      return new NaiveCase(historyRowsPerDay, naiveDays);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
  }

  private void write(BenchCase benchCase, BenchCase.Report report, BenchContext ctx, double seconds) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("case", benchCase.name());
    json.put("description", benchCase.description());
    json.put("command", "bench/run --case " + benchCase.name() + " --rows-per-day " + rowsPerDay
        + " --history-rows-per-day " + historyRowsPerDay + " --history-days " + historyDays + " --merge-days " + mergeDays + " --maintain-days " + maintainDays
        + " --naive-days " + naiveDays.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + " --seed " + seed);
    json.put("finished", Instant.now().toString());
    json.put("machine", Map.of(
        "cores", Runtime.getRuntime().availableProcessors(),
        "sparkParallelism", ctx.meter.cores(),
        "maxHeapMb", Runtime.getRuntime().maxMemory() >> 20,
        "java", System.getProperty("java.version"),
        "spark", ctx.spark.version()));
    json.put("seconds", seconds);
    json.put("measurements", report.measurements());
    json.put("ratios", report.ratios());
    json.put("notes", report.notes());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(benchCase.name() + ".json").toFile(), json);

    StringBuilder md = new StringBuilder();
    md.append("## ").append(benchCase.name()).append(": ").append(benchCase.description()).append("\n\n");
    md.append(String.format("`%s` — %d cores, Spark %s, Java %s, heap %,d MB, %s%n%n",
        json.get("command"), Runtime.getRuntime().availableProcessors(), ctx.spark.version(), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, json.get("finished")));
    md.append("| step | seconds | rows in | rows out | rows/s/core | read MB | written MB | files written | peak heap MB |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Measurement m : report.measurements()) {
      md.append(String.format("| %s | %.1f | %s | %s | %s | %s | %s | %s | %s |%n",
          m.name().trim(), m.seconds(), count(m.rowsIn()), count(m.rowsOut()), count(Math.round(m.rowsPerSecondPerCore())),
          megabytes(m.bytesRead()), megabytes(m.bytesWritten()), count(m.filesWritten()),
          m.peakHeapBytes() == Measurement.NOT_MEASURED ? "–" : String.format("%,d", m.peakHeapBytes() >> 20)));
    }
    md.append("\n| ratio | value |\n| --- | ---: |\n");
    report.ratios().forEach((k, v) -> md.append(String.format("| %s | %.2f |%n", k, v)));
    md.append('\n');
    report.notes().forEach(n -> md.append("- ").append(n).append('\n'));
    md.append("\nWall time of Spark jobs by phase (job description; overlapping jobs of a phase counted once), whole case:\n\n| phase | seconds |\n| --- | ---: |\n");
    new java.util.TreeMap<>(ctx.meter.phaseMillis).entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(15)
        .forEach(e -> md.append(String.format("| %s | %.1f |%n", e.getKey(), e.getValue() / 1000.0)));
    json.put("phaseSeconds", ctx.meter.phaseMillis);
    Files.writeString(out.resolve(benchCase.name() + ".md"), md.toString());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(benchCase.name() + ".json").toFile(), json);
    System.err.print(md);
  }

  private static String count(long n) {
    return n == Measurement.NOT_MEASURED ? "–" : String.format("%,d", n);
  }

  private static String megabytes(long bytes) {
    return bytes == Measurement.NOT_MEASURED ? "–" : String.format("%,.1f", bytes / 1e6);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
