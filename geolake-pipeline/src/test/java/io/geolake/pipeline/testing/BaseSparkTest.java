package io.geolake.pipeline.testing;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.spark.SparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;

/**
 * One local[2] SparkSession for the whole test JVM; each test gets its own catalog (unique name,
 * own SQLite file and warehouse under a temp folder), so tests never see each other's tables.
 */
public abstract class BaseSparkTest {
  private static final AtomicInteger CATALOGS = new AtomicInteger();
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    if (spark == null) {
      SparkSession.Builder builder =
          SparkSession.builder()
              .master("local[2]")
              .appName("geolake-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.adaptive.enabled", "true");
      SparkSessions.sqlSettings(ConfigLoader.defaults()).forEach(builder::config);
      spark = builder.config("spark.sql.shuffle.partitions", "4").getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
  }

  /** A config over {@code data} with a fresh catalog name, plus {@code --set} style overrides. */
  protected static GeolakeConfig config(Path data, String... overrides) {
    List<String> sets = new ArrayList<>();
    sets.add("data=" + data);
    sets.add("catalog.name=test_" + CATALOGS.incrementAndGet());
    sets.add("spark.shuffle-partitions=4");
    sets.addAll(Arrays.asList(overrides));
    return ConfigLoader.load(null, sets);
  }

  protected static LakehouseCatalog catalog(GeolakeConfig config) {
    return LakehouseCatalog.register(spark, config);
  }

  protected static List<Row> sql(String query, Object... args) {
    return spark.sql(String.format(query, args)).collectAsList();
  }

  protected static long count(String query, Object... args) {
    return ((Number) sql(query, args).get(0).get(0)).longValue();
  }
}
