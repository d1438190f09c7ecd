package io.geolake.pipeline.run;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a range of dates in order — the lookback window makes order matter: a date's merge reads
 * the days before it — skipping dates whose last run succeeded unless forced. Stops at the first
 * date that fails: later dates would build on a hole.
 */
public final class Backfill {
  /** What happened to one date of the range. */
  public record Outcome(LocalDate date, String status, RunReport report, String error) {}

  /** Hears about each date as it starts and ends (progress output). */
  public interface Progress {
    void dateStarted(LocalDate date, int index, int total);

    void dateFinished(Outcome outcome, int index, int total);
  }

  private final DateRunner run;
  private final RunStore store;

  public Backfill(DateRunner run, RunStore store) {
    this.run = run;
    this.store = store;
  }

  public List<Outcome> run(LocalDate from, LocalDate to, boolean force, Progress progress) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("Invalid range: --to " + to + " is before --from " + from);
    }
    List<LocalDate> dates = from.datesUntil(to.plusDays(1)).toList();
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < dates.size(); i++) {
      LocalDate date = dates.get(i);
      Optional<RunRecord> last = store.latest(date);
      Outcome outcome;
      if (!force && last.isPresent() && last.get().state() == RunState.SUCCEEDED) {
        outcome = new Outcome(date, "skipped (succeeded as run " + last.get().runId() + ")", null, null);
      } else {
        progress.dateStarted(date, i + 1, dates.size());
        try {
          RunReport report = run.run(date, false);
          outcome = new Outcome(date, report.attempt() > 1 ? "resumed, succeeded" : "succeeded", report, null);
        } catch (RuntimeException e) {
          outcome = new Outcome(date, "failed", null, String.valueOf(e.getMessage()));
          outcomes.add(outcome);
          progress.dateFinished(outcome, i + 1, dates.size());
          for (LocalDate rest : dates.subList(i + 1, dates.size())) {
            outcomes.add(new Outcome(rest, "not run (an earlier date failed)", null, null));
          }
          return outcomes;
        }
      }
      outcomes.add(outcome);
      progress.dateFinished(outcome, i + 1, dates.size());
    }
    return outcomes;
  }
}
