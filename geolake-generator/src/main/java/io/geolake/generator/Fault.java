package io.geolake.generator;

/** What the generator injected, counted per delivery in {@link DeliverySummary}. */
public enum Fault {
  EXACT_DUPLICATE,
  KEY_DUPLICATE,
  REDELIVERED,
  CORRECTED,
  LATE,
  MALFORMED,
  WRONG_TYPE,
  OUT_OF_RANGE,
  NULL_ISLAND,
  FUTURE,
  TELEPORT,
  MISSING_ACCURACY,
  COARSE_FIX
}
