package io.geolake.pipeline.staging;

import java.time.LocalDate;
import java.util.Map;
import java.util.SortedMap;

/**
 * What staging did with one delivery's raw rows.
 *
 * @param quarantinedByReason rows written to staging.quarantine by rule code
 * @param exactDuplicates rows identical to the surviving row of their key, dropped
 * @param keyDuplicates rows sharing a key with a newer row of the same delivery, dropped
 * @param inserted rows new to staging
 * @param updated rows that replaced an older delivery's version of their key
 * @param unchanged rows identical to what staging already holds (re-deliveries, re-runs)
 * @param superseded rows older than the version staging holds from a newer delivery
 * @param lateMerged inserted or updated rows whose event date is before the delivery date
 * @param earliestChange the earliest event date of an inserted or updated row; null when none
 * @param stagingRowsByEventDate staging.pings rows per event date around the merge window, after
 *     the merge
 */
public record StageResult(
    LocalDate date,
    Map<String, Long> quarantinedByReason,
    long exactDuplicates,
    long keyDuplicates,
    long inserted,
    long updated,
    long unchanged,
    long superseded,
    long lateMerged,
    LocalDate earliestChange,
    SortedMap<LocalDate, Long> stagingRowsByEventDate,
    Long stagingSnapshotId,
    Long quarantineSnapshotId) {

  public StageResult {
    quarantinedByReason = Map.copyOf(quarantinedByReason);
    stagingRowsByEventDate = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(stagingRowsByEventDate));
  }

  public long quarantined() {
    return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  public long tooLate() {
    return quarantinedByReason.getOrDefault("too_late", 0L);
  }
}
