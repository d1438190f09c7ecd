package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.PingField;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.ingest.IngestStep;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.StageResult;
import io.geolake.pipeline.staging.StageStep;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * The stage in a steady state, with and without the Bloom filter of the delivery's keys: two lakes
 * over one landing folder (late rows and re-deliveries as the generator makes them), each day
 * ingested into both, then staged in both, the lake that goes first alternating by day. The
 * outcomes must be identical, day by day and in the final staging table, or the case fails.
 */
final class SteadyCase implements BenchCase {
  private static final String CLASSIFY = "geolake stage D: classify and compare with staging";

  private final long rowsPerDay;
  private final int days;

  SteadyCase(long rowsPerDay, int days) {
    if (days < 5) {
      throw new IllegalArgumentException("The steady case needs at least 5 days (--merge-days): its ratio is over days 5 on, when the compared days are full");
    }
    this.rowsPerDay = rowsPerDay;
    this.days = days;
  }

  @Override
  public String name() {
    return "steady";
  }

  @Override
  public String description() {
    return String.format("Steady-state stage with vs without the Bloom filter of the delivery's keys, %d days of %,d rows", days, rowsPerDay);
  }

  private record Lake(String label, GeolakeConfig config, LakehouseCatalog catalog) {}

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig generated = ctx.lake("steady-bloom");
    ctx.generate(generated, days, rowsPerDay, Map.of());
    String landing = ctx.work.resolve(generated.data()).resolve("landing").toString();
    ctx.warmUp();
    List<Lake> lakes = new ArrayList<>();
    for (boolean bloom : new boolean[] {true, false}) {
      GeolakeConfig config = ctx.lake(bloom ? "steady-bloom" : "steady-plain", "staging.bloom-filter=" + bloom, "landing=" + landing);
      LakehouseCatalog catalog = ctx.catalog(config);
      catalog.ensureTables(config);
      lakes.add(new Lake(bloom ? "with filter" : "without filter", config, catalog));
    }

    double[][] stage = new double[2][days + 1];
    double[][] classify = new double[2][days + 1];
    long delivered = 0;
    List<String> notes = new ArrayList<>();
    for (int d = 1; d <= days; d++) {
      LocalDate date = BenchContext.START.plusDays(d - 1);
      String[] outcomes = new String[2];
      long stagedBefore = ctx.spark.table(lakes.get(0).catalog().qualified(Tables.STAGING_PINGS)).count();
      for (int k = 0; k < 2; k++) {
        int i = (d % 2 == 1) ? k : 1 - k; // alternate which lake runs first: neither always gets the warmer JVM
        Lake lake = lakes.get(i);
        IngestResult ingest = new IngestStep(lake.catalog(), lake.config()).execute(date);
        Map<String, Long> phasesBefore = new LinkedHashMap<>(ctx.meter.phaseMillis);
        Meter.Result<StageResult> staged =
            ctx.meter.measure(
                "day " + d + " stage " + lake.label(),
                () -> new StageStep(lake.catalog(), lake.config()).execute(date, ingest),
                r -> new long[] {ingest.rawRows(), r.inserted() + r.updated()});
        stage[i][d] = staged.measurement().seconds();
        classify[i][d] = ctx.meter.phasesSince(phasesBefore).getOrDefault(CLASSIFY, 0L) / 1000.0;
        outcomes[i] = outcomes(staged.value());
        delivered += i == 0 ? ingest.rawRows() : 0;
      }
      if (!outcomes[0].equals(outcomes[1])) {
        throw new IllegalStateException("Day " + d + ": the stage's outcomes differ with the Bloom filter (" + outcomes[0] + ") and without (" + outcomes[1] + ")");
      }
      notes.add(String.format("day %d: staging held %,d rows before; stage %.1f s with filter, %.1f s without (classify and compare %.1f / %.1f s); %s",
          d, stagedBefore, stage[0][d], stage[1][d], classify[0][d], classify[1][d], outcomes[0]));
    }
    String[] fingerprints = lakes.stream().map(l -> fingerprint(ctx, l.catalog().qualified(Tables.STAGING_PINGS))).toArray(String[]::new);
    if (!fingerprints[0].equals(fingerprints[1])) {
      throw new IllegalStateException("staging.pings differs with the Bloom filter (" + fingerprints[0] + ") and without (" + fingerprints[1] + ")");
    }
    notes.add("identical outcomes every day; staging.pings identical in both lakes: " + fingerprints[0]);

    int from = 5; // from day 5 the compared days (lookback 3 + the day) all hold earlier deliveries
    List<Measurement> measurements = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      measurements.add(Measurement.timeAndRows(
          String.format("stage %s, days %d-%d", lakes.get(i).label(), from, days), sum(stage[i], from), Measurement.NOT_MEASURED, Measurement.NOT_MEASURED, ctx.meter.cores()));
      measurements.add(Measurement.timeAndRows(
          String.format("of which classify and compare %s", lakes.get(i).label()), sum(classify[i], from), Measurement.NOT_MEASURED, Measurement.NOT_MEASURED, ctx.meter.cores()));
    }
    Map<String, Double> ratios = new LinkedHashMap<>();
    ratios.put(String.format("stage with / without filter, days %d-%d", from, days), sum(stage[0], from) / sum(stage[1], from));
    ratios.put(String.format("classify and compare with / without filter, days %d-%d", from, days), sum(classify[0], from) / sum(classify[1], from));
    notes.add(String.format("%,d rows delivered over %d days; both lakes ran the same deliveries.", delivered, days));
    return new Report(measurements, ratios, notes);
  }

  private static double sum(double[] byDay, int from) {
    return Arrays.stream(byDay, from, byDay.length).sum();
  }

  private static String outcomes(StageResult r) {
    return String.format("%,d inserted, %,d updated, %,d unchanged, %,d superseded, %,d late merged, %,d exact and %,d key duplicates, quarantined %s",
        r.inserted(), r.updated(), r.unchanged(), r.superseded(), r.lateMerged(), r.exactDuplicates(), r.keyDuplicates(), new java.util.TreeMap<>(r.quarantinedByReason()));
  }

  /** Row count and the sum of a hash of every ping column and the delivery date: equal tables, equal fingerprints. */
  private static String fingerprint(BenchContext ctx, String table) {
    String columns = Arrays.stream(PingField.values()).map(PingField::column).collect(Collectors.joining(", "));
    Row row = ctx.spark.sql("SELECT count(*), sum(xxhash64(" + columns + ", _ingest_date)) FROM " + table).first();
    return String.format("%,d rows, hash sum %d", row.getLong(0), row.isNullAt(1) ? 0 : row.getLong(1));
  }
}
