package io.geolake.pipeline.quality;

import java.time.LocalDate;
import java.util.List;

/** Every rule checked for a date. */
public record QualityResult(LocalDate date, List<RuleOutcome> outcomes) {

  public List<RuleOutcome> failures() {
    return outcomes.stream().filter(o -> !o.passed()).toList();
  }

  public long passed() {
    return outcomes.stream().filter(RuleOutcome::passed).count();
  }
}
