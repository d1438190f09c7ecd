package io.geolake.pipeline.staging;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.ingest.IngestResult;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Fails a run whose delivery is rejected or quarantined above the configured share. */
final class RejectGuard {
  private RejectGuard() {}

  static void check(GeolakeConfig.Guard guard, IngestResult ingest, StageStep.Outcomes outcomes, LocalDate date) {
    Map<String, Long> byReason = new HashMap<>(ingest.rejectsByReason());
    outcomes.quarantinedByReason().forEach((k, v) -> byReason.merge(k, v, Long::sum));
    long bad = byReason.values().stream().mapToLong(Long::longValue).sum();
    long delivered = ingest.deliveredRows();
    if (delivered == 0 || (double) bad / delivered <= guard.maxRejectShare()) {
      return;
    }
    Map<String, Long> byFile = new HashMap<>();
    ingest.rejectsByFile().forEach((file, reasons) -> reasons.values().forEach(n -> byFile.merge(file, n, Long::sum)));
    outcomes.quarantinedByFile().forEach(e -> byFile.merge(e.getKey(), e.getValue(), Long::sum));
    throw new RejectGuardException(
        String.format(
            "Cannot stage %s: %.1f%% of the delivery was rejected or quarantined (%,d of %,d rows),"
                + " above guard.max-reject-share %.1f%%.%n  Top reasons: %s%n  Top files: %s%n"
                + "  The rows are in raw.rejects and staging.quarantine (_ingest_date = %s); raw.pings"
                + " and staging.pings stay at their previous snapshots. Fix the delivery, or raise"
                + " guard.max-reject-share, and run the date again.",
            date,
            100.0 * bad / delivered,
            bad,
            delivered,
            100.0 * guard.maxRejectShare(),
            top(byReason),
            top(byFile),
            date));
  }

  private static String top(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(5)
        .map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
