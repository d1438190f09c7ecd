package io.geolake.bench;

import java.util.List;
import java.util.Map;

/** A named experiment; it measures side by side and reports ratios. */
interface BenchCase {
  String name();

  String description();

  Report run(BenchContext context);

  /**
   * @param ratios named ratios of the measurements, with the target where the issue sets one
   * @param notes what to keep in mind reading the numbers
   */
  record Report(List<Measurement> measurements, Map<String, Double> ratios, List<String> notes) {}
}
