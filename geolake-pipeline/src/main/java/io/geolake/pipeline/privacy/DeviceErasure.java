package io.geolake.pipeline.privacy;

import static java.util.Objects.requireNonNull;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.run.RunLock;
import io.geolake.pipeline.run.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Erases devices from the lake, for a person's request to be forgotten: every row of theirs in every
 * table — by device id in raw and staging, by pseudonym in the consumption layer, and the rejected
 * lines of raw.rejects that contain the id — is deleted in one commit per table. Older snapshots
 * keep the rows until maintenance expires them (model-input tags until they are released); the delivered files in landing are not geolake's to
 * change, so the devices are remembered by pseudonym ({@link ForgottenDevices}) and ingest drops
 * their rows from every later load. Runs of the lake are held off by the run lock meanwhile.
 */
public final class DeviceErasure {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  /** What erasure did to one table: the rows it deleted (or, in a dry run, found). */
  public record Result(String table, String matchedBy, long rows) {}

  public DeviceErasure(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.config = requireNonNull(config, "config is null");
  }

  /**
   * @param deviceIds the devices' ids as delivered
   * @param dryRun count the rows, delete nothing
   */
  public List<Result> erase(List<String> deviceIds, boolean dryRun, Consumer<Result> progress) {
    List<String> pseudonyms = Devices.of(deviceIds, config).pseudonyms();
    List<Result> results = new ArrayList<>();
    try (RunLock lock = RunLock.acquire(config, dryRun ? "a dry run of geolake forget" : "geolake forget")) {
      for (TableDefinition table : Tables.ALL) {
        String condition = condition(table, deviceIds, pseudonyms);
        if (condition == null || !catalog.spark().catalog().tableExists(catalog.qualified(table))) {
          continue;
        }
        lock.checkHeld();
        catalog.spark().sparkContext().setJobDescription("geolake forget: " + table.qualifiedName());
        String where = " FROM " + catalog.qualified(table) + " WHERE " + condition;
        long rows = ((Number) catalog.spark().sql("SELECT count(*)" + where).first().get(0)).longValue();
        if (rows > 0 && !dryRun) {
          catalog.spark().sql("DELETE" + where);
        }
        Result result = new Result(table.qualifiedName(), matchedBy(table), rows);
        results.add(result);
        progress.accept(result);
      }
      if (!dryRun) {
        // Kept by pseudonym, so that their later deliveries are dropped at ingest.
        new ForgottenDevices(new RunStore(config)).add(pseudonyms, System.getProperty("user.name"));
      }
    } finally {
      catalog.spark().sparkContext().setJobDescription(null);
    }
    return results;
  }

  /** The rows of the devices in a table, as SQL, or null for a table that holds no device's rows. */
  static String condition(TableDefinition table, List<String> ids, List<String> pseudonyms) {
    List<String> columns = table.columnNames();
    if (columns.contains("device_id")) {
      return "device_id IN (" + literals(ids) + ")";
    }
    if (columns.contains("device")) {
      return "device IN (" + literals(pseudonyms) + ")";
    }
    if (columns.contains("line")) {
      // A rejected line is kept as delivered text: it is theirs if it contains the id as it would
      // be written there (a quote doubled in CSV, escaped in JSON).
      return ids.stream().flatMap(id -> LineFields.spellings(id).stream()).distinct()
          .map(id -> "instr(line, " + literal(id) + ") > 0").collect(Collectors.joining(" OR ", "(", ")"));
    }
    return null;
  }

  private static String matchedBy(TableDefinition table) {
    List<String> columns = table.columnNames();
    return columns.contains("device_id") ? "device_id" : columns.contains("device") ? "device (pseudonym)" : "line contains the id";
  }

  private static String literals(List<String> values) {
    return values.stream().map(DeviceErasure::literal).collect(Collectors.joining(", "));
  }

  /** A Spark SQL string literal: backslash and quote escaped. */
  static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
