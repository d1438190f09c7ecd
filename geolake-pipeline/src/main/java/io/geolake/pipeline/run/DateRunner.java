package io.geolake.pipeline.run;

import java.time.LocalDate;

/** Runs one date: the daily run itself, or the daily run with alerts and metrics around it. */
@FunctionalInterface
public interface DateRunner {
  /**
   * @param startOver abandon an unfinished run of the date instead of resuming it
   */
  RunReport run(LocalDate date, boolean startOver);
}
