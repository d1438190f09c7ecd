package io.geolake.pipeline.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.features.Pseudonyms;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device's data exported, then the device erased from every table, by id, pseudonym or rejected line; nobody else's rows touched; not brought back by its deliveries. */
class TestDeviceErasure extends BaseSparkTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void theDevicesDataIsExportedThenADryRunCountsThenErasureDeletesItsRowsFromEveryTableAndNothingElse() throws Exception {
    new SyntheticDeliveries(GeneratorSettings.defaults(5, 1, DAY, 17)).writeTo(data.resolve("landing"), s -> {});
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    new DailyRun(catalog, config, RunListener.NONE).run(DAY);
    String device = sql("SELECT device_id FROM %s GROUP BY device_id ORDER BY count(*) DESC LIMIT 1", catalog.qualified(Tables.STAGING_PINGS))
        .get(0).getString(0);
    // A rejected line of theirs, as a broken delivery would leave one.
    sql("INSERT INTO %s (_source, _source_file, _row_number, _ingest_date, _load_id, reason, detail, line) VALUES"
            + " ('pings', 'file:/x.csv', 9, DATE '2024-05-06', 'load', 'malformed_csv', 'fields', '%s,aaid,19.4')",
        catalog.qualified(Tables.RAW_REJECTS), device);
    String pseudonym = Pseudonyms.of(config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8), device);
    Map<String, Long> theirs = rowsOf(catalog, device, pseudonym);
    Map<String, Long> totals = totals(catalog);
    for (String table : List.of("raw.pings", "raw.rejects", "staging.pings", "consumption.device_daily_features", "consumption.device_profiles",
        "consumption.device_day_partials")) {
      assertThat(theirs.get(table)).as(table).isPositive();
    }

    // Their data as a person asking to see it gets it: a JSON lines file per table that holds some.
    Path request = data.resolve("request-42");
    List<DeviceData.Exported> files = new DeviceData(catalog, config).export(List.of(device), request.toString(), f -> {});
    Map<String, Long> exported = new LinkedHashMap<>();
    files.forEach(f -> exported.put(f.table(), f.rows()));
    theirs.forEach((table, rows) -> assertThat(exported.getOrDefault(table, 0L)).as(table).isEqualTo(rows));
    for (DeviceData.Exported file : files) {
      assertThat(Files.readAllLines(Path.of(file.file()))).as(file.table()).hasSize((int) file.rows())
          .allSatisfy(line -> assertThat(line).containsAnyOf(device, pseudonym));
    }
    assertThat(Files.readAllLines(request.resolve("staging.pings.jsonl")).get(0)).contains("\"device_id\":\"" + device + "\"");

    // Ids with a delimiter and quotes in them: written "quoted, ""id""" in CSV, "json \"id\", too" in JSON.
    String quoted = "quoted, \"id\"";
    String json = "json \"id\", too";
    List<DeviceErasure.Result> dry = new DeviceErasure(catalog, config).erase(List.of(device, "nobody's device", quoted, json), true, r -> {});
    assertThat(dry).allSatisfy(r -> assertThat(r.rows()).as(r.table()).isEqualTo(theirs.get(r.table())));
    assertThat(totals(catalog)).isEqualTo(totals);

    List<DeviceErasure.Result> erased = new DeviceErasure(catalog, config).erase(List.of(device, "nobody's device", quoted, json), false, r -> {});

    assertThat(erased).isEqualTo(dry);
    assertThat(rowsOf(catalog, device, pseudonym)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
    Map<String, Long> after = totals(catalog);
    totals.forEach((table, before) -> assertThat(after.get(table)).as(table).isEqualTo(before - theirs.getOrDefault(table, 0L)));
    assertThat(erased.stream().map(DeviceErasure.Result::table)).doesNotContain("ops.quality_results", "consumption.cell_hourly_presence");

    // Landing still holds their pings: running the day again (or a later delivery) must not bring them back.
    new DailyRun(catalog, config, RunListener.NONE).run(DAY);
    assertThat(rowsOf(catalog, device, pseudonym)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
    assertThat(count("SELECT count(*) FROM %s", catalog.qualified(Tables.STAGING_PINGS))).isEqualTo(after.get("staging.pings"));
    assertThat(new ForgottenDevices(new io.geolake.pipeline.run.RunStore(config)).pseudonyms()).containsExactlyInAnyOrder(
        pseudonym, Pseudonyms.of(config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8), "nobody's device"),
        Pseudonyms.of(config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8), quoted),
        Pseudonyms.of(config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8), json));

    // A later day on which every line of theirs was rejected before any field was read: there is
    // no device_id to match, so ingest finds them among the lines' fields.
    LocalDate next = DAY.plusDays(1);
    String rejects = catalog.qualified(Tables.RAW_REJECTS);
    String kept = "{\"device_id\": \"someone else\", \"latitude\": 19.4";
    for (String line : List.of("{\"device_id\": \"" + device + "\", \"latitude\": 19.4", "nobody's device,aaid,19.4,", kept,
        "\"quoted, \"\"id\"\"\",aaid,19.4,", "{\"device_id\": \"json \\\"id\\\", too\", \"lat")) {
      sql("INSERT INTO %s (_source, _source_file, _row_number, _ingest_date, _load_id, reason, detail, line) VALUES"
              + " ('pings', 'file:/y.json', 1, DATE '%s', 'load', 'malformed_json', 'truncated', %s)",
          rejects, next, DeviceErasure.literal(line));
    }
    new ForgottenDevices(new io.geolake.pipeline.run.RunStore(config)).suppress(catalog, config, next);
    assertThat(sql("SELECT line FROM %s WHERE _ingest_date = DATE '%s'", rejects, next)).extracting(r -> r.getString(0)).containsExactly(kept);
  }

  /** Each table's rows of the device, for the tables that name devices. */
  private static Map<String, Long> rowsOf(LakehouseCatalog catalog, String device, String pseudonym) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      List<String> columns = table.columnNames();
      String where = columns.contains("device_id") ? "device_id = '" + device + "'"
          : columns.contains("device") ? "device = '" + pseudonym + "'"
          : columns.contains("line") ? "line LIKE '%" + device + "%'" : null;
      if (where != null) {
        rows.put(table.qualifiedName(), count("SELECT count(*) FROM %s WHERE %s", catalog.qualified(table), where));
      }
    }
    return rows;
  }

  private static Map<String, Long> totals(LakehouseCatalog catalog) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      rows.put(table.qualifiedName(), count("SELECT count(*) FROM %s", catalog.qualified(table)));
    }
    return rows;
  }
}
