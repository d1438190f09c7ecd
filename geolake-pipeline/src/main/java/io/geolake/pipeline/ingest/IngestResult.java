package io.geolake.pipeline.ingest;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What an ingest committed for one delivery date.
 *
 * @param rawRows rows now in raw.pings for the date
 * @param rejectsByReason raw.rejects rows for the date by reason code
 * @param rejectsByFile raw.rejects rows by file URI, then reason code
 * @param emptySources sources whose delivery folder exists but holds no data files
 */
public record IngestResult(
    LocalDate date,
    String loadId,
    int files,
    long rawRows,
    Map<String, Long> rejectsByReason,
    Map<String, Map<String, Long>> rejectsByFile,
    List<String> emptySources,
    Long rawSnapshotId,
    Long rejectsSnapshotId) {

  public IngestResult {
    rejectsByReason = Map.copyOf(rejectsByReason);
    rejectsByFile = Map.copyOf(rejectsByFile);
    emptySources = List.copyOf(emptySources);
  }

  public long rejectedRows() {
    return rejectsByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Every line or row of the delivery: parsed plus rejected (a rejected file counts once). */
  public long deliveredRows() {
    return rawRows + rejectedRows();
  }
}
