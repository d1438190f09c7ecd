package io.geolake.cli.output;

import io.geolake.pipeline.ingest.IngestResult;
import io.geolake.pipeline.model.ScoreResult;
import io.geolake.pipeline.quality.RuleOutcome;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.staging.StageResult;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Human-readable run reports: one block per date, and a summary table over several dates. */
public final class ReportPrinter {
  private ReportPrinter() {}

  public static void print(RunReport report, PrintWriter out) {
    IngestResult in = report.ingest();
    StageResult st = report.stage();
    out.printf("== %s  (%.1f s, run %s%s, load %s)%n", report.date(), report.took().toMillis() / 1000.0, report.runId(),
        report.attempt() > 1 ? " attempt " + report.attempt() + ", resumed" : "", in.loadId());
    out.printf("  delivered            %,12d rows in %d files%s%n", in.deliveredRows(), in.files(),
        in.emptySources().isEmpty() ? "" : " (no files for source " + String.join(", ", in.emptySources()) + ")");
    out.printf("  raw                  %,12d rows%n", in.rawRows());
    out.printf("  rejected (raw)       %,12d %s%n", in.rejectedRows(), reasons(in.rejectsByReason()));
    out.printf("  quarantined          %,12d %s%n", st.quarantined() - st.tooLate(), reasons(withoutTooLate(st.quarantinedByReason())));
    out.printf("  exact duplicates     %,12d dropped%n", st.exactDuplicates());
    out.printf("  key duplicates       %,12d dropped (newest delivery wins)%n", st.keyDuplicates());
    out.printf("  already in staging   %,12d unchanged re-deliveries%s%n", st.unchanged(),
        st.superseded() > 0 ? String.format(", %,d older than staging's version", st.superseded()) : "");
    out.printf("  merged               %,12d inserted, %,d updated%n", st.inserted(), st.updated());
    out.printf("  late, merged         %,12d into earlier days%n", st.lateMerged());
    out.printf("  too late             %,12d quarantined (before the lookback window)%n", st.tooLate());
    out.printf("  staging rows by day  %s%n", byDay(st.stagingRowsByEventDate()));
    var f = report.features();
    if (f.devices() == 0) {
      out.printf("  features             unchanged (nothing new in staging)%n");
    } else {
      out.printf("  features             %,d devices' stay points recomputed from %s (%,d stays, %,d visits), %,d device-days and %,d cell-hours for %s..%s,"
              + " %,d profiles up to %s%n",
          f.devices(), f.tracksReadFrom() == null ? "their first ping" : f.tracksReadFrom(), f.stayPoints(), f.visits(), f.featureRows(),
          f.presenceRows(), f.from(), f.to(), f.profileRows(), report.date());
    }
    var quality = report.quality();
    if (quality.failures().isEmpty()) {
      out.printf("  quality              %,12d rules passed%n", quality.passed());
    } else {
      out.printf("  quality              %,12d rules passed, %d warning(s):%n", quality.passed(), quality.failures().size());
      quality.failures().forEach(w -> out.printf("                         %s%n", w.describe()));
    }
    var score = report.score();
    if (score.scored()) {
      out.printf("  scores               %,12d devices by model X %s, %,d predicted to visit (mean score %.3f)%n",
          score.devices(), score.modelVersion(), score.predictedPositive(), score.meanScore());
      if (!score.revertedRunsLearnedFrom().isEmpty()) {
        out.printf("                         warning: %s learned from rows of %s, reverted since; train again (geolake train --as-of DATE)%n",
            score.modelVersion(), String.join(", ", score.revertedRunsLearnedFrom()));
      }
      if (!score.drift().isEmpty()) {
        out.printf("  drift                %s%n", drift(score));
        score.driftFailures().forEach(w -> out.printf("                         %s%n", w.describe()));
      }
    } else {
      out.printf("  scores               no live model X yet (geolake train --as-of DATE)%n");
    }
    out.flush();
  }

  /** "0 of 15 checks past model.drift-max-psi 0.25 (largest PSI 0.081: home_share)" */
  public static String drift(ScoreResult score) {
    RuleOutcome most = score.drift().stream().max(java.util.Comparator.comparingDouble(RuleOutcome::metric)).orElseThrow();
    return String.format("%d of %d checks past model.drift-max-psi %s (largest PSI %.3f: %s)", score.driftFailures().size(), score.drift().size(),
        most.upperBound(), most.metric(), most.rule().replace("model_x_drift_", ""));
  }

  public static void summary(List<RunReport> reports, PrintWriter out) {
    TablePrinter table =
        new TablePrinter(List.of("date", "delivered", "raw", "rejected", "quarantined", "exact dup", "key dup", "late merged", "too late", "staging rows", "seconds"));
    for (RunReport r : reports) {
      StageResult st = r.stage();
      long stagingOfDay = st.stagingRowsByEventDate().getOrDefault(r.date(), 0L);
      table.add(
          List.of(
              r.date().toString(),
              n(r.ingest().deliveredRows()),
              n(r.ingest().rawRows()),
              n(r.ingest().rejectedRows()),
              n(st.quarantined() - st.tooLate()),
              n(st.exactDuplicates()),
              n(st.keyDuplicates()),
              n(st.lateMerged()),
              n(st.tooLate()),
              n(stagingOfDay),
              String.format("%.1f", r.took().toMillis() / 1000.0)));
    }
    table.print(out);
  }

  private static Map<String, Long> withoutTooLate(Map<String, Long> byReason) {
    return byReason.entrySet().stream()
        .filter(e -> !e.getKey().equals("too_late"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static String reasons(Map<String, Long> byReason) {
    if (byReason.isEmpty()) {
      return "";
    }
    return byReason.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> e.getKey() + " " + n(e.getValue()))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String byDay(Map<LocalDate, Long> counts) {
    return counts.entrySet().stream()
        .map(e -> e.getKey().toString().substring(5) + ": " + n(e.getValue()))
        .collect(Collectors.joining("  "));
  }

  private static String n(long value) {
    return String.format("%,d", value);
  }
}
