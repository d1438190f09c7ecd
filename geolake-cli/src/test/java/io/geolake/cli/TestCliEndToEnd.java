package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as scripts use it: each command in its own JVM, as the launcher starts it, on
 * small generated data in one data folder.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestCliEndToEnd {
  @TempDir static Path data;

  private record Result(int code, String out, String err) {}

  private static Result geolake(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(List.of(System.getProperty("geolake.javaOptions", "").trim().split("\\s+")));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    command.removeIf(String::isEmpty);
    Path out = Files.createTempFile(data, "out", ".txt");
    Path err = Files.createTempFile(data, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("geolake " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    return new Result(
        process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void generateWritesDeliveries() throws Exception {
    Result r = geolake("generate", "--data", data.toString(), "--devices", "8", "--days", "2", "--start", "2024-05-06", "--seed", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("dt=2024-05-06", "dt=2024-05-07");
    assertThat(data.resolve("landing/pings/dt=2024-05-07/part-00000.csv.gz")).exists();
  }

  @Test
  @Order(2)
  void runReportsWhatItDidAndTablesAndSqlShowIt() throws Exception {
    Result first = geolake("run", "--date", "2024-05-06", "--data", data.toString(), "--set", "guard.max-reject-share=0.5");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("== 2024-05-06", "delivered", "raw", "exact duplicates", "late, merged", "staging rows by day");
    assertThat(first.err()).contains("[2024-05-06] ingest ...", "[2024-05-06] stage done in");

    Result json = geolake("run", "--date", "2024-05-07", "--data", data.toString(), "--landing", data.resolve("landing").toString(), "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"date\" : \"2024-05-07\"", "\"lateMerged\"");

    Result tables = geolake("tables", "--data", data.toString());
    assertThat(tables.code()).as(tables.err()).isZero();
    assertThat(tables.out()).contains("raw.pings", "raw.rejects", "staging.pings", "staging.quarantine");

    Result csv =
        geolake(
            "sql", "--data", data.toString(), "--format", "csv",
            "SELECT date(event_ts) AS day, count(*) AS pings FROM staging.pings GROUP BY 1 ORDER BY 1");
    assertThat(csv.code()).as(csv.err()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("day,pings");
    assertThat(lines).anyMatch(l -> l.startsWith("2024-05-06,")).anyMatch(l -> l.startsWith("2024-05-07,"));
    long pings = lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
    assertThat(pings).isPositive();

    Result table = geolake("sql", "--data", data.toString(), "SELECT count(*) AS n FROM staging.pings");
    assertThat(table.out()).contains("n", String.valueOf(pings), "(1 row)");
  }

  @Test
  @Order(3)
  void failuresHaveExitCodesAndSayWhatToDo() throws Exception {
    Result missing = geolake("run", "--date", "2030-01-01", "--data", data.toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(missing.err()).contains("Cannot ingest 2030-01-01", "Check --date and --landing");

    // Two days without places of interest: no visits, so nothing to learn; the message says why.
    Result untrainable = geolake("train", "--as-of", "2024-05-07", "--data", data.toString());
    assertThat(untrainable.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(untrainable.err()).contains("Cannot train model X as of 2024-05-07", "features.places.geofences");
    Result models = geolake("models", "--data", data.toString());
    assertThat(models.code()).as(models.err()).isZero();
    assertThat(models.out()).contains("No versions of model X", "geolake train --as-of");

    Result badSql = geolake("sql", "--data", data.toString(), "SELECT nope FROM staging.pings");
    assertThat(badSql.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badSql.err()).contains("invalid SQL", "nope");
  }
}
