package io.geolake.pipeline.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of model X: columns derived from a consumption.device_profiles row. Missing values
 * (no stays, no visit, no work place) become explicit numbers, since MLlib's trees take no nulls.
 */
public final class ModelFeatures {
  /** Feature name to its SQL expression over a device_profiles row. Order is the vector's order. */
  static final Map<String, String> EXPRESSIONS = expressions();

  private ModelFeatures() {}

  public static List<String> names() {
    return List.copyOf(EXPRESSIONS.keySet());
  }

  /** A SELECT list of feature_date, device and every feature, for a query over device_profiles. */
  static String selectList() {
    StringBuilder select = new StringBuilder("feature_date, device");
    EXPRESSIONS.forEach((name, expression) -> select.append(", CAST(").append(expression).append(" AS DOUBLE) AS ").append(name));
    return select.toString();
  }

  private static Map<String, String> expressions() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("active_days", "active_days");
    f.put("pings_per_active_day", "pings / active_days");
    f.put("radius_of_gyration_m", "radius_of_gyration_m");
    f.put("stay_radius_of_gyration_m", "coalesce(stay_radius_of_gyration_m, 0)");
    f.put("distinct_h3_cells", "distinct_h3_cells");
    f.put("stay_points_per_active_day", "stay_points / active_days");
    f.put("visits", "visits");
    f.put("visits_per_active_day", "visits / active_days");
    f.put("visit_dwell_s", "visit_dwell_s");
    // No visit in the window: one day more than the window holds.
    f.put("days_since_last_visit", "coalesce(days_since_last_visit, window_days + 1)");
    f.put("home_share", "coalesce(home_share, 0)");
    f.put("work_share", "coalesce(work_share, 0)");
    f.put("has_work", "IF(work_h3_cell IS NULL, 0, 1)");
    f.put("home_work_distance_m", "coalesce(home_work_distance_m, -1)");
    return f;
  }
}
