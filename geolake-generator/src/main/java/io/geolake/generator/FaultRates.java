package io.geolake.generator;

/**
 * Share of delivered rows carrying each injected fault. Text-only faults (malformed, wrong type)
 * land only in CSV and JSON files.
 *
 * @param exactDuplicate a row repeated within the same delivery
 * @param redelivered a row of the previous day's delivery delivered again
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
    double redelivered,
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
      new FaultRates(0.01, 0.02, 0.02, 0.002, 0.002, 0.001, 0.001, 0.001, 0.001, 0.05, 0.005);

  public static final FaultRates NONE = new FaultRates(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
