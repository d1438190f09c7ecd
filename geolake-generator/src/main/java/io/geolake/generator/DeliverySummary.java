package io.geolake.generator;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;

/**
 * What one generated delivery holds.
 *
 * @param rows data rows written (CSV headers not counted)
 * @param lateByDaysLate late rows by how many days before the delivery date their event falls
 */
public record DeliverySummary(
    LocalDate date, int files, long rows, Map<Fault, Long> faults, Map<Integer, Long> lateByDaysLate) {
  public DeliverySummary {
    faults = Map.copyOf(faults);
    lateByDaysLate = Map.copyOf(lateByDaysLate);
  }

  public long count(Fault fault) {
    return faults.getOrDefault(fault, 0L);
  }

  static Map<Fault, Long> emptyCounts() {
    Map<Fault, Long> counts = new EnumMap<>(Fault.class);
    for (Fault f : Fault.values()) {
      counts.put(f, 0L);
    }
    return counts;
  }
}
