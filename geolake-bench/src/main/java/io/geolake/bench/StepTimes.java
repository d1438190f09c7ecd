package io.geolake.bench;

import io.geolake.pipeline.run.RunListener;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records how long each step of the last daily run took. */
final class StepTimes implements RunListener {
  private final Map<String, Duration> steps = new LinkedHashMap<>();

  @Override
  public void stepFinished(LocalDate date, String step, Duration took, Object result) {
    steps.put(step, took);
  }

  double seconds(String step) {
    Duration took = steps.get(step);
    return took == null ? 0 : took.toMillis() / 1000.0;
  }

  Map<String, Duration> all() {
    return Map.copyOf(steps);
  }
}
