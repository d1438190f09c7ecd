package io.geolake.cli.command;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** Opens the Spark session and catalog a command works on. */
final class Lakehouse {
  private Lakehouse() {}

  static LakehouseCatalog open(GeolakeConfig config) {
    SparkSession spark = SparkSessions.create(config);
    return LakehouseCatalog.register(spark, config);
  }
}
