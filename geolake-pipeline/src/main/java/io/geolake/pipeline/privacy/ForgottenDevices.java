package io.geolake.pipeline.privacy;

import static org.apache.spark.sql.functions.callUDF;
import static org.apache.spark.sql.functions.col;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.features.Pseudonyms;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * The devices erased by {@code geolake forget}, kept by pseudonym only (never the id) in the run
 * store, so that a later delivery of theirs — a vendor keeps sending a device's pings — does not
 * bring them back: ingest deletes their rows from the day it wrote before anything reads them.
 */
public final class ForgottenDevices {
  private final RunStore store;

  public ForgottenDevices(RunStore store) {
    this.store = store;
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS geolake_forgotten_devices (pseudonym VARCHAR(64) PRIMARY KEY, forgotten_at BIGINT NOT NULL,"
          + " forgotten_by VARCHAR(256) NOT NULL)");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create the forgotten devices' table in the run store " + store.describe() + ": " + e.getMessage(), e);
    }
  }

  public void add(List<String> pseudonyms, String by) {
    for (String pseudonym : pseudonyms) {
      store.execute("record a forgotten device",
          "INSERT INTO geolake_forgotten_devices (pseudonym, forgotten_at, forgotten_by) VALUES (?, ?, ?) ON CONFLICT (pseudonym) DO NOTHING",
          pseudonym, Instant.now().toEpochMilli(), by);
    }
  }

  public List<String> pseudonyms() {
    List<String> found = new ArrayList<>();
    try (Connection c = store.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pseudonym FROM geolake_forgotten_devices ORDER BY pseudonym")) {
      while (r.next()) {
        found.add(r.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the forgotten devices from the run store " + store.describe() + ": " + e.getMessage(), e);
    }
    return found;
  }

  /**
   * Deletes the forgotten devices' rows from the day's raw.pings and raw.rejects (the lines that
   * contain their ids), as ingest wrote them; costs a scan of the day's device ids and reject
   * lines only when some device was ever forgotten.
   *
   * @return the rows deleted from raw.pings
   */
  public long suppress(LakehouseCatalog catalog, GeolakeConfig config, LocalDate date) {
    List<String> forgotten = pseudonyms();
    if (forgotten.isEmpty()) {
      return 0;
    }
    SparkSession spark = catalog.spark();
    Pseudonyms.register(spark, config.features().pseudonymKey());
    String day = "_ingest_date = DATE '" + date + "'";
    Dataset<String> parsedIds = spark.table(catalog.qualified(Tables.RAW_PINGS)).where(day).select(col("device_id").as("id")).as(Encoders.STRING());
    // A line rejected before any field was read has no device_id to match; the values it may
    // hold are read from it (LineFields), so a device whose every line of the day was rejected is
    // found too.
    LineFields fields = LineFields.of(config);
    Dataset<String> rejectedFields =
        spark.table(catalog.qualified(Tables.RAW_REJECTS)).where(day).where(col("line").isNotNull()).select(col("line")).as(Encoders.STRING())
            .flatMap((org.apache.spark.api.java.function.FlatMapFunction<String, String>) line -> fields.of(line).iterator(), Encoders.STRING())
            .toDF("id").as(Encoders.STRING());
    List<String> ids = parsedIds.union(rejectedFields).where(col("id").isNotNull().and(col("id").notEqual(""))).distinct()
        .where(callUDF("geolake_pseudonym", col("id")).isin(forgotten.toArray()))
        .collectAsList();
    if (ids.isEmpty()) {
      return 0;
    }
    long deleted = 0;
    for (TableDefinition table : List.of(Tables.RAW_PINGS, Tables.RAW_REJECTS)) {
      String where = " FROM " + catalog.qualified(table) + " WHERE " + day + " AND " + DeviceErasure.condition(table, ids, List.of());
      long rows = ((Number) spark.sql("SELECT count(*)" + where).first().get(0)).longValue();
      if (rows > 0) {
        spark.sql("DELETE" + where);
      }
      deleted += table.equals(Tables.RAW_PINGS) ? rows : 0;
    }
    return deleted;
  }
}
