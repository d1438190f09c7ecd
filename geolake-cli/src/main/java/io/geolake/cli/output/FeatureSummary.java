package io.geolake.cli.output;

import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.PrintWriter;
import org.apache.spark.sql.Row;

/** A few lines on what the consumption layer holds, for the demo. */
public final class FeatureSummary {
  private FeatureSummary() {}

  public static void print(LakehouseCatalog catalog, PrintWriter out) {
    Row stays =
        catalog.spark().sql(
            "SELECT count(*), count(DISTINCT device), percentile_approx(duration_s, 0.5) / 60 FROM " + catalog.qualified(Tables.STAY_POINTS)).first();
    Row trips =
        catalog.spark().sql("SELECT count(*), percentile_approx(distance_m, 0.5) / 1000 FROM " + catalog.qualified(Tables.TRIPS)).first();
    Row visits =
        catalog.spark().sql(
            "SELECT count(*), count(DISTINCT device), count(DISTINCT place_id), coalesce(avg(dwell_s), 0) / 60 FROM " + catalog.qualified(Tables.VISITS)).first();
    Row profiles =
        catalog.spark().sql(
            "SELECT max(feature_date), count(*), percentile_approx(radius_of_gyration_m, 0.5) / 1000,"
                + " percentile_approx(stay_radius_of_gyration_m, 0.5) / 1000, count(home_h3_cell), count(work_h3_cell),"
                + " percentile_approx(home_work_distance_m, 0.5) / 1000"
                + " FROM " + catalog.qualified(Tables.DEVICE_PROFILES)
                + " WHERE feature_date = (SELECT max(feature_date) FROM " + catalog.qualified(Tables.DEVICE_PROFILES) + ")").first();
    Row presence = catalog.spark().sql("SELECT count(*) FROM " + catalog.qualified(Tables.CELL_HOURLY_PRESENCE)).first();
    out.printf("  stay points          %,d of %,d devices, median %.0f min%n", stays.getLong(0), stays.getLong(1), number(stays, 2));
    out.printf("  trips                %,d, median %.1f km%n", trips.getLong(0), number(trips, 1));
    out.printf("  visits               %,d by %,d devices to %d places of interest, mean dwell %.0f min%n",
        visits.getLong(0), visits.getLong(1), visits.getLong(2), number(visits, 3));
    if (!profiles.isNullAt(0)) {
      out.printf("  profiles on %s    %,d devices; median radius of gyration %.1f km (pings), %.1f km (stays, duration-weighted);"
              + " home found for %,d, work for %,d, median home-work distance %.1f km%n",
          profiles.get(0), profiles.getLong(1), number(profiles, 2), number(profiles, 3), profiles.getLong(4), profiles.getLong(5), number(profiles, 6));
    }
    out.printf("  cell-hour presence   %,d cell-hours with at least k devices%n", presence.getLong(0));
    out.flush();
  }

  private static double number(Row row, int i) {
    return row.isNullAt(i) ? Double.NaN : ((Number) row.get(i)).doubleValue();
  }
}
