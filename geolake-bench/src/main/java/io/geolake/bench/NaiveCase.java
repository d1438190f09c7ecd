package io.geolake.bench;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.ingest.IngestStep;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.StageResult;
import io.geolake.pipeline.staging.StageStep;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Experiment 2 at long history: the stage step, which compares a delivery with staging inside the
 * lookback window only, vs the naive full rewrite of the original design, at day 30 and day 90.
 *
 * <p>Running 90 days through the pipeline takes hours here, so history is built like this: one
 * real week (days 1-7) goes through ingest and stage; staging is then filled up to shortly before
 * each measured day with copies of that week shifted by whole weeks (event time, delivery date
 * and load id moved together, so every copied key is new); the last {@value #REAL_DAYS} days up
 * to the measured one go through ingest and stage again, so the lookback window, the late rows
 * and the corrections of the measured day meet real pipeline output. The copies arrive in one
 * commit each, with fewer, larger files than daily runs would leave: if anything that favours the
 * naive rewrite, which reads all of them.
 */
final class NaiveCase implements BenchCase {
  /** Days before and including a measured day that go through the real pipeline. */
  static final int REAL_DAYS = 4;

  private final long rowsPerDay;
  private final List<Integer> atDays;

  NaiveCase(long rowsPerDay, List<Integer> atDays) {
    this.rowsPerDay = rowsPerDay;
    this.atDays = atDays.stream().sorted().toList();
    int previous = 7;
    for (int day : this.atDays) {
      if (day < previous + REAL_DAYS + 1) {
        throw new IllegalArgumentException(
            "Invalid --naive-days " + atDays + ": each day must be at least " + (REAL_DAYS + 1) + " days after day 7 and after the one before");
      }
      previous = day;
    }
  }

  @Override
  public String name() {
    return "naive";
  }

  @Override
  public String description() {
    return String.format("Window stage step vs the naive full rewrite at day %s of history (%,d rows/day)",
        atDays.stream().map(String::valueOf).collect(Collectors.joining(" and ")), rowsPerDay);
  }

  @Override
  public Report run(BenchContext ctx) {
    GeolakeConfig config = ctx.lake("naive");
    ctx.warmUp();
    LakehouseCatalog catalog = ctx.catalog(config);
    catalog.ensureTables(config);
    String staging = catalog.qualified(Tables.STAGING_PINGS);
    List<Measurement> measurements = new ArrayList<>();
    Map<String, Double> ratios = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();

    ctx.generate(config, BenchContext.START, 7, rowsPerDay, Map.of(), 0);
    for (int d = 1; d <= 7; d++) {
      ingestAndStage(catalog, config, d);
    }
    int built = 7;
    for (int day : atDays) {
      int realFrom = day - REAL_DAYS + 1;
      long copied = copyFirstWeek(ctx, catalog, built + 1, realFrom - 1);
      notes.add(String.format("days %d-%d: %,d rows copied from days 1-7", built + 1, realFrom - 1, copied));
      ctx.generate(config, dateOf(realFrom), REAL_DAYS, rowsPerDay, Map.of(), 0);
      for (int d = realFrom; d < day; d++) {
        ingestAndStage(catalog, config, d);
      }
      LocalDate date = dateOf(day);
      IngestResult ingest = new IngestStep(catalog, config).execute(date);
      Meter.Result<StageResult> stage =
          ctx.meter.measure(
              "stage step on day " + day,
              () -> new StageStep(catalog, config).execute(date, ingest),
              r -> new long[] {ingest.rawRows(), r.inserted() + r.updated()});
      long historyRows = ctx.spark.table(staging).count();
      Meter.Result<Long> naive =
          ctx.meter.measure(
              "naive: rewrite all staging at day " + day,
              () -> HistoryCase.naiveRewrite(ctx, staging, date),
              n -> new long[] {historyRows, n});
      measurements.add(stage.measurement());
      measurements.add(naive.measurement());
      ratios.put(
          "naive rewrite / window stage step at day " + day + (day >= 90 ? " (target >= 10)" : ""),
          naive.measurement().seconds() / stage.measurement().seconds());
      notes.add(String.format("day %d: staging holds %,d rows; stage step inserted %,d, updated %,d, late rows merged %,d",
          day, historyRows, stage.value().inserted(), stage.value().updated(), stage.value().lateMerged()));
      built = day;
    }
    notes.add(
        "naive = read all of staging plus the measured day's rows again, keep the newest row per key"
            + " (row_number over the key), overwrite a whole table; ours = the stage step of the same day"
            + " (its ingest runs before, outside the measurement, as the naive side gets typed rows).");
    notes.add(
        "history: days 1-7 and the " + REAL_DAYS + " days up to each measured day ran through ingest and stage;"
            + " the days between are copies of days 1-7 shifted by whole weeks, one commit per gap.");
    return new Report(measurements, ratios, notes);
  }

  private static LocalDate dateOf(int day) {
    return BenchContext.START.plusDays(day - 1);
  }

  private static void ingestAndStage(LakehouseCatalog catalog, GeolakeConfig config, int day) {
    LocalDate date = dateOf(day);
    IngestResult ingest = new IngestStep(catalog, config).execute(date);
    new StageStep(catalog, config).execute(date, ingest);
    System.err.printf("  day %d ingested and staged%n", day);
  }

  /** Appends copies of days 1-7's staged rows shifted into days [from, to]; returns the rows copied. */
  private static long copyFirstWeek(BenchContext ctx, LakehouseCatalog catalog, int from, int to) {
    if (to < from) {
      return 0;
    }
    String staging = catalog.qualified(Tables.STAGING_PINGS);
    List<String> select = new ArrayList<>();
    for (Column c : Tables.STAGING_PINGS.columns()) {
      select.add(
          switch (c.name()) {
            case "event_ts" -> "event_ts + make_dt_interval(7 * w, 0, 0, 0) AS event_ts";
            case "_ingest_date" -> "date_add(_ingest_date, 7 * w) AS _ingest_date";
            case "_load_id" -> "concat(_load_id, '-copy', w) AS _load_id";
            default -> "`" + c.name() + "`";
          });
    }
    // Rows of event day s land on day s + 7w; a late row keeps its delay, and is left out when its
    // shifted delivery would come after the gap.
    String firstWeek = "event_ts >= TIMESTAMP '" + dateOf(1) + " 00:00:00' AND event_ts < TIMESTAMP '" + dateOf(8) + " 00:00:00'";
    String sql =
        "SELECT " + String.join(", ", select) + " FROM " + staging
            + " CROSS JOIN (SELECT explode(sequence(1, " + (to / 7 + 1) + ")) AS w)"
            + " WHERE " + firstWeek
            + " AND date_add(to_date(event_ts), 7 * w) BETWEEN DATE '" + dateOf(from) + "' AND DATE '" + dateOf(to) + "'"
            + " AND date_add(_ingest_date, 7 * w) <= DATE '" + dateOf(to) + "'";
    Meter.Result<Long> copy =
        ctx.meter.measure(
            "copy days 1-7 into days " + from + "-" + to,
            () -> {
              ctx.spark.sparkContext().setJobDescription("bench: copy days 1-7 into staging");
              var rows = ctx.spark.sql(sql);
              try {
                rows.writeTo(staging).append();
              } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
                throw new IllegalStateException("Cannot append to " + staging, e);
              }
              org.apache.iceberg.Table table = Spark.table(ctx, staging);
              table.refresh();
              return Long.parseLong(table.currentSnapshot().summary().getOrDefault("added-records", "0"));
            },
            n -> new long[] {n, n});
    return copy.value();
  }
}
