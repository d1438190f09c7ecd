package io.geolake.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSyntheticDeliveries {
  private static final LocalDate START = LocalDate.of(2024, 5, 6);

  @TempDir Path a;
  @TempDir Path b;

  @Test
  void sameSeedWritesIdenticalFilesAndOtherSeedDiffers() throws IOException {
    GeneratorSettings settings = GeneratorSettings.defaults(20, 2, START, 7);
    new SyntheticDeliveries(settings).writeTo(a, s -> {});
    new SyntheticDeliveries(settings).writeTo(b, s -> {});
    List<Path> files = files(a);
    assertThat(files).hasSize(2 * 4); // 3 parts + _SUCCESS per day
    for (Path f : files) {
      assertThat(Files.readAllBytes(b.resolve(a.relativize(f)))).isEqualTo(Files.readAllBytes(f));
    }
    Path other = b.resolve("other");
    new SyntheticDeliveries(GeneratorSettings.defaults(20, 2, START, 8)).writeTo(other, s -> {});
    Path csv = Path.of("pings", "dt=2024-05-06", "part-00000.csv.gz");
    assertThat(Files.readAllBytes(other.resolve(csv))).isNotEqualTo(Files.readAllBytes(a.resolve(csv)));
  }

  @Test
  void deliveriesHoldRealisticRowsAndTheInjectedFaults() throws IOException {
    GeneratorSettings settings = GeneratorSettings.defaults(60, 7, START, 42);
    List<DeliverySummary> days = new SyntheticDeliveries(settings).writeTo(a, s -> {});
    assertThat(days).hasSize(7);
    long rows = days.stream().mapToLong(DeliverySummary::rows).sum();
    // 60 devices, roughly 50 (sparse) to 400 (dense) pings a day each.
    assertThat(rows).isBetween(60L * 7 * 40, 60L * 7 * 500);
    for (Fault f : List.of(Fault.EXACT_DUPLICATE, Fault.MALFORMED, Fault.MISSING_ACCURACY, Fault.LATE)) {
      assertThat(days.stream().mapToLong(d -> d.count(f)).sum()).as(f.name()).isPositive();
    }
    assertThat(days.get(0).count(Fault.LATE)).isZero();
    assertThat(days.get(0).count(Fault.REDELIVERED)).isZero();
    assertThat(days.get(1).count(Fault.REDELIVERED)).isPositive();
    assertThat(days.stream().flatMap(d -> d.lateByDaysLate().keySet().stream()))
        .allSatisfy(k -> assertThat(k).isBetween(1, 6));

    String csv = gunzip(a.resolve("pings/dt=2024-05-06/part-00000.csv.gz"));
    assertThat(csv.lines().findFirst()).contains(CsvGzPartWriter.HEADER);
    List<String> lines = csv.lines().skip(1).toList();
    assertThat(lines).isNotEmpty();
    String[] first = lines.get(0).split(",", -1);
    assertThat(first).hasSize(11);
    double lat = Double.parseDouble(first[2]);
    double lon = Double.parseDouble(first[3]);
    assertThat(lat).isBetween(19.0, 19.9); // Mexico City metro area
    assertThat(lon).isBetween(-99.6, -98.7);
    assertThat(Files.readString(a.resolve("pings/dt=2024-05-06/part-00001.jsonl")))
        .contains("\"event_ts\":17149");
    assertThat(a.resolve("pings/dt=2024-05-06/part-00002.parquet")).isNotEmptyFile();
    assertThat(a.resolve("pings/dt=2024-05-06/_SUCCESS")).exists();
    try (Stream<Path> hidden = Files.list(a.resolve("pings/dt=2024-05-06"))) {
      assertThat(hidden.filter(p -> p.getFileName().toString().startsWith("."))).isEmpty();
    }
  }

  @Test
  void noFaultsMeansOnlyTrueRows() throws IOException {
    GeneratorSettings settings = GeneratorSettings.defaults(10, 3, START, 1).withFaults(FaultRates.NONE);
    List<DeliverySummary> days = new SyntheticDeliveries(settings).writeTo(a, s -> {});
    assertThat(days).allSatisfy(d -> assertThat(d.faults().values()).allMatch(c -> c == 0));
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
