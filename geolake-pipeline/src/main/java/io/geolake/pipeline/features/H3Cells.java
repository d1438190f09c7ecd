package io.geolake.pipeline.features;

import com.uber.h3core.H3Core;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;

/** {@code geolake_h3(lat, lon, resolution)}: the H3 cell of a position, one H3 instance per executor JVM. */
public final class H3Cells {
  static final String FUNCTION = "geolake_h3";

  private H3Cells() {}

  private static final class Holder {
    static final H3Core H3 = create();

    private static H3Core create() {
      try {
        return H3Core.newInstance();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot load the H3 native library", e);
      }
    }
  }

  public static void register(SparkSession spark) {
    if (spark.catalog().functionExists(FUNCTION)) {
      return;
    }
    spark
        .udf()
        .register(
            FUNCTION,
            (UDF3<Double, Double, Integer, Long>)
                (lat, lon, res) -> lat == null || lon == null ? null : Holder.H3.latLngToCell(lat, lon, res),
            DataTypes.LongType);
  }
}
