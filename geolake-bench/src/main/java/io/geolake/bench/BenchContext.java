package io.geolake.bench;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.DeliverySummary;
import io.geolake.generator.FaultRates;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** What every bench case gets: the session, a work folder, the meter and data helpers. */
final class BenchContext {
  static final LocalDate START = LocalDate.of(2024, 5, 6);
  /** Weekday pings per synthetic device; sizes are given in rows and turned into devices. */
  private static final double ROWS_PER_DEVICE_DAY = 100.0;

  final SparkSession spark;
  final Path work;
  final Meter meter;
  final long seed;

  BenchContext(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.meter = new Meter(spark, work);
    this.seed = seed;
  }

  /** A lake of its own under the work folder, with its own catalog name. */
  GeolakeConfig lake(String name, String... overrides) {
    List<String> sets = new ArrayList<>();
    sets.add("data=" + work.resolve(name));
    sets.add("catalog.name=bench_" + name.replace('-', '_'));
    sets.add("guard.max-reject-share=0.2");
    sets.addAll(Arrays.asList(overrides));
    return ConfigLoader.load(null, sets);
  }

  LakehouseCatalog catalog(GeolakeConfig config) {
    return LakehouseCatalog.register(spark, config);
  }

  /** The landing folder of a lake's delivery for a date. */
  Path deliveryFolder(GeolakeConfig config, LocalDate date) {
    return work.resolve(config.data()).resolve("landing/pings/dt=" + date);
  }

  /** Measures one daily run of the lake; rows in = delivered, rows out = inserted into staging. */
  Meter.Result<io.geolake.pipeline.run.RunReport> measureDailyRun(
      String name, GeolakeConfig config, LocalDate date, io.geolake.pipeline.run.RunListener listener) {
    LakehouseCatalog catalog = catalog(config);
    return meter.measure(
        name,
        () -> new io.geolake.pipeline.run.DailyRun(catalog, config, listener).run(date),
        r -> new long[] {r.ingest().deliveredRows(), r.stage().inserted()});
  }

  /** One small daily run first, so measured runs do not pay for class loading and JIT. */
  void warmUp() {
    GeolakeConfig config = lake("warmup-" + System.nanoTime());
    generate(config, 1, 200_000, Map.of());
    new io.geolake.pipeline.run.DailyRun(catalog(config), config, io.geolake.pipeline.run.RunListener.NONE).run(START);
  }

  List<DeliverySummary> generate(GeolakeConfig config, int days, long rowsPerDay, Map<String, Double> faults) {
    return generate(config, days, rowsPerDay, faults, 0);
  }

  /** @param filesPerDay part files per delivery, formats round-robin; 0 for the generator's default */
  List<DeliverySummary> generate(GeolakeConfig config, int days, long rowsPerDay, Map<String, Double> faults, int filesPerDay) {
    return generate(config, START, days, rowsPerDay, faults, filesPerDay);
  }

  /** The same devices' deliveries from {@code start} on; a device's track on a date does not depend on the start. */
  List<DeliverySummary> generate(
      GeolakeConfig config, LocalDate start, int days, long rowsPerDay, Map<String, Double> faults, int filesPerDay) {
    int devices = (int) Math.max(1, Math.round(rowsPerDay / ROWS_PER_DEVICE_DAY));
    GeneratorSettings settings =
        GeneratorSettings.defaults(devices, days, start, seed).withFaults(FaultRates.DEFAULT.with(faults));
    if (filesPerDay > 0) {
      settings = settings.withFormats(settings.formats(), filesPerDay);
    }
    System.err.printf("  generating %d day(s) of ~%,d rows (%,d devices, %d files a day)%n", days, rowsPerDay, devices, settings.filesPerDay());
    return new SyntheticDeliveries(settings).writeTo(work.resolve(config.data()).resolve("landing"), d -> {});
  }
}
