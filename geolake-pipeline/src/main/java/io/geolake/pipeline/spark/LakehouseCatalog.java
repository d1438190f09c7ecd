package io.geolake.pipeline.spark;

import static java.util.Objects.requireNonNull;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.Layer;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * The Iceberg catalog geolake writes to, registered in a SparkSession under the configured name.
 * Tables are always addressed fully qualified ({@code <catalog>.<layer>.<table>}), so several
 * catalogs can live in one session (tests do this).
 */
public final class LakehouseCatalog {
  private final SparkSession spark;
  private final String name;
  /** Where geolake places new tables itself, or null when the catalog does. */
  private final URI tableRoot;

  private LakehouseCatalog(SparkSession spark, String name, URI tableRoot) {
    this.spark = requireNonNull(spark, "spark is null");
    this.name = requireNonNull(name, "name is null");
    this.tableRoot = tableRoot;
  }

  /** Registers the configured catalog in the session (idempotent) and returns a handle to it. */
  public static LakehouseCatalog register(SparkSession spark, GeolakeConfig config) {
    Locations locations = Locations.of(config);
    ensureLocalFolder(spark, locations.data());
    String prefix = "spark.sql.catalog." + config.catalog().name();
    catalogProperties(config, locations).forEach((k, v) -> spark.conf().set(prefix + "." + k, v));
    spark.conf().set(prefix, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.defaultCatalog", config.catalog().name());
    open(spark, config, locations);
    GeolakeConfig.Catalog catalog = config.catalog();
    // JDBC and Hadoop catalogs place tables under their warehouse; a REST catalog may have no
    // place of its own (AWS Glue), so geolake names one unless told the server places them.
    boolean placeTables =
        catalog.type() == GeolakeConfig.CatalogType.REST && catalog.tableLocation() == GeolakeConfig.TableLocation.DATA;
    return new LakehouseCatalog(spark, catalog.name(), placeTables ? locations.warehouse() : null);
  }

  /**
   * Opens the catalog now (Spark would on first use, deep inside some step) so that one that cannot
   * be reached fails here, naming what was tried and the key that says where it is.
   */
  private static void open(SparkSession spark, GeolakeConfig config, Locations locations) {
    try {
      spark.sessionState().catalogManager().catalog(config.catalog().name());
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String what = switch (config.catalog().type()) {
        case REST -> "the Iceberg REST catalog at " + config.catalog().uri() + " (catalog.uri)";
        case JDBC -> "the Iceberg catalog database " + locations.catalogUri().replaceAll("(?i)(password=)[^&;]*", "$1****") + " (catalog.uri)";
        case HADOOP -> "the Hadoop catalog in " + locations.warehouse() + " (catalog.warehouse)";
      };
      String hint = config.catalog().type() == GeolakeConfig.CatalogType.REST
          ? "Check that the server is up and the URI right; for AWS Glue, the AWS credentials and catalog.properties' rest.signing-region."
          : "Check that it is reachable and the URI and credentials are right.";
      throw new IllegalStateException("Cannot open " + what + ": " + root.getClass().getSimpleName() + ": " + root.getMessage() + ". " + hint, e);
    }
  }

  static Map<String, String> catalogProperties(GeolakeConfig config, Locations locations) {
    Map<String, String> props = new LinkedHashMap<>();
    // Another process (serve, a second CLI) may commit; never answer from a stale cached table.
    props.put("cache-enabled", "false");
    switch (config.catalog().type()) {
      case JDBC -> {
        props.put("warehouse", locations.warehouse().toString());
        props.put("uri", locations.catalogUri());
        props.put("jdbc.schema-version", "V1");
        if (!locations.catalogUri().startsWith("jdbc:sqlite:")) {
          props.put("catalog-impl", ConcurrentJdbcCatalog.class.getName()); // two processes may open a new one
        } else {
          props.put("catalog-impl", SqliteJdbcCatalog.class.getName()); // sees other writers' commits
          // SQLite allows one writer: one pooled connection per process, and wait rather than
          // fail when another process (serve, a second CLI) holds the lock.
          props.put("clients", "1");
          props.put("jdbc.busy_timeout", "30000");
        }
      }
      case HADOOP -> {
        props.put("type", "hadoop");
        props.put("warehouse", locations.warehouse().toString());
      }
      case REST -> {
        props.put("type", "rest");
        props.put("uri", config.catalog().uri());
        // Files through Hadoop's file systems, as with the other catalogs (S3A, EMRFS, local; Spark's
        // spark.hadoop.* settings apply). The REST client's own default picks Iceberg's S3FileIO for
        // s3 paths, whose AWS S3 client geolake does not bundle; io-impl in properties overrides this.
        props.put("io-impl", "org.apache.iceberg.hadoop.HadoopFileIO");
        if (!config.catalog().warehouse().isBlank()) {
          props.put("warehouse", config.catalog().warehouse());
        }
      }
    }
    props.putAll(config.catalog().properties());
    return props;
  }

  private static void ensureLocalFolder(SparkSession spark, URI data) {
    if (!"file".equals(data.getScheme())) {
      return;
    }
    try {
      Path path = new Path(data);
      FileSystem.get(data, spark.sparkContext().hadoopConfiguration()).mkdirs(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create data folder " + data + ": " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public SparkSession spark() {
    return spark;
  }

  /** {@code <catalog>.<layer>.<table>}. */
  public String qualified(TableDefinition table) {
    return name + "." + table.qualifiedName();
  }

  /**
   * Creates the namespaces and tables if missing. Existing tables keep their data and schema; the
   * table properties geolake sets are brought up to date, so a lake made by an older version gets
   * the current write settings.
   */
  public void ensureTables(GeolakeConfig config) {
    for (Layer layer : new Layer[] {Layer.RAW, Layer.STAGING, Layer.CONSUMPTION}) {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS " + name + "." + layer.namespace());
    }
    for (TableDefinition table : Tables.ALL) {
      Map<String, String> wanted = tableProperties(table, config);
      spark.sql(createTableSql(table, wanted));
      Table existing = table(table);
      Map<String, String> outdated = new LinkedHashMap<>(wanted);
      outdated.entrySet().removeIf(p -> p.getValue().equals(existing.properties().get(p.getKey())));
      if (!outdated.isEmpty()) {
        org.apache.iceberg.UpdateProperties update = existing.updateProperties();
        outdated.forEach(update::set);
        update.commit();
      }
    }
  }

  private String createTableSql(TableDefinition table, Map<String, String> tableProperties) {
    String columns =
        table.columns().stream()
            .map(LakehouseCatalog::columnSql)
            .collect(Collectors.joining(",\n  "));
    Map<String, String> props = new LinkedHashMap<>();
    props.put("format-version", "2");
    props.putAll(tableProperties);
    String properties =
        props.entrySet().stream()
            .map(e -> "'" + e.getKey() + "'='" + e.getValue() + "'")
            .collect(Collectors.joining(", "));
    return "CREATE TABLE IF NOT EXISTS "
        + qualified(table)
        + " (\n  "
        + columns
        + ")\nUSING iceberg\nPARTITIONED BY ("
        + String.join(", ", table.partitioning())
        + ")\n"
        + (tableRoot == null ? "" : "LOCATION '" + tableLocation(table) + "'\n")
        + "COMMENT '"
        + table.doc().replace("'", "\\'")
        + "'\nTBLPROPERTIES ("
        + properties
        + ")";
  }

  /** {@code <warehouse>/<layer>/<table>}, the layout the JDBC catalog gives its tables. */
  private String tableLocation(TableDefinition table) {
    return Locations.child(Locations.child(tableRoot, table.layer().namespace()), table.name()).toString().replace("'", "\\'");
  }

  /** The properties geolake keeps on a table. */
  private static Map<String, String> tableProperties(TableDefinition table, GeolakeConfig config) {
    Map<String, String> props = new LinkedHashMap<>();
    // Runs write to a branch of every table and publish at the end (write-audit-publish).
    props.put("write.wap.enabled", "true");
    // A run commits each table several times (branch, steps, publish); keep the last 100 table
    // metadata files and delete older ones at commit instead of leaving them for ever.
    props.put("write.metadata.delete-after-commit.enabled", "true");
    props.put("write.metadata.previous-versions-max", "100");
    props.putAll(table.properties());
    if (table.equals(Tables.STAGING_PINGS)) {
      // How the staging MERGE writes its changes (staging.merge-mode): copy-on-write or merge-on-read.
      String mergeMode = config.staging().mergeMode().icebergValue();
      props.put("write.merge.mode", mergeMode);
      props.put("write.update.mode", mergeMode);
      props.put("write.delete.mode", mergeMode);
    }
    return props;
  }

  private static String columnSql(Column c) {
    return "`" + c.name() + "` " + c.type().sql() + " COMMENT '" + c.doc().replace("'", "\\'") + "'";
  }

  /** Atomically replaces the rows matching {@code condition} (a partition filter) with {@code rows}. */
  public void overwrite(
      TableDefinition table,
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows,
      org.apache.spark.sql.Column condition) {
    try {
      rows.writeTo(qualified(table)).overwrite(condition);
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot write " + qualified(table) + ": table is missing", e);
    }
  }

  /**
   * The id of the table's current snapshot — on the branch of the run in progress (the session's
   * spark.wap.branch) when the table has it — or null while it has none.
   */
  public Long currentSnapshotId(TableDefinition table) {
    Table loaded = table(table);
    String branch = spark.conf().get("spark.wap.branch", "");
    if (!branch.isEmpty() && loaded.refs().containsKey(branch)) {
      return loaded.refs().get(branch).snapshotId();
    }
    org.apache.iceberg.Snapshot current = loaded.currentSnapshot();
    return current == null ? null : current.snapshotId();
  }

  /** The Iceberg table behind a definition, freshly loaded. */
  public Table table(TableDefinition table) {
    return table(table.qualifiedName());
  }

  /** The Iceberg table {@code layer.name} of this catalog, freshly loaded. */
  public Table table(String layerAndName) {
    String name = this.name + "." + layerAndName;
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (ParseException | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot load table " + name + ": " + e.getMessage(), e);
    }
  }
}
