package io.geolake.generator;

/**
 * Share of delivered rows carrying each injected fault. Text-only faults (malformed, wrong type)
 * land only in CSV and JSON files.
 *
 * @param exactDuplicate a row repeated within the same delivery
 * @param keyDuplicate a row repeated within the same delivery with another accuracy (same key)
 * @param redelivered a row of the previous day's delivery delivered again
 * @param corrected a row of the previous day's delivery delivered again with corrected accuracy
 * @param late a row withheld from its own day and delivered 1 to 6 days later
 * @param malformed a line that does not parse (wrong field count, cut JSON)
 * @param wrongType a coordinate that is not a number
 * @param outOfRange latitude beyond 90 or longitude beyond 180
 * @param nullIsland coordinates (0, 0)
 * @param future an event time days after the delivery date
 * @param teleport a single ping hundreds of kilometres off the track
 * @param missingAccuracy horizontal accuracy absent (must be kept)
 * @param coarseFix a cell-tower fix with accuracy of 600 to 3,000 m
 */
public record FaultRates(
    double exactDuplicate,
    double keyDuplicate,
    double redelivered,
    double corrected,
    double late,
    double malformed,
    double wrongType,
    double outOfRange,
    double nullIsland,
    double future,
    double teleport,
    double missingAccuracy,
    double coarseFix) {

  public static final FaultRates DEFAULT =
      new FaultRates(0.01, 0.003, 0.02, 0.005, 0.02, 0.002, 0.002, 0.001, 0.001, 0.001, 0.001, 0.05, 0.005);

  public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Rates by snake_case name, in declaration order. */
  public java.util.Map<String, Double> byName() {
    java.util.Map<String, Double> rates = new java.util.LinkedHashMap<>();
    for (var component : FaultRates.class.getRecordComponents()) {
      try {
        rates.put(
            component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT),
            (Double) component.getAccessor().invoke(this));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return rates;
  }

  /** These rates with some replaced by name; unknown names and shares outside [0, 1] fail. */
  public FaultRates with(java.util.Map<String, Double> overrides) {
    java.util.Map<String, Double> rates = byName();
    overrides.forEach(
        (name, share) -> {
          if (!rates.containsKey(name)) {
            throw new IllegalArgumentException(
                "Invalid fault '" + name + "': expected one of " + rates.keySet());
          }
          if (share < 0 || share > 1) {
            throw new IllegalArgumentException(
                "Invalid share for fault " + name + ": " + share + " (expected 0 to 1)");
          }
          rates.put(name, share);
        });
    Object[] values = rates.values().toArray();
    try {
      return (FaultRates) FaultRates.class.getDeclaredConstructors()[0].newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
