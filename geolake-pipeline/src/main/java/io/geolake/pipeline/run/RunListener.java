package io.geolake.pipeline.run;

import java.time.Duration;
import java.time.LocalDate;

/** Hears about a daily run's steps as they happen (progress output, metrics). */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** Tells both listeners, this one first. */
  default RunListener and(RunListener other) {
    RunListener first = this;
    return new RunListener() {
      @Override
      public void stepStarted(LocalDate date, String step) {
        first.stepStarted(date, step);
        other.stepStarted(date, step);
      }

      @Override
      public void stepFinished(LocalDate date, String step, Duration took, Object result) {
        first.stepFinished(date, step, took, result);
        other.stepFinished(date, step, took, result);
      }

      @Override
      public void stepRetrying(LocalDate date, String step, int failedAttempt, Duration wait, Throwable error) {
        first.stepRetrying(date, step, failedAttempt, wait, error);
        other.stepRetrying(date, step, failedAttempt, wait, error);
      }

      @Override
      public void stepSkipped(LocalDate date, String step, Object result) {
        first.stepSkipped(date, step, result);
        other.stepSkipped(date, step, result);
      }
    };
  }

  default void stepStarted(LocalDate date, String step) {}

  default void stepFinished(LocalDate date, String step, Duration took, Object result) {}

  /** The step failed with a transient error and runs again after {@code wait}. */
  default void stepRetrying(LocalDate date, String step, int failedAttempt, Duration wait, Throwable error) {}

  /** A resumed run found the step finished by an earlier attempt and did not run it again. */
  default void stepSkipped(LocalDate date, String step, Object result) {}
}
