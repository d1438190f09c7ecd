package io.geolake.pipeline.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.time.LocalDate;
import io.geolake.pipeline.privacy.ForgottenDevices;
import io.geolake.pipeline.run.RunStore;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.iceberg.hadoop.SerializableConfiguration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Landing to raw for one delivery date: every file of every source is read on the executors into
 * typed-as-delivered rows, which replace the date's load in {@code raw.pings}; unreadable files
 * and unparseable lines replace the date's rows in {@code raw.rejects}.
 */
public final class IngestStep {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;
  private final long rejectBudgetBytes;

  public IngestStep(LakehouseCatalog catalog, GeolakeConfig config) {
    this(catalog, config, SideRejects.DEFAULT_BUDGET_BYTES);
  }

  /** @param rejectBudgetBytes driver memory for rejects gathered while parsing (see {@link SideRejects}) */
  IngestStep(LakehouseCatalog catalog, GeolakeConfig config, long rejectBudgetBytes) {
    this.catalog = catalog;
    this.config = config;
    this.rejectBudgetBytes = rejectBudgetBytes;
  }

  public IngestResult execute(LocalDate date) {
    SparkSession spark = catalog.spark();
    List<DeliveryScanner.SourceDelivery> deliveries =
        new DeliveryScanner(spark.sparkContext().hadoopConfiguration()).scan(config, date);
    if (deliveries.stream().noneMatch(DeliveryScanner.SourceDelivery::exists)) {
      throw new NoDeliveryException(
          "Cannot ingest "
              + date
              + ": no delivery folder exists ("
              + deliveries.stream().map(d -> d.folder().toString()).toList()
              + "). Check --date and --landing, or the sources' paths in the config.");
    }
    List<DeliveryFile> files = new ArrayList<>();
    List<String> emptySources = new ArrayList<>();
    Map<String, SourceMapping> mappings = new LinkedHashMap<>();
    for (DeliveryScanner.SourceDelivery delivery : deliveries) {
      files.addAll(delivery.files());
      if (delivery.files().isEmpty()) {
        emptySources.add(delivery.source());
      }
      mappings.put(delivery.source(), SourceMapping.of(delivery.source(), config.sources().get(delivery.source())));
    }
    String loadId = loadId(date, files);

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Large uncompressed text files are read in parts of Spark's file split size.
    long splitBytes = spark.sessionState().conf().filesMaxPartitionBytes();
    jsc.setJobDescription("geolake ingest " + date + ": count the lines of large text files");
    List<FilePart> parts = FileParts.plan(jsc, files, splitBytes);
    DeliveryFileReader reader = new DeliveryFileReader(new SerializableConfiguration(jsc.hadoopConfiguration()), mappings, parts);
    JavaRDD<Row> rows = jsc.parallelize(reader.indexes(), Math.max(1, parts.size())).flatMap(reader);
    // Not cached: the delivery is parsed once for raw.pings, and the rejects dropped from it are
    // gathered on the side; the counts are read back from what was committed. Parsing a delivery
    // is cheap next to caching it (1M rows: ~1.5 s to parse all files, ~5 s more to build the
    // in-memory columns that two writes could share).
    SideRejects sideRejects = SideRejects.register(spark.sparkContext(), rejectBudgetBytes, parts.size());
    Dataset<Row> parsed = spark.createDataFrame(rows.filter(sideRejects), ParsedRows.SCHEMA);
    try {
      Date day = Date.valueOf(date);
      org.apache.spark.sql.Column thisDay = col("_ingest_date").equalTo(lit(day));
      jsc.setJobDescription("geolake ingest " + date + ": parse " + files.size() + " files (" + parts.size() + " parts) into raw.pings");
      catalog.overwrite(
          Tables.RAW_PINGS,
          select(parsed, Tables.RAW_PINGS.columns(), day, loadId),
          thisDay);
      Optional<List<Row>> gathered = sideRejects.rejects();
      Dataset<Row> rejected;
      if (gathered.isPresent()) {
        jsc.setJobDescription("geolake ingest " + date + ": write " + gathered.get().size() + " rejects gathered while parsing to raw.rejects");
        rejected = spark.createDataFrame(gathered.get(), ParsedRows.SCHEMA);
      } else {
        // Rejects are picked before the rows become a DataFrame: converting every parsed row
        // only to drop it cost 1.3 s of a 5.3 s pass at 5M rows.
        jsc.setJobDescription("geolake ingest " + date + ": parse " + files.size() + " files again for raw.rejects (more rejects than gathered)");
        rejected = spark.createDataFrame(rows.filter(r -> !isParsed(r)), ParsedRows.SCHEMA);
      }
      catalog.overwrite(
          Tables.RAW_REJECTS,
          select(
              rejected.withColumnRenamed(ParsedRows.REASON, "reason"),
              Tables.RAW_REJECTS.columns(),
              day,
              loadId),
          thisDay);

      jsc.setJobDescription("geolake ingest " + date + ": drop the rows of forgotten devices");
      new ForgottenDevices(new RunStore(config)).suppress(catalog, config, date);
      jsc.setJobDescription("geolake ingest " + date + ": count what was written");
      long rawRows = spark.table(catalog.qualified(Tables.RAW_PINGS)).where(thisDay).count();
      Map<String, Long> byReason = new TreeMap<>();
      Map<String, Map<String, Long>> byFile = new TreeMap<>();
      for (Row r :
          spark.table(catalog.qualified(Tables.RAW_REJECTS)).where(thisDay).groupBy("_source_file", "reason").count().collectAsList()) {
        byReason.merge(r.getString(1), r.getLong(2), Long::sum);
        byFile.computeIfAbsent(r.getString(0), f -> new TreeMap<>()).merge(r.getString(1), r.getLong(2), Long::sum);
      }
      return new IngestResult(
          date,
          loadId,
          files.size(),
          rawRows,
          byReason,
          byFile,
          emptySources,
          catalog.currentSnapshotId(Tables.RAW_PINGS),
          catalog.currentSnapshotId(Tables.RAW_REJECTS));
    } finally {
      jsc.clearJobGroup();
    }
  }

  private static boolean isParsed(Row row) {
    return row.isNullAt(ParsedRows.REASON_INDEX);
  }

  private static Dataset<Row> select(Dataset<Row> rows, List<Column> columns, Date day, String loadId) {
    List<org.apache.spark.sql.Column> selected = new ArrayList<>();
    for (Column c : columns) {
      switch (c.name()) {
        case "_ingest_date" -> selected.add(lit(day).as(c.name()));
        case "_load_id" -> selected.add(lit(loadId).as(c.name()));
        default -> selected.add(col(c.name()));
      }
    }
    return rows.select(selected.toArray(org.apache.spark.sql.Column[]::new));
  }


  /** The date plus a fingerprint of file names and sizes: the same delivery, the same load id. */
  static String loadId(LocalDate date, List<DeliveryFile> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (DeliveryFile f : files) {
        sha.update((f.uri() + "\t" + f.bytes() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return date + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
